import type { PersonalDetails } from '../domain/retention.ts';
import type { Dependencies, Referral } from '../ports.ts';
import { canSeeReferralDetails, holdsOpenPage, type Caller } from './caller.ts';
import { referralWithDetails } from './personal-details.ts';
import { showDetails } from './view-referral.ts';

/**
 * The AMHP's referral page: everything the referrer gave, behind sign-in, each showing recorded
 * on the timeline (who, when) before it is returned. Narrower than the referral's status
 * (`canSeeReferral`: any of the team's staff): only those with a need to know tonight.
 */

export interface AmhpReferralView {
  referral: Referral;
  /** The person's details, or when they were removed under the retention policy. */
  personal: PersonalDetails;
  teamName: string | null;
  /** The AMHP who accepted it, by name. */
  acceptedBy: string | null;
  /** The care co-ordinator the referrer named, by name (their staff id when no longer known). */
  careCoordinator: string | null;
  /** The viewer was paged for it and may still accept or decline. */
  canAnswer: boolean;
}

export type AmhpReferralResult = { kind: 'found'; view: AmhpReferralView } | { kind: 'not-found' } | { kind: 'forbidden' };

export async function amhpReferral(deps: Dependencies, caller: Caller, referralId: string): Promise<AmhpReferralResult> {
  // The referral and the details in one read; shown (and recorded) only to those with a need to know.
  const found = await referralWithDetails(deps, referralId);
  if (!found) return { kind: 'not-found' };
  if (!(await canSeeReferralDetails(deps, caller, found.referral))) {
    // Ids only: who tried, and for what.
    deps.log.warn('referral details refused', { referralId, staffId: caller.staffId ?? null });
    return { kind: 'forbidden' };
  }
  const viewed = await showDetails(deps, caller, found, 'web');
  if (viewed.kind !== 'found') return viewed;
  const shown = viewed.referral;
  const coordinatorId = shown.careCoordinatorStaffId;
  const [team, amhp, coordinator] = await Promise.all([
    shown.teamId ? deps.directory.getTeam(shown.teamId) : null,
    shown.assignedTo ? deps.directory.getStaff(shown.assignedTo) : null,
    coordinatorId ? deps.directory.getStaff(coordinatorId) : null,
  ]);
  return {
    kind: 'found',
    view: {
      referral: shown,
      personal: viewed.personal ?? found.personal,
      teamName: team?.name ?? null,
      acceptedBy: amhp?.name ?? shown.assignedTo ?? null,
      careCoordinator: coordinator?.name ?? coordinatorId ?? null,
      canAnswer: caller.staffId !== undefined && holdsOpenPage(shown, caller.staffId),
    },
  };
}
