import type { ScheduledEvent } from 'aws-lambda';
import { runCoverageCheck, type CoverageAlertOutcome } from '../../shared/app/coverage-alert.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { lambdaEntry } from '../commons/wiring.ts';

/**
 * Run every 30 minutes (EventBridge in AWS, a timer locally): from 09:00 UK time, once a day per
 * team, texts the managers rostered in the next 24 hours when the rota has a gap in them.
 */
export const makeHandler = (deps: Dependencies) => async (_event: ScheduledEvent): Promise<CoverageAlertOutcome[]> => {
  const outcomes = await runCoverageCheck(deps);
  const alerted = outcomes.filter((o) => o.result === 'alerted' || o.result === 'failed');
  if (alerted.length > 0) deps.log.info('coverage check run', { teams: outcomes.length, alerted: alerted.length });
  return outcomes;
};

export const handler = lambdaEntry(makeHandler);
