import { callbackPhoneOf } from '../domain/referral-details.ts';
import { referrerProgress, type ReferrerProgress } from '../domain/referrer-progress.ts';
import { detailsRetention, type PersonalDetails } from '../domain/retention.ts';
import type { LegalStatus, Urgency } from '../domain/types.ts';
import type { Dependencies, Referral } from '../ports.ts';
import { canSeeReferral, type Caller } from './caller.ts';
import { clockKindOf, clockViews, earliestExpiry, placeOfSafetyStatuses } from '../domain/clocks.ts';
import type { ClockState } from '../domain/types.ts';
import { noticeRemoval, referralWithDetails } from './personal-details.ts';

/** What the referrer's confirmation and status pages show: no personal data of the subject. */
export interface ReferrerStatusView {
  id: string;
  reference: string;
  createdAt: string;
  channel: Referral['channel'];
  urgency: Urgency;
  legalStatus: LegalStatus;
  district: string;
  /**
   * The referrer's own number, which the AMHP will call; null once the details are removed under
   * the retention policy, and in the list of referrals (which does not show it).
   */
  callbackPhone: string | null;
  /** When the details were removed under the retention policy; null while they are kept. */
  detailsRemovedAt: string | null;
  /** When the first statutory clock runs out (extension included), or null when none runs. */
  clockExpiresAt: string | null;
  /** Whether that time has passed: the page says the power has run out, and that the team knows. */
  clockExpired: boolean;
  teamName: string | null;
  amhp: { name: string; phone: string } | null;
  progress: ReferrerProgress;
  /**
   * For s135 and s136: the place of safety clock as the referrer may report on it (pending until
   * they report the arrival, then running and open to a transfer); null for other statuses.
   */
  placeOfSafety: { state: ClockState; startedAt: string | null; expiresAt: string | null; open: boolean } | null;
}

export type ReferrerStatusResult = { kind: 'found'; view: ReferrerStatusView } | { kind: 'not-found' };

type Lookup<T> = (id: string) => Promise<T | null>;

/** Looks each id up once: a list of referrals mostly names the same team and a few AMHPs. */
function once<T>(lookup: Lookup<T>): Lookup<T> {
  const seen = new Map<string, Promise<T | null>>();
  return (id) => {
    if (!seen.has(id)) seen.set(id, lookup(id));
    return seen.get(id) as Promise<T | null>;
  };
}

/** `personal`: the details read with the referral; without them, no callback number is shown. */
export async function referrerStatusOf(
  deps: Dependencies,
  referral: Referral,
  personal?: PersonalDetails,
  lookups = {
    team: (id: string) => deps.directory.getTeam(id),
    staff: (id: string) => deps.directory.getStaff(id),
    service: () => deps.directory.getServiceSettings(),
  },
): Promise<ReferrerStatusView> {
  const [team, amhp, service] = await Promise.all([
    referral.teamId ? lookups.team(referral.teamId) : null,
    referral.assignedTo ? lookups.staff(referral.assignedTo) : null,
    lookups.service(),
  ]);
  // The number to call: the team's own, else the service's, else the service fallback's.
  const contactPhone = team?.contactPhone ?? service.contactPhone ?? service.fallbackPhone ?? null;
  const { urgency } = referral;
  const retention = personal ?? detailsRetention(referral.detailsExpireAt, deps.clock.now());
  return {
    id: referral.id,
    reference: referral.reference,
    createdAt: referral.createdAt,
    channel: referral.channel,
    urgency,
    legalStatus: referral.legal.status,
    district: referral.district,
    callbackPhone: personal?.status === 'held' ? callbackPhoneOf(personal.details) : null,
    detailsRemovedAt: retention.status === 'removed' ? retention.removedAt : null,
    clockExpiresAt: earliestExpiry(referral.clocks),
    clockExpired: (() => {
      const expiry = earliestExpiry(referral.clocks);
      return expiry !== null && Date.parse(expiry) <= deps.clock.now().getTime();
    })(),
    teamName: team?.name ?? null,
    amhp: amhp ? { name: amhp.name, phone: amhp.phone } : null,
    placeOfSafety: placeOfSafetyOf(referral, deps.clock.now()),
    progress: referrerProgress(
      { status: referral.status, urgency, district: referral.district, timeline: referral.timeline },
      { teamName: team?.name ?? null, amhpName: amhp?.name ?? null, contactPhone },
    ),
  };
}

function placeOfSafetyOf(referral: Referral, now: Date): ReferrerStatusView['placeOfSafety'] {
  if (!placeOfSafetyStatuses.includes(referral.legal.status)) return null;
  const kind = clockKindOf(referral.legal.status);
  const clock = clockViews(referral.legal, referral.clocks, now).find((c) => c.kind === kind);
  if (!clock) return null;
  return { state: clock.state, startedAt: clock.startedAt, expiresAt: clock.expiresAt, open: referral.status !== 'closed' };
}

/**
 * The referral as its referrer (or its team's staff) may see it, with the referrer's own number;
 * anyone else gets not-found, so ids cannot be probed.
 */
export async function referrerStatus(deps: Dependencies, caller: Caller, referralId: string): Promise<ReferrerStatusResult> {
  const found = await referralWithDetails(deps, referralId);
  if (!found || !(await canSeeReferral(deps, caller, found.referral))) return { kind: 'not-found' };
  const referral = await noticeRemoval(deps, found.referral, found.personal);
  return { kind: 'found', view: await referrerStatusOf(deps, referral, found.personal) };
}

/** The caller's own referrals, newest first, as summaries. */
export async function referrerHistory(deps: Dependencies, caller: Caller, limit = 20): Promise<ReferrerStatusView[]> {
  if (!deps.referrals.listByReferrer) return [];
  const referrals = await deps.referrals.listByReferrer(caller.userId, limit);
  const service = deps.directory.getServiceSettings();
  const lookups = {
    team: once((id: string) => deps.directory.getTeam(id)),
    staff: once((id: string) => deps.directory.getStaff(id)),
    service: () => service,
  };
  return Promise.all(referrals.filter((r) => r.createdBy === caller.userId).map((r) => referrerStatusOf(deps, r, undefined, lookups)));
}
