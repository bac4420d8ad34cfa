import { whoIsOnDuty } from '../domain/rota.ts';
import type { Dependencies } from '../ports.ts';

/** The manager on duty for the team now, else the team's fallback phone; null when it has neither. */
export async function managerPhone(deps: Dependencies, teamId: string | undefined, now: Date): Promise<string | null> {
  if (!teamId) return null;
  const onCall = whoIsOnDuty(await deps.directory.shiftsAt(teamId, now), now);
  const manager = onCall.manager ? await deps.directory.getStaff(onCall.manager) : null;
  if (manager) return manager.phone;
  return (await deps.directory.getTeam(teamId))?.fallbackPhone ?? null;
}
