import type { ScheduledEvent } from 'aws-lambda';
import { runStatisticsRollups } from '../../shared/app/statistics-read.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { lambdaEntry } from '../commons/wiring.ts';

/** Teams are started for this long; the function's timeout (infra/definition/functions.ts) leaves the last one time to finish. */
const START_TEAMS_FOR_MS = 60_000;

/**
 * Run every half hour (EventBridge in AWS, a timer locally): rolls up the statistics of each
 * team's London days that are over and closed (shared/app/statistics-read.ts), so that the
 * response-times page and the dashboard read a year as roll-ups.
 */
export const makeHandler = (deps: Dependencies) => async (_event: ScheduledEvent): Promise<{ teamId: string; daysRead: number | null }[]> => {
  const started = performance.now();
  const teams = await runStatisticsRollups(deps, () => performance.now() - started < START_TEAMS_FOR_MS);
  const daysRead = teams.reduce((sum, team) => sum + (team.daysRead ?? 0), 0);
  const leftForNextRun = teams.filter((team) => team.daysRead === null).length;
  if (daysRead > 0 || leftForNextRun > 0) deps.log.info('statistics roll-up run', { teams: teams.length, daysRead, leftForNextRun });
  return teams;
};

export const handler = lambdaEntry(makeHandler);
