import { referralLegal, referralUrgency, referrerCallbackPhone } from '../domain/referral-schema.ts';
import { referrerProgress, type ReferrerProgress } from '../domain/referrer-progress.ts';
import type { LegalStatus, Urgency } from '../domain/types.ts';
import type { Dependencies, Referral } from '../ports.ts';
import type { Caller } from './caller.ts';
import { earliestExpiry } from '../domain/clocks.ts';
import { viewReferral } from './view-referral.ts';

/** What the referrer's confirmation and status pages show: no personal data of the subject. */
export interface ReferrerStatusView {
  id: string;
  reference: string;
  createdAt: string;
  channel: Referral['channel'];
  urgency: Urgency;
  legalStatus: LegalStatus;
  district: string;
  /** The referrer's own number, which the AMHP will call. */
  callbackPhone: string;
  /** When the first statutory clock runs out (extension included), or null when none runs. */
  clockExpiresAt: string | null;
  teamName: string | null;
  amhp: { name: string; phone: string } | null;
  progress: ReferrerProgress;
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

export async function referrerStatusOf(
  deps: Dependencies,
  referral: Referral,
  lookups = { team: (id: string) => deps.directory.getTeam(id), staff: (id: string) => deps.directory.getStaff(id) },
): Promise<ReferrerStatusView> {
  const [team, amhp] = await Promise.all([
    referral.teamId ? lookups.team(referral.teamId) : null,
    referral.assignedTo ? lookups.staff(referral.assignedTo) : null,
  ]);
  const urgency = referralUrgency(referral.submission);
  return {
    id: referral.id,
    reference: referral.reference,
    createdAt: referral.createdAt,
    channel: referral.channel,
    urgency,
    legalStatus: referralLegal(referral.submission).status,
    district: referral.district,
    callbackPhone: referrerCallbackPhone(referral.submission),
    clockExpiresAt: earliestExpiry(referral.clocks),
    teamName: team?.name ?? null,
    amhp: amhp ? { name: amhp.name, phone: amhp.phone } : null,
    progress: referrerProgress(
      { status: referral.status, urgency, district: referral.district, timeline: referral.timeline },
      { teamName: team?.name ?? null, amhpName: amhp?.name ?? null },
    ),
  };
}

/** The referral as its referrer (or its team's staff) may see it; anyone else gets not-found, so ids cannot be probed. */
export async function referrerStatus(deps: Dependencies, caller: Caller, referralId: string): Promise<ReferrerStatusResult> {
  const result = await viewReferral(deps, caller, referralId, { details: false });
  if (result.kind !== 'found') return { kind: 'not-found' };
  return { kind: 'found', view: await referrerStatusOf(deps, result.referral) };
}

/** The caller's own referrals, newest first, as summaries. */
export async function referrerHistory(deps: Dependencies, caller: Caller, limit = 20): Promise<ReferrerStatusView[]> {
  if (!deps.referrals.listByReferrer) return [];
  const referrals = await deps.referrals.listByReferrer(caller.userId, limit);
  const lookups = { team: once((id: string) => deps.directory.getTeam(id)), staff: once((id: string) => deps.directory.getStaff(id)) };
  return Promise.all(referrals.filter((r) => r.createdBy === caller.userId).map((r) => referrerStatusOf(deps, r, lookups)));
}
