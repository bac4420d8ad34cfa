import type { Referral } from '../ports.ts';

/** The contract v1 shape of a referral. Personal details only when asked for (and then audited). */
export function referralView(referral: Referral, options: { details: boolean }) {
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
    clocks: referral.clocks,
    ...(options.details ? { submission: referral.submission } : {}),
  };
}

export const statusUrl = (referral: Referral) => `/api/referrals/${referral.id}`;
