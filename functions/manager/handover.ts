import type { ScheduledEvent } from 'aws-lambda';
import { runHandover, type HandoverOutcome } from '../../shared/app/handover.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { lambdaEntry } from '../commons/wiring.ts';

/**
 * Run every 5 minutes (EventBridge in AWS, a timer locally): when a team's out-of-hours period has
 * just ended, puts every referral it still has open on the morning handover list and texts the
 * list to its day service, once however many runs find it.
 */
export const makeHandler = (deps: Dependencies) => async (_event: ScheduledEvent): Promise<HandoverOutcome[]> => runHandover(deps);

export const handler = lambdaEntry(makeHandler);
