import { relativeRole, type RelativeRole } from '../domain/mha-2025.ts';
import { callbackPhoneOf } from '../domain/referral-details.ts';
import { nextSteps, type NextStep } from '../domain/next-steps.ts';
import { delaysOf, stageOf, type Delay, type StageNow } from '../domain/stage.ts';
import type { LocationKind, TimelineEntry } from '../domain/types.ts';
import type { Dependencies, Referral } from '../ports.ts';
import { hasRole, type Caller } from './caller.ts';
import { heldReferrals } from './held-referrals.ts';
import { referralWithDetails } from './personal-details.ts';

/** One referral on the AMHP's home: what to call and where to go first, where it has got to, what to record next. */
export interface HeldReferral {
  referral: Referral;
  stage: StageNow;
  delays: Delay[];
  /** The number to call back (E.164); null once the details are removed under the retention policy. */
  callbackPhone: string | null;
  /** Where the person is now, as the referrer gave it; null once removed. */
  place: { kind: LocationKind | null; description: string | null; postcode: string } | null;
  nextSteps: NextStep[];
}

/** `relative`: whom the AMHP informs or consults today, the nearest relative or, from the service's date, the nominated person. */
export type AmhpHomeResult = { kind: 'found'; referrals: HeldReferral[]; relative: RelativeRole } | { kind: 'forbidden' };

/**
 * `GET /amhp`: the open referrals the signed-in AMHP accepted, oldest first, each with the callback
 * number and where the person is (personal data: each showing is recorded in the referral's audit
 * trail, who and when, before it is returned) and the steps they may record next.
 */
export async function amhpHome(deps: Dependencies, caller: Caller): Promise<AmhpHomeResult> {
  if (!caller.staffId || !hasRole(caller, 'amhp', 'manager')) return { kind: 'forbidden' };
  const staff = await deps.directory.getStaff(caller.staffId);
  if (!staff) return { kind: 'forbidden' };
  const now = deps.clock.now();
  const held = await heldReferrals(deps, staff);
  const relative = held.length > 0 ? relativeRole((await deps.directory.getServiceSettings()).settings, now) : 'nearest_relative';
  const referrals = await Promise.all(
    held.map(async (summary): Promise<HeldReferral> => {
      const found = await referralWithDetails(deps, summary.id);
      const referral = found?.referral ?? summary;
      const details = found?.personal.status === 'held' ? found.personal.details : null;
      if (details) await deps.audit.recordView(referral.id, viewed(caller, now));
      const location = details ? (details.channel === 'web' ? details.subject.currentLocation : { ...details.currentLocation, description: undefined }) : null;
      return {
        referral,
        stage: stageOf(referral.timeline),
        delays: delaysOf(referral.timeline),
        callbackPhone: details ? callbackPhoneOf(details) : null,
        place: location ? { kind: referral.locationKind ?? null, description: location.description ?? null, postcode: location.postcode } : null,
        nextSteps: nextSteps(referral, now),
      };
    }),
  );
  return { kind: 'found', referrals, relative };
}

/** Only the callback number and the place are shown here: the audit trail says so. */
const viewed = (caller: Caller, now: Date): TimelineEntry => ({
  at: now.toISOString(),
  type: 'viewed',
  by: caller.userId,
  what: 'callback_and_location',
  ...(caller.staffId ? { staffId: caller.staffId } : {}),
  via: 'amhp_home',
});
