import { clockState, clockViews } from '../domain/clocks.ts';
import { joinSubmission } from '../domain/referral-details.ts';
import { detailsRetention, type DetailsRetention, type PersonalDetails } from '../domain/retention.ts';
import { referrerProgress } from '../domain/referrer-progress.ts';
import { delaysOf, stageOf } from '../domain/stage.ts';
import type { Referral } from '../ports.ts';
import type { ReferrerStatusView } from './referrer-status.ts';

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
    ...stageView(referral),
    personalDetails: personalDetailsView(personal ?? detailsRetention(referral.detailsExpireAt, now)),
    ...(personal?.status === 'held' ? { submission: joinSubmission(referral, personal.details) } : {}),
  };
}

/** Where the assessment has got to (shared/domain/stage.ts): the furthest step, since when, and every delay. */
export function stageView(referral: Pick<Referral, 'timeline'>) {
  const { stage, since } = stageOf(referral.timeline);
  return { stage, stageSince: since, delays: delaysOf(referral.timeline) };
}

/** Whether the details are kept and until when, or when they were removed: never the details themselves. */
export const personalDetailsView = (retention: DetailsRetention | PersonalDetails) =>
  retention.status === 'held'
    ? { status: 'held' as const, removeAt: retention.removeAt }
    : { status: 'removed' as const, removedAt: retention.removedAt, reason: 'retention_policy' as const };

export const statusUrl = (referral: Referral) => `/api/referrals/${referral.id}`;

/**
 * The referral as its referrer sees it through the API: what the status page shows and no more
 * (issue 15). The AMHP who accepted is given by name and phone, as the page gives them, never by
 * staff id; the timeline holds only the steps the page lists, as `{at, type, text}`, with no
 * staff ids, decline reasons, conflicts or missed pages; a clock's extension (the doctor's name,
 * who recorded it) stays with the team. The referrer's own submission comes back when asked for.
 */
export function referrerReferralView(referral: Referral, status: ReferrerStatusView, now: Date, personal?: PersonalDetails) {
  return {
    id: referral.id,
    reference: referral.reference,
    status: referral.status,
    channel: referral.channel,
    createdAt: referral.createdAt,
    district: referral.district,
    urgency: status.urgency,
    legalStatus: status.legalStatus,
    teamId: referral.teamId ?? null,
    teamName: status.teamName,
    assignedTo: status.amhp ? { name: status.amhp.name, phone: status.amhp.phone } : null,
    stage: status.progress.stage,
    headline: status.progress.headline,
    acceptedAt: status.progress.acceptedAt,
    callBackBy: status.progress.callBackBy,
    timeline: referrerTimeline(referral, status),
    // The state too, so a referrer can see a clock has run out (or ended), not only when it would.
    clocks: referral.clocks.map((clock) => ({ kind: clock.kind, startedAt: clock.startedAt, expiresAt: clock.expiresAt, state: clockState(clock, now) })),
    personalDetails: personalDetailsView(personal ?? detailsRetention(referral.detailsExpireAt, now)),
    ...(personal?.status === 'held' ? { submission: joinSubmission(referral, personal.details) } : {}),
  };
}

/**
 * The timeline entries the status page lists, each with the page's words: an entry is the
 * referrer's when the page has a sentence for it (shared/domain/referrer-progress.ts decides).
 */
function referrerTimeline(referral: Referral, status: ReferrerStatusView) {
  const names = { teamName: status.teamName, amhpName: status.amhp?.name ?? null };
  const input = { status: referral.status, urgency: referral.urgency, district: referral.district };
  return referral.timeline.flatMap((entry) => {
    const [event] = referrerProgress({ ...input, timeline: [entry] }, names).events;
    return event ? [{ at: entry.at, type: entry.type, text: event.text }] : [];
  });
}
