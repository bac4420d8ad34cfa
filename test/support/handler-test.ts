/**
 * How every handler test starts: before each test the mocked AWS is emptied (every table empty,
 * every send accepted), the Leeds directory of ./dataset.ts is stored with the referral items the
 * test file names, and fresh dependencies log into a recording log; after each, the spies that
 * log set up are restored. Call it once at the top of a file; `deps` and `recorded` are the
 * current test's (a later `beforeEach` in the file may use them to build its handler).
 */
import { afterEach, beforeEach, vi } from 'vitest';
import type { Dependencies } from '../../shared/ports.ts';
import { tableHolds, resetAws, type StoredItem } from './aws.ts';
import { leedsDirectory } from './dataset.ts';
import { TABLES, recordingLog, testDependencies, type RecordingLog } from './dependencies.ts';

export interface HandlerTest {
  deps: Dependencies;
  recorded: RecordingLog;
}

export function handlerTest(options: { referrals?: () => StoredItem[]; deps?: Partial<Dependencies> } = {}): HandlerTest {
  const current = {} as HandlerTest;
  beforeEach(() => {
    resetAws();
    current.recorded = recordingLog();
    current.deps = { ...testDependencies(current.recorded.log), ...options.deps };
    tableHolds(TABLES.directory, leedsDirectory());
    tableHolds(TABLES.referrals, options.referrals?.() ?? []);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  return current;
}
