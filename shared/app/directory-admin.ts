import { ulid } from 'ulid';
import { validateStaff, validateTeam, type Validated } from '../domain/admin-schemas.ts';
import { validateRota, whoIsOnDuty } from '../domain/rota.ts';
import type { OnCall, Shift, Staff, Team } from '../domain/types.ts';
import type { Dependencies } from '../ports.ts';

export async function putTeam(deps: Dependencies, id: string, body: unknown): Promise<Validated<Team>> {
  const result = validateTeam(id, body);
  if (result.ok) await deps.directory.putTeam(result.value);
  return result;
}

export async function putStaff(deps: Dependencies, id: string, body: unknown): Promise<Validated<Staff>> {
  const result = validateStaff(id, body);
  if (result.ok) await deps.directory.putStaff(result.value);
  return result;
}

export type RotaResult = Validated<Shift[]> | { ok: false; notFound: 'team' };

/** Replaces the team's rota. Every shift must name known staff of the team, or nothing is stored. */
export async function putRota(deps: Dependencies, teamId: string, body: unknown): Promise<RotaResult> {
  if (!(await deps.directory.getTeam(teamId))) return { ok: false, notFound: 'team' };
  const result = validateRota(body);
  if (!result.ok) return result;
  const issues = [];
  const staffIds = [...new Set(result.value.shifts.map((shift) => shift.staffId))];
  const staff = new Map((await Promise.all(staffIds.map((id) => deps.directory.getStaff(id)))).map((s, i) => [staffIds[i], s]));
  for (const [index, shift] of result.value.shifts.entries()) {
    const member = staff.get(shift.staffId);
    if (!member) issues.push({ path: `shifts.${index}.staffId`, message: 'is not a known staff member' });
    else if (!member.teamIds.includes(teamId)) issues.push({ path: `shifts.${index}.staffId`, message: 'is not a member of this team' });
  }
  if (issues.length > 0) return { ok: false, issues };
  const shifts: Shift[] = result.value.shifts.map((shift) => ({
    id: ulid(),
    teamId,
    staffId: shift.staffId,
    position: shift.position,
    start: new Date(shift.start).toISOString(),
    end: new Date(shift.end).toISOString(),
  }));
  await deps.directory.replaceRota(teamId, shifts);
  return { ok: true, value: shifts };
}

export async function onCallAt(deps: Dependencies, teamId: string, at: Date): Promise<OnCall | null> {
  if (!(await deps.directory.getTeam(teamId))) return null;
  return whoIsOnDuty(await deps.directory.shiftsAt(teamId, at), at);
}
