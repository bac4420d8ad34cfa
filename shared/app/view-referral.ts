import { withViews } from '../domain/audit.ts';
import type { PersonalDetails } from '../domain/retention.ts';
import type { TimelineEntry } from '../domain/types.ts';
import type { Dependencies, Referral } from '../ports.ts';
import { canSeeReferral, canSeeReferralDetails, isTeamStaff, type Caller } from './caller.ts';
import { noticeRemoval, referralWithDetails } from './personal-details.ts';

export type ViewResult =
  | {
      kind: 'found';
      referral: Referral;
      /** Only when details were asked for. */
      personal?: PersonalDetails;
      /** The caller is its referrer and not staff of its team: they get the status page's cut-down view. */
      asReferrer?: boolean;
    }
  | { kind: 'not-found' }
  | { kind: 'forbidden' };

/**
 * Status is free to look at for the referrer and the team's staff; personal details only for
 * those with a need to know (`canSeeReferralDetails`), recorded in the audit trail each time they
 * are shown (who and when), before they are returned. Details removed under the retention policy
 * are shown as removed, and nothing is recorded as viewed.
 */
export async function viewReferral(
  deps: Dependencies,
  caller: Caller,
  referralId: string,
  options: { details: boolean },
): Promise<ViewResult> {
  if (!options.details) {
    const referral = await deps.referrals.get(referralId);
    if (!referral) return { kind: 'not-found' };
    if (!(await canSeeReferral(deps, caller, referral))) return { kind: 'forbidden' };
    const [asReferrer, trail] = await Promise.all([seesAsReferrer(deps, caller, referral), withAuditTrail(deps, referral)]);
    return { kind: 'found', referral: trail, asReferrer };
  }
  const found = await referralWithDetails(deps, referralId);
  if (!found) return { kind: 'not-found' };
  const { referral } = found;
  if (!(await canSeeReferral(deps, caller, referral))) return { kind: 'forbidden' };
  // The person's details: the referrer who gave them, or staff with a need to know tonight.
  if (referral.createdBy !== caller.userId && !(await canSeeReferralDetails(deps, caller, referral))) {
    return { kind: 'forbidden' };
  }
  const shown = await showDetails(deps, caller, found);
  return shown.kind === 'found' ? { ...shown, asReferrer: await seesAsReferrer(deps, caller, referral) } : shown;
}

/** Its referrer, unless they are also staff of its team (who see the team's view). */
const seesAsReferrer = async (deps: Dependencies, caller: Caller, referral: Referral) =>
  referral.createdBy === caller.userId && !(await isTeamStaff(deps, caller, referral.teamId));

/**
 * For a caller already allowed to see them: records the view in the audit trail before the
 * details are returned, or, once they are removed under the retention policy, records that
 * instead. The answer's timeline includes every view so far.
 * `via`: where they were shown, when not the API (`web` for the AMHP's referral page).
 */
export async function showDetails(
  deps: Dependencies,
  caller: Caller,
  found: { referral: Referral; personal: PersonalDetails },
  via?: 'web',
): Promise<ViewResult> {
  const { referral, personal } = found;
  if (personal.status === 'removed') return { kind: 'found', referral: await withAuditTrail(deps, await noticeRemoval(deps, referral, personal)), personal };
  const detail = { ...(caller.staffId ? { staffId: caller.staffId } : {}), ...(via ? { via } : {}) };
  const entry: TimelineEntry = { at: deps.clock.now().toISOString(), type: 'viewed', by: caller.userId, what: 'details', ...detail };
  // Recorded before the details leave, in an item of its own: the referral's state is not written.
  await deps.audit.recordView(referral.id, entry);
  return { kind: 'found', referral: await withAuditTrail(deps, referral), personal };
}

/** The referral with every view of the person's details put into its timeline. */
const withAuditTrail = async (deps: Dependencies, referral: Referral): Promise<Referral> => ({
  ...referral,
  timeline: withViews(referral.timeline, await deps.audit.views(referral.id)),
});
