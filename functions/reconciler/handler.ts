import type { ScheduledEvent } from 'aws-lambda';
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
  async (_event: ScheduledEvent): Promise<ReconcileResult> => {
    const result = await reconcileOutboxes(deps, options.settleSeconds ?? SETTLE_SECONDS);
    if (result.found > 0) deps.log.info('reconciler run', { ...result });
    if (result.failed > 0) throw new Error(`${result.failed} referral(s) still have effects that fail`);
    return result;
  };

export const handler = lambdaEntry(makeHandler);
