import type { Team } from '../domain/types.ts';
import type { Dependencies } from '../ports.ts';

/**
 * A scheduled run's work for every team in turn. One team's failure must not keep the others'
 * from being done: it is logged (the team and the error's name), and the run still fails once the
 * rest are done, naming the teams (the function's error alarm); the next run makes up what is missing.
 */
export async function forEveryTeam<R>(deps: Dependencies, run: string, work: (team: Team) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  const failed: string[] = [];
  for (const team of await deps.directory.listTeams()) {
    try {
      results.push(await work(team));
    } catch (error) {
      failed.push(team.id);
      deps.log.error(`${run} run failed for a team`, { teamId: team.id, error: error instanceof Error ? error.name : 'unknown' });
    }
  }
  if (failed.length > 0) throw new Error(`the ${run} failed for ${failed.length} team(s): ${failed.join(', ')}`);
  return results;
}
