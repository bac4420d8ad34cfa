/**
 * Properties of every statutory clock over 2025–2030 (twelve clock changes), for any start
 * instant, and starts near each change one time in three: the hour limits are elapsed hours
 * (a DST change neither adds nor removes one), s2's 28 days are London calendar days ending at
 * London midnight, and the warnings come in order, each before the expiry, the last at it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLOCK_WARNING_HOURS, clockExpiry, clockWarnings, startClock } from '../../../shared/domain/clocks.ts';
import { londonWallClock } from '../../../shared/domain/london-time.ts';
import type { StatutoryClockKind } from '../../../shared/domain/types.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const FROM = Date.parse('2025-01-01T00:00:00Z');
const TO = Date.parse('2030-12-31T00:00:00Z');
/** The instants the clocks changed (01:00 UTC on the last Sunday of March and of October). */
const changes = ['2025-03-30', '2025-10-26', '2026-03-29', '2026-10-25', '2027-03-28', '2027-10-31', '2028-03-26', '2028-10-29', '2029-03-25', '2029-10-28', '2030-03-31', '2030-10-27'].map(
  (sunday) => Date.parse(`${sunday}T01:00:00Z`),
);
/** Any second from 2025 to 2030, or, one time in three, within three days either side of a clock change. */
const start = fc.oneof(
  { arbitrary: fc.integer({ min: FROM, max: TO }), weight: 2 },
  { arbitrary: fc.tuple(fc.constantFrom(...changes), fc.integer({ min: -3 * DAY, max: 3 * DAY })).map(([change, offset]) => change + offset), weight: 1 },
).map((ms) => new Date(Math.floor(ms / 1000) * 1000));

/** Each hour limit with the section that sets it. */
const hourLimits: [StatutoryClockKind, number, string][] = [
  ['s136', 24, 'MHA 1983 s136(2A)'],
  ['s135', 24, 's135(3ZA)'],
  ['s135_2', 24, 's135(3ZA)'],
  ['s5_2', 72, 's5(2)'],
  ['s5_4', 6, 's5(4)'],
  ['s4', 72, 's4(4)'],
  ['cto_recall', 72, 's17F(8)(a)'],
];

const londonDay = (instant: Date) => {
  const wall = londonWallClock(instant);
  return Date.UTC(wall.year, wall.month - 1, wall.day) / DAY;
};

describe('statutory clocks from 2025 to 2030', () => {
  it.each(hourLimits)('%s runs exactly %i elapsed hours from its start event, across any clock change (%s)', (kind, hours) => {
    fc.assert(
      fc.property(start, (at) => {
        expect(Date.parse(clockExpiry(kind, at.toISOString())) - at.getTime()).toBe(hours * HOUR);
      }),
    );
  });

  it('s2 runs 28 London days beginning with the day of admission, ending at the London midnight after the 28th (s2(4))', () => {
    fc.assert(
      fc.property(start, (admitted) => {
        const expiry = new Date(clockExpiry('s2', admitted.toISOString()));
        const wall = londonWallClock(expiry);
        expect([wall.hour, wall.minute]).toEqual([0, 0]);
        // The last instant of the period falls on the 28th day, the day of admission being the first.
        expect(londonDay(new Date(expiry.getTime() - 1)) - londonDay(admitted)).toBe(27);
        // 28 days of 24 h, give or take the hour a clock change inside them adds or takes, less the part of day one before admission.
        const span = expiry.getTime() - admitted.getTime();
        expect(span).toBeGreaterThan(27 * DAY - HOUR);
        expect(span).toBeLessThanOrEqual(28 * DAY + HOUR);
      }),
    );
  });

  it('plans every warning in order, before the expiry, the last at it, and none in the past', () => {
    const kinds = fc.constantFrom<StatutoryClockKind>('s136', 's135', 's5_2', 's5_4', 's4', 's2', 'cto_recall');
    fc.assert(
      fc.property(kinds, start, fc.integer({ min: 0, max: 80 * HOUR }), (kind, at, elapsed) => {
        const clock = startClock({ kind, startEvent: 'admitted', at: at.toISOString() });
        const now = new Date(at.getTime() + elapsed);
        const warnings = clockWarnings([clock], now);
        const expiry = Date.parse(clock.expiresAt);
        expect(warnings.length).toBeGreaterThan(0);
        expect(warnings.at(-1)).toMatchObject({ hoursBefore: 0, warnAt: now.getTime() > expiry ? now.toISOString() : clock.expiresAt });
        const times = warnings.map((w) => Date.parse(w.warnAt));
        expect(times).toEqual([...times].sort((a, b) => a - b));
        for (const warning of warnings) {
          expect(Date.parse(warning.warnAt)).toBeGreaterThanOrEqual(now.getTime());
          expect(CLOCK_WARNING_HOURS).toContain(warning.hoursBefore);
          // Elapsed hours before the expiry: T−2 h is two real hours before, whatever the wall clock did.
          if (Date.parse(warning.warnAt) > now.getTime()) expect(expiry - Date.parse(warning.warnAt)).toBe(warning.hoursBefore * HOUR);
        }
      }),
    );
  });
});
