import type { Role } from '../../infra/definition.ts';
import type { Dependencies, Referral } from '../ports.ts';

/** Who is calling, from the verified token (Cognito in AWS, the local issuer locally). */
export interface Caller {
  userId: string;
  roles: Role[];
  /** Set for AMHPs and managers: their staff record. */
  staffId?: string;
}

export const hasRole = (caller: Caller, ...roles: Role[]) => roles.some((role) => caller.roles.includes(role));

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
