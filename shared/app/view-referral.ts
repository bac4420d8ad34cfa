import type { Dependencies, Referral } from '../ports.ts';
import { canSeeReferral, canSeeReferralDetails, type Caller } from './caller.ts';
import { changeReferral } from './outbox.ts';

export type ViewResult = { kind: 'found'; referral: Referral } | { kind: 'not-found' } | { kind: 'forbidden' };

/**
 * Status is free to look at for the referrer and the team's staff; personal details only for
 * those with a need to know (`canSeeReferralDetails`), recorded on the timeline each time they
 * are shown (who and when), before they are returned.
 */
export async function viewReferral(
  deps: Dependencies,
  caller: Caller,
  referralId: string,
  options: { details: boolean; /** Where they were shown, when not the API: `web` for the AMHP's referral page. */ via?: 'web' },
): Promise<ViewResult> {
  const referral = await deps.referrals.get(referralId);
  if (!referral) return { kind: 'not-found' };
  if (!(await canSeeReferral(deps, caller, referral))) return { kind: 'forbidden' };
  if (!options.details) return { kind: 'found', referral };
  // The person's details: the referrer who gave them, or staff with a need to know tonight.
  if (referral.createdBy !== caller.userId && !(await canSeeReferralDetails(deps, caller, referral))) {
    return { kind: 'forbidden' };
  }
  const detail = { ...(caller.staffId ? { staffId: caller.staffId } : {}), ...(options.via ? { via: options.via } : {}) };
  const audited = await changeReferral(deps, referralId, (current, now) => ({
    ...current,
    timeline: [...current.timeline, { at: now.toISOString(), type: 'viewed', by: caller.userId, what: 'details', ...detail }],
  }));
  return audited ? { kind: 'found', referral: audited.referral } : { kind: 'not-found' };
}
