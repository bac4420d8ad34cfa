import { normaliseUkMobile } from '../domain/phone.ts';
import { whoIsOnDuty } from '../domain/rota.ts';
import type { Team } from '../domain/types.ts';
import type { Dependencies } from '../ports.ts';

/** The manager on duty for the team now, else the team's fallback phone; null when it has neither. */
export async function managerPhone(deps: Dependencies, teamId: string | undefined, now: Date): Promise<string | null> {
  if (!teamId) return null;
  const onCall = whoIsOnDuty(await deps.directory.shiftsAt(teamId, now), now);
  const manager = onCall.manager ? await deps.directory.getStaff(onCall.manager) : null;
  if (manager) return manager.phone;
  return (await deps.directory.getTeam(teamId))?.fallbackPhone ?? null;
}

/** The team's fallback phone, else the service's, as mobiles to text; null when neither is set. */
export async function teamOrServiceFallback(deps: Dependencies, team: Team): Promise<string | null> {
  const teamFallback = team.fallbackPhone ? normaliseUkMobile(team.fallbackPhone) : null;
  return teamFallback ?? serviceFallbackPhone(deps);
}

/** The service's fallback phone, as a mobile to text; null when it is not set. */
export async function serviceFallbackPhone(deps: Dependencies): Promise<string | null> {
  const service = await deps.directory.getServiceSettings();
  return service.fallbackPhone ? normaliseUkMobile(service.fallbackPhone) : null;
}

const phoneOf = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : null);

/**
 * The number a referrer is given wherever a page says "call the emergency duty team": the team's
 * `contactPhone`, else the service's, else the team's fallback phone (the number the service
 * already answers when nobody accepts). Read defensively: `contactPhone` is a newer setting.
 */
export async function emergencyDutyTeamPhone(deps: Dependencies, referral: { teamId?: string | undefined; district: string }): Promise<string | null> {
  // Before routing has run, the team whose areas hold the district is the one that will take it.
  const [team, service] = await Promise.all([
    referral.teamId ? deps.directory.getTeam(referral.teamId) : deps.directory.teamForDistrict(referral.district),
    deps.directory.getServiceSettings().catch(() => ({})),
  ]);
  const contact = team as { contactPhone?: unknown } | null;
  return phoneOf(contact?.contactPhone) ?? phoneOf((service as { contactPhone?: unknown }).contactPhone) ?? phoneOf(team?.fallbackPhone);
}
