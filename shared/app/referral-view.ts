import { clockViews } from '../domain/clocks.ts';
import { joinSubmission } from '../domain/referral-details.ts';
import { detailsRetention, type DetailsRetention, type PersonalDetails } from '../domain/retention.ts';
import type { Referral } from '../ports.ts';

/**
 * The contract v1 shape of a referral. `personalDetails` says whether the person's details are
 * still kept (and until when) or were removed under the retention policy (and when); the details
 * themselves, as `submission`, only when asked for (and then audited) and still kept.
 */
export function referralView(referral: Referral, now: Date, personal?: PersonalDetails) {
  return {
    id: referral.id,
    reference: referral.reference,
    status: referral.status,
    channel: referral.channel,
    createdAt: referral.createdAt,
    district: referral.district,
    teamId: referral.teamId ?? null,
    assignedTo: referral.assignedTo ?? null,
    timeline: referral.timeline,
    clocks: clockViews(referral.legal, referral.clocks, now),
    personalDetails: personalDetailsView(personal ?? detailsRetention(referral.detailsExpireAt, now)),
    ...(personal?.status === 'held' ? { submission: joinSubmission(referral, personal.details) } : {}),
  };
}

/** Whether the details are kept and until when, or when they were removed: never the details themselves. */
export const personalDetailsView = (retention: DetailsRetention | PersonalDetails) =>
  retention.status === 'held'
    ? { status: 'held' as const, removeAt: retention.removeAt }
    : { status: 'removed' as const, removedAt: retention.removedAt, reason: 'retention_policy' as const };

export const statusUrl = (referral: Referral) => `/api/referrals/${referral.id}`;
