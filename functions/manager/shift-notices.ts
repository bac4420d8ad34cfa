import type { ScheduledEvent } from 'aws-lambda';
import { runShiftNotices, type ShiftNoticeOutcome } from '../../shared/app/shift-notices.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { lambdaEntry } from '../commons/wiring.ts';

/**
 * Run every 5 minutes (EventBridge in AWS, a timer locally): texts each person on the rota before
 * their shift (and the evening before, where the team says so), and the manager on duty when a
 * position is about to start empty. Each notice once, however often or however many runs find it.
 */
export const makeHandler = (deps: Dependencies) => async (_event: ScheduledEvent): Promise<ShiftNoticeOutcome[]> => runShiftNotices(deps);

export const handler = lambdaEntry(makeHandler);
