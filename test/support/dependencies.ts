/**
 * Handlers under test get the production adapters (DynamoDB, SQS, SNS) from `createDependencies`,
 * talking to the mocked clients of ./aws.ts, with a fixed clock and a log that records every line.
 */
import { vi } from 'vitest';
import { logger } from '../../functions/commons/powertools.ts';
import { createDependencies } from '../../shared/adapters/dependencies.ts';
import type { Dependencies, Log } from '../../shared/ports.ts';

/** 02:00 on a Wednesday night in November (GMT): out of hours, and inside the night shift of ./dataset.ts. */
export const NOW = new Date('2026-11-25T02:00:00Z');

export const TABLES = { referrals: 'dutyline-test-referrals', directory: 'dutyline-test-directory' } as const;
export const QUEUES = {
  referrals: 'https://sqs.eu-west-2.amazonaws.com/123456789012/dutyline-test-referrals',
  escalationTimers: 'https://sqs.eu-west-2.amazonaws.com/123456789012/dutyline-test-escalation-timers',
} as const;
export const PUBLIC_BASE_URL = 'https://dutyline.example.org';

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  extra?: unknown;
  /** `deps.log`, or the process-wide Powertools logger (used by the SQS batch wrapper). */
  via: 'deps' | 'powertools';
}

export interface RecordingLog {
  log: Log;
  lines: LogLine[];
  /** Every line, message and extra fields, as one string to search. */
  text(): string;
}

/**
 * A log that keeps what it is told. It also captures (and silences) the Powertools logger, which
 * some shared handler code writes to directly, so "nothing personal is logged" covers both.
 * Undo with `vi.restoreAllMocks()`.
 */
export function recordingLog(): RecordingLog {
  const lines: LogLine[] = [];
  const record = (level: LogLine['level']) => (message: string, extra?: Record<string, unknown>) => {
    lines.push({ level, message, ...(extra ? { extra } : {}), via: 'deps' });
  };
  for (const level of ['info', 'warn', 'error'] as const) {
    vi.spyOn(logger, level).mockImplementation((message: unknown, ...extra: unknown[]) => {
      lines.push({ level, message: String(message), extra, via: 'powertools' });
    });
  }
  return {
    log: { info: record('info'), warn: record('warn'), error: record('error') },
    lines,
    text: () => lines.map((line) => `${line.level} ${line.message} ${JSON.stringify(line.extra ?? {})}`).join('\n'),
  };
}

export function testDependencies(log: Log): Dependencies {
  return createDependencies({
    region: 'eu-west-2',
    tableNames: { ...TABLES },
    queueUrls: { ...QUEUES },
    publicBaseUrl: PUBLIC_BASE_URL,
    linkSecret: async () => 'test-secret',
    log,
    now: () => new Date(NOW),
  });
}
