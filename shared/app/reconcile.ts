import { nextActions, type NextAction } from '../domain/next-action.ts';
import type { Dependencies, PendingEffect } from '../ports.ts';
import { addEffects, changeReferral, flushOutbox } from './outbox.ts';

/** Every state write is followed at once by carrying out its effects; a minute on, that has failed. */
export const SETTLE_SECONDS = 60;
/** A timer this late was lost (SQS delivers a due message within seconds): the reconciler arms it again. */
export const OVERDUE_SECONDS = 60;
/** A run starts nothing new with less than this left of its function's timeout; the next run carries on. */
export const STOP_WITH_MS_LEFT = 5_000;
/** A run does this many at most; any left over are the oldest of the next run. */
const BATCH = 100;

export interface ReconcileResult {
  found: number;
  finished: number;
  failed: number;
  /** Referrals found with an overdue timer (or routing) and armed again. */
  rearmed?: number;
  /** Work left for the next run because the time budget ran out. */
  deferred?: number;
}

export interface ReconcileOptions {
  /** Milliseconds left of the function's timeout (the Lambda context's); none: no limit. */
  remainingMs?: () => number;
  /** How late a next action must be to count as lost. */
  overdueSeconds?: number;
}

const outOfTime = (options: ReconcileOptions) => options.remainingMs !== undefined && options.remainingMs() < STOP_WITH_MS_LEFT;

/**
 * Finishes the outboxes that a failed or interrupted run left pending (an SQS send after intake
 * stored the referral, an SMS after routing stored the page): the same flush that runs after
 * every state change, so an effect is carried out once whoever gets to it. Then arms again
 * whatever the next-action index says is overdue.
 */
export async function reconcileOutboxes(deps: Dependencies, settleSeconds = SETTLE_SECONDS, options: ReconcileOptions = {}): Promise<ReconcileResult> {
  const olderThan = new Date(deps.clock.now().getTime() - settleSeconds * 1000);
  const ids = await deps.referrals.withPendingEffects(olderThan, BATCH);
  const result: ReconcileResult = { found: ids.length, finished: 0, failed: 0, rearmed: 0, deferred: 0 };
  for (const [index, id] of ids.entries()) {
    if (outOfTime(options)) {
      result.deferred = (result.deferred ?? 0) + ids.length - index;
      break;
    }
    const referral = await deps.referrals.get(id);
    if (!referral) continue;
    try {
      await flushOutbox(deps, referral);
      result.finished++;
      deps.log.info('pending effects finished', { referralId: id, effects: Object.keys(referral.outbox).length });
    } catch (error) {
      // One referral's failing send must not hold up the others: it is tried again after them.
      result.failed++;
      await deps.referrals.postponePending(id).catch(() => undefined);
      deps.log.error('pending effects failed again', {
        referralId: id,
        // The name only: a provider's message may quote the phone number it refused.
        error: error instanceof Error ? error.name : 'unknown',
      });
    }
  }
  if (!outOfTime(options)) await rearmOverdue(deps, result, options);
  return result;
}

/** The effect that arms an action again: the same timer message, or routing queued once more. */
function rearmEffect(action: NextAction): PendingEffect {
  switch (action.kind) {
    case 'route':
      return { kind: 'queue-referral' };
    case 'ack-timer':
      return { kind: 'timer', pageSeq: action.pageSeq, dueAt: action.at };
    case 'overrun':
      return { kind: 'overrun-timer', overrun: action.overrun, dueAt: action.at };
    case 'clock-warning':
      return { kind: 'clock-timer', clockKind: action.clockKind, hoursBefore: action.hoursBefore, expiresAt: action.expiresAt, dueAt: action.at };
  }
}

/**
 * No referral may sit `paging` without an armed timer, whatever SQS loses: each overdue action is
 * armed again through the outbox (one state write with a `timers_rearmed` entry, so the index
 * moves on and a crash leaves the effect for the next run), and counted for the alarm. A timer
 * that was only late is harmless twice: its handler checks the page, or warning, it is for.
 */
async function rearmOverdue(deps: Dependencies, result: ReconcileResult, options: ReconcileOptions): Promise<void> {
  const overdueMs = (options.overdueSeconds ?? OVERDUE_SECONDS) * 1000;
  const ids = await deps.referrals.withOverdueActions(new Date(deps.clock.now().getTime() - overdueMs), BATCH);
  for (const [index, id] of ids.entries()) {
    if (outOfTime(options)) {
      result.deferred = (result.deferred ?? 0) + ids.length - index;
      return;
    }
    let rearmed: NextAction[] = [];
    try {
      await changeReferral(deps, id, (referral, now) => {
        rearmed = nextActions(referral, now).filter((action) => Date.parse(action.at) < now.getTime() - overdueMs);
        // Nothing overdue after all (the index lags, or a clock ran out): the write just moves the index on.
        if (rearmed.length === 0) return { ...referral };
        return {
          ...referral,
          timeline: [...referral.timeline, { at: now.toISOString(), type: 'timers_rearmed', actions: rearmed.map((action) => action.kind) }],
          outbox: addEffects(referral, rearmed.map(rearmEffect)),
        };
      });
    } catch (error) {
      result.failed++;
      deps.log.error('could not arm an overdue timer again', { referralId: id, error: error instanceof Error ? error.name : 'unknown' });
      continue;
    }
    if (rearmed.length === 0) continue;
    result.rearmed = (result.rearmed ?? 0) + 1;
    deps.metrics.count('TimersRearmed');
    deps.log.warn('overdue timer armed again', { referralId: id, actions: rearmed.map((action) => action.kind) });
  }
}
