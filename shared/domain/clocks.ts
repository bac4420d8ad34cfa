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
