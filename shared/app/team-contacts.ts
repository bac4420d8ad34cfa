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

const phoneOf = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : null);

/**
 * The number a referrer is given wherever a page says "call the emergency duty team": the team's
 * `contactPhone`, else the service's, else the team's fallback phone (the number the service
 * already answers when nobody accepts). Read defensively: `contactPhone` is a newer setting.
 */
export async function emergencyDutyTeamPhone(deps: Dependencies, teamId: string | undefined | null): Promise<string | null> {
  const [team, service] = await Promise.all([
    teamId ? deps.directory.getTeam(teamId) : null,
    deps.directory.getServiceSettings().catch(() => ({})),
  ]);
  const contact = team as { contactPhone?: unknown } | null;
  return phoneOf(contact?.contactPhone) ?? phoneOf((service as { contactPhone?: unknown }).contactPhone) ?? phoneOf(team?.fallbackPhone);
}
