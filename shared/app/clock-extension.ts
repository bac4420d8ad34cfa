import * as z from 'zod';
import { extendClock, MAX_EXTENSION_HOURS, placeOfDetention } from '../domain/clocks.ts';
import type { StatutoryClock } from '../domain/types.ts';
import type { Dependencies, Referral } from '../ports.ts';
import { isTeamStaff, type Caller } from './caller.ts';
import { clockTimerEffects } from './clock-warnings.ts';
import { addEffects, changeReferral } from './outbox.ts';

/** MHA 1983 s136B: the doctor responsible for the examination authorises; at a police station a superintendent approves. */
export const extensionRequestSchema = z.strictObject({
  hours: z.number().int().min(1).max(MAX_EXTENSION_HOURS),
  doctorName: z.string().trim().min(1, 'is required: the registered medical practitioner responsible for the examination (s136B(1))').max(120),
  reason: z.enum(['person_condition', 'amhp_unavailable', 'doctor_unavailable']),
  superintendentName: z.string().trim().min(1).max(120).optional(),
});

export type ExtensionOutcome =
  | { kind: 'extended'; referral: Referral }
  | { kind: 'invalid'; issues: { path: string; message: string }[] }
  | { kind: 'refused'; error: string; message: string }
  | { kind: 'not-found' }
  | { kind: 'forbidden' };

/** Records an s136B extension on the referral's clock and re-plans its warnings. Staff of the team only. */
export async function extendReferralClock(
  deps: Dependencies,
  caller: Caller,
  input: { referralId: string; clockKind: string; body: unknown },
): Promise<ExtensionOutcome> {
  const parsed = extensionRequestSchema.safeParse(input.body);
  if (!parsed.success) {
    return { kind: 'invalid', issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
  }
  const current = await deps.referrals.get(input.referralId);
  if (!current) return { kind: 'not-found' };
  if (!(await isTeamStaff(deps, caller, current.teamId))) return { kind: 'forbidden' };
  let refusal: ExtensionOutcome | null = null;
  const result = await changeReferral(deps, input.referralId, (referral, now) => {
    refusal = null;
    const outcome = extendClock(
      referral.clocks,
      {
        kind: input.clockKind as StatutoryClock['kind'],
        ...parsed.data,
        recordedBy: caller.userId,
        placeKind: placeOfDetention(referral.legal, referral.locationKind),
      },
      now,
    );
    if (!outcome.ok) {
      refusal = { kind: 'refused', error: outcome.error, message: outcome.message };
      return null;
    }
    return {
      ...referral,
      clocks: outcome.clocks,
      timeline: [
        ...referral.timeline,
        {
          at: now.toISOString(),
          type: 'clock_extended',
          clockKind: outcome.clock.kind,
          hours: parsed.data.hours,
          expiresAt: outcome.clock.expiresAt,
          by: caller.userId,
          ...(outcome.clock.extension?.superintendentName ? { superintendentApproved: true } : {}),
        },
      ],
      outbox: addEffects(referral, clockTimerEffects([outcome.clock], now)),
    };
  });
  if (!result) return { kind: 'not-found' };
  return refusal ?? { kind: 'extended', referral: result.referral };
}
