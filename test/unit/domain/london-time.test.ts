import { describe, expect, it } from 'vitest';
import { londonInstant, mostRecentLondonTime, parseClockTime } from '../../../shared/domain/london-time.ts';

describe('London wall-clock times', () => {
  it('reads a time in winter as GMT and in summer as BST', () => {
    expect(londonInstant({ year: 2026, month: 11, day: 25, hour: 21, minute: 40 })?.toISOString()).toBe('2026-11-25T21:40:00.000Z');
    expect(londonInstant({ year: 2026, month: 7, day: 1, hour: 21, minute: 40 })?.toISOString()).toBe('2026-07-01T20:40:00.000Z');
  });

  it('takes the earlier instant of a time that happens twice when the clocks go back', () => {
    // 25 October 2026: 01:30 happens at 00:30 UTC (BST) and again at 01:30 UTC (GMT).
    expect(londonInstant({ year: 2026, month: 10, day: 25, hour: 1, minute: 30 })?.toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('reads a time skipped when the clocks go forward as an hour later', () => {
    // 29 March 2026: 01:30 does not exist; the clock showed 02:30 BST at 01:30 UTC.
    expect(londonInstant({ year: 2026, month: 3, day: 29, hour: 1, minute: 30 })?.toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('refuses dates and times that are not real', () => {
    expect(londonInstant({ year: 2026, month: 2, day: 29, hour: 10, minute: 0 })).toBeNull();
    expect(londonInstant({ year: 2026, month: 1, day: 1, hour: 24, minute: 0 })).toBeNull();
  });

  it.each([
    ['21:40', { hour: 21, minute: 40 }],
    ['2140', { hour: 21, minute: 40 }],
    ['21.40', { hour: 21, minute: 40 }],
    ['9:40pm', { hour: 21, minute: 40 }],
    ['12am', { hour: 0, minute: 0 }],
    ['0030', { hour: 0, minute: 30 }],
  ])('reads %s on the 24-hour clock', (text, time) => {
    expect(parseClockTime(text)).toEqual(time);
  });

  it.each(['21', '25:00', '13pm', 'noon', ''])('refuses %j', (text) => {
    expect(parseClockTime(text)).toBeNull();
  });

  it('finds the most recent such time: today if it has passed, else yesterday', () => {
    const now = new Date('2026-11-25T02:00:00Z');
    expect(mostRecentLondonTime({ hour: 0, minute: 30 }, now).toISOString()).toBe('2026-11-25T00:30:00.000Z');
    expect(mostRecentLondonTime({ hour: 23, minute: 30 }, now).toISOString()).toBe('2026-11-24T23:30:00.000Z');
  });
});
