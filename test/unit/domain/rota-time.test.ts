import { describe, expect, it } from 'vitest';
import {
  addDays,
  formatLocal,
  instantToLocal,
  isLocalDate,
  localDateTimeToInstant,
  localToInstant,
  weekdayOf,
} from '../../../shared/domain/rota-time.ts';

const iso = (date: Date) => date.toISOString();

describe('London local time for the rota', () => {
  it('reads a winter time as GMT and a summer time as BST', () => {
    expect(iso(localToInstant('2026-01-15', '17:00'))).toBe('2026-01-15T17:00:00.000Z');
    expect(iso(localToInstant('2026-07-15', '17:00'))).toBe('2026-07-15T16:00:00.000Z');
  });

  it('reads 24:00 as the midnight that ends the day', () => {
    expect(iso(localToInstant('2026-07-15', '24:00'))).toBe('2026-07-15T23:00:00.000Z');
  });

  describe('on the nights the clocks change', () => {
    it.each([
      ['2026-03-29', '00:30', '2026-03-29T00:30:00.000Z'],
      ['2026-03-29', '01:30', '2026-03-29T01:30:00.000Z'], // never shown on a clock: read as 02:30 BST
      ['2026-03-29', '02:00', '2026-03-29T01:00:00.000Z'],
      ['2026-10-25', '00:30', '2026-10-24T23:30:00.000Z'],
      ['2026-10-25', '01:30', '2026-10-25T00:30:00.000Z'], // shown twice: the first (BST) is taken
      ['2026-10-25', '02:00', '2026-10-25T02:00:00.000Z'],
      ['2027-03-28', '01:30', '2027-03-28T01:30:00.000Z'],
      ['2027-10-31', '01:30', '2027-10-31T00:30:00.000Z'],
    ])('%s %s is %s', (date, time, instant) => {
      expect(iso(localToInstant(date, time))).toBe(instant);
    });

    it('shows both 01:30s of the October night as 01:30, with their offsets', () => {
      expect(formatLocal(new Date('2026-10-25T00:30:00Z'))).toBe('2026-10-25T01:30:00+01:00');
      expect(formatLocal(new Date('2026-10-25T01:30:00Z'))).toBe('2026-10-25T01:30:00+00:00');
    });
  });

  it('names the London date, time and weekday of an instant', () => {
    expect(instantToLocal(new Date('2026-10-24T23:30:00Z'))).toEqual({ date: '2026-10-25', time: '00:30', weekday: 'sun', offset: '+01:00' });
  });

  it('reads a date-time without an offset as London time, and refuses anything else', () => {
    expect(iso(localDateTimeToInstant('2026-07-01T18:00') as Date)).toBe('2026-07-01T17:00:00.000Z');
    expect(localDateTimeToInstant('2026-02-30T18:00')).toBeNull();
    expect(localDateTimeToInstant('2026-07-01T25:00')).toBeNull();
  });

  it('counts calendar days and weekdays across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(weekdayOf('2026-10-23')).toBe('fri');
    expect(isLocalDate('2027-02-29')).toBe(false);
  });
});
