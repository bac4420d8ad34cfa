/**
 * Statutory time limits. They run from the detention start the referrer gives, never from when
 * dutyline received the referral, and they are elapsed hours: a clock running over a DST change
 * still lasts exactly 24 (or 72, or 6) hours.
 */
import type { StatutoryClock, StatutoryClockKind } from './types.ts';

const limits: Record<string, { kind: StatutoryClockKind; hours: number }> = {
  s136: { kind: 's136', hours: 24 },
  s135_1: { kind: 's135', hours: 24 },
  s135_2: { kind: 's135', hours: 24 },
  s5_2: { kind: 's5_2', hours: 72 },
  s5_4: { kind: 's5_4', hours: 6 },
};

export function statutoryClocks(legal: { status: string; detentionStart?: string }): StatutoryClock[] {
  const limit = limits[legal.status];
  const start = legal.detentionStart ? Date.parse(legal.detentionStart) : NaN;
  if (!limit || Number.isNaN(start)) return [];
  return [
    {
      kind: limit.kind,
      startedAt: new Date(start).toISOString(),
      expiresAt: new Date(start + limit.hours * 3_600_000).toISOString(),
    },
  ];
}

/** The expiry that comes first, or null when no clock runs. */
export function earliestExpiry(clocks: readonly StatutoryClock[]): string | null {
  let earliest: string | null = null;
  for (const { expiresAt } of clocks) {
    if (earliest === null || Date.parse(expiresAt) < Date.parse(earliest)) earliest = expiresAt;
  }
  return earliest;
}

/** The manager is warned this many hours before a clock runs out, while the referral is open. */
export const CLOCK_WARNING_HOURS = [6, 2] as const;
export type WarningThreshold = (typeof CLOCK_WARNING_HOURS)[number];

export interface ClockWarning {
  clockKind: StatutoryClockKind;
  hoursBefore: WarningThreshold;
  /** The expiry the warning is about: a warning for an expiry since extended is stale. */
  expiresAt: string;
  warnAt: string;
}

/**
 * The warnings still to give for these clocks. A threshold already passed is given now, unless a
 * later one has passed too (a referral made 20 h into an s136 gets the 2 h warning at once, not
 * the 6 h one as well); an expired clock gets none.
 */
export function clockWarnings(clocks: readonly StatutoryClock[], now: Date): ClockWarning[] {
  const warnings: ClockWarning[] = [];
  for (const clock of clocks) {
    const expiry = Date.parse(clock.expiresAt);
    if (expiry <= now.getTime()) continue;
    const thresholds = CLOCK_WARNING_HOURS.map((hoursBefore) => ({ hoursBefore, at: expiry - hoursBefore * 3_600_000 }));
    const passed = thresholds.filter((t) => t.at <= now.getTime());
    const latestPassed = passed.at(-1);
    for (const threshold of thresholds) {
      if (threshold.at > now.getTime() || threshold === latestPassed) {
        warnings.push({
          clockKind: clock.kind,
          hoursBefore: threshold.hoursBefore,
          expiresAt: clock.expiresAt,
          warnAt: new Date(Math.max(threshold.at, now.getTime())).toISOString(),
        });
      }
    }
  }
  return warnings;
}

/** s136B extends s135 and s136 detentions only, once, by at most 12 hours. */
export const MAX_EXTENSION_HOURS = 12;
const extendable: readonly StatutoryClockKind[] = ['s136', 's135'];

export type ExtensionReason = 'person_condition' | 'amhp_unavailable' | 'doctor_unavailable';

export type ExtensionResult =
  | { ok: true; clocks: StatutoryClock[]; clock: StatutoryClock }
  | { ok: false; error: 'no-such-clock' | 'not-extendable' | 'already-extended' | 'expired' | 'unlawful-reason'; message: string };

/**
 * Records an s136B extension. Only the person's condition making assessment impracticable is a
 * lawful ground; the unavailability of an AMHP or a doctor is not, and is refused with that reason.
 */
export function extendClock(
  clocks: readonly StatutoryClock[],
  request: { kind: StatutoryClockKind; hours: number; doctorName: string; reason: ExtensionReason; recordedBy: string },
  now: Date,
): ExtensionResult {
  const clock = clocks.find((c) => c.kind === request.kind);
  if (!clock) return { ok: false, error: 'no-such-clock', message: `no ${request.kind} clock runs on this referral` };
  if (!extendable.includes(clock.kind)) {
    return { ok: false, error: 'not-extendable', message: `an s136B extension applies to s135 and s136 only, not ${clock.kind}` };
  }
  if (request.reason !== 'person_condition') {
    return {
      ok: false,
      error: 'unlawful-reason',
      message: 'an AMHP or doctor being unavailable is not a lawful reason for an s136B extension; only the person\u2019s condition is',
    };
  }
  if (clock.extension) return { ok: false, error: 'already-extended', message: 'this clock has already been extended once' };
  if (Date.parse(clock.expiresAt) <= now.getTime()) return { ok: false, error: 'expired', message: 'this clock has already expired' };
  if (!Number.isInteger(request.hours) || request.hours < 1 || request.hours > MAX_EXTENSION_HOURS) {
    throw new RangeError(`extension hours must be a whole number from 1 to ${MAX_EXTENSION_HOURS}`);
  }
  const extended: StatutoryClock = {
    ...clock,
    expiresAt: new Date(Date.parse(clock.expiresAt) + request.hours * 3_600_000).toISOString(),
    extension: {
      hours: request.hours,
      doctorName: request.doctorName,
      reason: 'person_condition',
      recordedAt: now.toISOString(),
      recordedBy: request.recordedBy,
    },
  };
  return { ok: true, clock: extended, clocks: clocks.map((c) => (c === clock ? extended : c)) };
}
