import { canStillAccept } from '../domain/page-standing.ts';
import type { Role } from '../domain/roles.ts';
import type { Dependencies, Referral } from '../ports.ts';

/** Who is calling, from the verified token (Cognito in AWS, the local issuer locally). */
export interface Caller {
  userId: string;
  roles: Role[];
  /** Set for AMHPs and managers: their staff record. */
  staffId?: string;
}

export const hasRole = (caller: Caller, ...roles: Role[]) => roles.some((role) => caller.roles.includes(role));

/** A referral no team holds is on every manager's board, so any manager may act on it: route it, close it, record its events. */
export const managesTeamless = (caller: Caller, referral: Pick<Referral, 'teamId'>) => !referral.teamId && hasRole(caller, 'manager');

/** Staff of the team: AMHPs and managers whose staff record lists it. */
export async function isTeamStaff(deps: Dependencies, caller: Caller, teamId: string | undefined): Promise<boolean> {
  if (!teamId || !caller.staffId || !hasRole(caller, 'amhp', 'manager')) return false;
  const staff = await deps.directory.getStaff(caller.staffId);
  return staff?.teamIds.includes(teamId) ?? false;
}

/** The referrer who made it, and its team's AMHPs and managers. */
export async function canSeeReferral(deps: Dependencies, caller: Caller, referral: Referral): Promise<boolean> {
  return referral.createdBy === caller.userId || isTeamStaff(deps, caller, referral.teamId);
}

/** Paged for it, not declined (nor conflicted), and nobody has accepted it yet: they may still accept. */
export function holdsOpenPage(referral: Referral, staffId: string): boolean {
  return canStillAccept(referral, staffId);
}

/**
 * The team's managers; the AMHP who accepted it; an AMHP paged for it who may still accept. An
 * AMHP who declined or declared a conflict, or was paged before someone else accepted, no
 * longer needs the person's details. All must be staff of the referral's team.
 */
export async function canSeeReferralDetails(deps: Dependencies, caller: Caller, referral: Referral): Promise<boolean> {
  const staffId = caller.staffId;
  if (!staffId || !(await isTeamStaff(deps, caller, referral.teamId))) return false;
  if (hasRole(caller, 'manager')) return true;
  if (referral.conflicts?.includes(staffId)) return false;
  return referral.assignedTo === staffId || holdsOpenPage(referral, staffId);
}
