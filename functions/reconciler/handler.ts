import type { Context, ScheduledEvent } from 'aws-lambda';
import { reconcileOutboxes, SETTLE_SECONDS, type ReconcileResult } from '../../shared/app/reconcile.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { lambdaEntry } from '../commons/wiring.ts';

export interface ReconcilerOptions {
  /** How long effects must have been pending; the local runtime's tests shorten it. */
  settleSeconds?: number;
}

/**
 * Run every minute (EventBridge in AWS, a timer locally). Throws when a referral's effects fail
 * again, so the function's error alarm tells operators that something keeps failing.
 */
export const makeHandler =
  (deps: Dependencies, options: ReconcilerOptions = {}) =>
  async (_event: ScheduledEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<ReconcileResult> => {
    // The time budget: what is not started before the function's timeout nears is the next run's.
    const remainingMs = context?.getRemainingTimeInMillis ? () => context.getRemainingTimeInMillis() : undefined;
    const result = await reconcileOutboxes(deps, options.settleSeconds ?? SETTLE_SECONDS, remainingMs ? { remainingMs } : {});
    if (result.found > 0 || (result.rearmed ?? 0) > 0 || (result.deferred ?? 0) > 0) deps.log.info('reconciler run', { ...result });
    if (result.failed > 0) throw new Error(`${result.failed} referral(s) still have effects that fail`);
    return result;
  };

export const handler = lambdaEntry(makeHandler);
