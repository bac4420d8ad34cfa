import type { Staff } from '../domain/types.ts';
import type { Dependencies, Referral } from '../ports.ts';
import type { Caller } from './caller.ts';

/**
 * The open referrals an AMHP accepted and still holds, oldest first: one Query of the open
 * referrals index per team of theirs (a handful each night), never a scan.
 */
export async function heldReferrals(deps: Dependencies, staff: Pick<Staff, 'id' | 'teamIds'>): Promise<Referral[]> {
  const lists = await Promise.all(staff.teamIds.map((teamId) => deps.referrals.openReferrals(teamId)));
  return lists
    .flat()
    .filter((referral) => referral.status === 'accepted' && referral.assignedTo === staff.id)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** A member of staff acting by text: their phone is proven theirs, so the staff record is the caller. */
export const staffCaller = (staff: Staff): Caller => ({ userId: staff.id, roles: staff.roles, staffId: staff.id });
