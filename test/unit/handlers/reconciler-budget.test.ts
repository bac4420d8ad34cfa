import { describe, expect, it, vi } from 'vitest';
import { makeHandler } from '../../../functions/reconciler/handler.ts';
import { STOP_WITH_MS_LEFT } from '../../../shared/app/reconcile.ts';
import type { Dependencies } from '../../../shared/ports.ts';

/** The reconciler's time budget: it starts nothing new near its function's timeout, and leaves the rest to the next run. */
function depsWith(pending: string[]) {
  const referrals = {
    withPendingEffects: vi.fn(async () => pending),
    withOverdueActions: vi.fn(async () => [] as string[]),
    get: vi.fn(async () => null),
  };
  const deps = {
    referrals,
    clock: { now: () => new Date('2026-11-25T01:00:00Z') },
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    metrics: { count: () => undefined, duration: () => undefined },
  } as unknown as Dependencies;
  return { deps, referrals };
}

describe('the reconciler’s time budget', () => {
  it('starts no referral, and reads no overdue timers, once less than 5 s of its timeout remain', async () => {
    const { deps, referrals } = depsWith(['a', 'b', 'c']);
    const result = await makeHandler(deps)({} as never, { getRemainingTimeInMillis: () => STOP_WITH_MS_LEFT - 1 });
    expect(referrals.get).not.toHaveBeenCalled();
    expect(referrals.withOverdueActions).not.toHaveBeenCalled();
    expect(result.deferred).toBe(3);
  });

  it('stops part-way when the budget runs out, leaving the rest to the next run', async () => {
    const { deps, referrals } = depsWith(['a', 'b', 'c']);
    const left = [60_000, 30_000, 4_000];
    const result = await makeHandler(deps)({} as never, { getRemainingTimeInMillis: () => left.shift() ?? 0 });
    expect(referrals.get).toHaveBeenCalledTimes(2);
    expect(result.deferred).toBe(1);
  });

  it('does everything when run with no budget (the race tests call it so)', async () => {
    const { deps, referrals } = depsWith(['a', 'b']);
    await makeHandler(deps)({} as never);
    expect(referrals.get).toHaveBeenCalledTimes(2);
    expect(referrals.withOverdueActions).toHaveBeenCalledOnce();
  });
});
