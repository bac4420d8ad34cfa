import type { Dependencies } from '../ports.ts';
import { flushOutbox } from './outbox.ts';

/** Every state write is followed at once by carrying out its effects; a minute on, that has failed. */
export const SETTLE_SECONDS = 60;
/** A run does this many at most; any left over are the oldest of the next run. */
const BATCH = 100;

export interface ReconcileResult {
  found: number;
  finished: number;
  failed: number;
}

/**
 * Finishes the outboxes that a failed or interrupted run left pending (an SQS send after intake
 * stored the referral, an SMS after routing stored the page): the same flush that runs after
 * every state change, so an effect is carried out once whoever gets to it.
 */
export async function reconcileOutboxes(deps: Dependencies, settleSeconds = SETTLE_SECONDS): Promise<ReconcileResult> {
  const olderThan = new Date(deps.clock.now().getTime() - settleSeconds * 1000);
  const ids = await deps.referrals.withPendingEffects(olderThan, BATCH);
  const result: ReconcileResult = { found: ids.length, finished: 0, failed: 0 };
  for (const id of ids) {
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
  return result;
}
