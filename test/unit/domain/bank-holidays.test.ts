import { describe, expect, it } from 'vitest';
import { bankHolidaysKnownFor, englandAndWalesBankHolidays, isBankHoliday } from '../../../shared/domain/bank-holidays.ts';
import { weekdayOf } from '../../../shared/domain/rota-time.ts';

/** The dates as gov.uk lists them (2025–2027) and as the statutory pattern gives them after. */
const expected: Record<number, string[]> = {
  2025: ['2025-01-01', '2025-04-18', '2025-04-21', '2025-05-05', '2025-05-26', '2025-08-25', '2025-12-25', '2025-12-26'],
  2026: ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28'],
  2027: ['2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28'],
  2028: ['2028-01-03', '2028-04-14', '2028-04-17', '2028-05-01', '2028-05-29', '2028-08-28', '2028-12-25', '2028-12-26'],
  2029: ['2029-01-01', '2029-03-30', '2029-04-02', '2029-05-07', '2029-05-28', '2029-08-27', '2029-12-25', '2029-12-26'],
  2030: ['2030-01-01', '2030-04-19', '2030-04-22', '2030-05-06', '2030-05-27', '2030-08-26', '2030-12-25', '2030-12-26'],
};

/** Easter Sunday by the anonymous Gregorian algorithm, to check Good Friday and Easter Monday independently. */
function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const h = (19 * a + b - Math.floor(b / 4) - Math.floor((b - Math.floor((b + 8) / 25) + 1) / 3) + 15) % 30;
  const l = (32 + 2 * (b % 4) + 2 * Math.floor(c / 4) - h - (c % 4)) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const shift = (date: string, days: number) => new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe('England and Wales bank holidays (shipped as gov.uk-format data)', () => {
  it.each(Object.entries(expected))('has exactly the eight bank holidays of %s', (year, dates) => {
    const inYear = englandAndWalesBankHolidays.filter((holiday) => holiday.date.startsWith(`${year}-`)).map((h) => h.date);
    expect(inYear).toEqual(dates);
    expect(bankHolidaysKnownFor(Number(year))).toBe(true);
  });

  it('puts Good Friday two days before and Easter Monday one day after Easter Sunday, every year', () => {
    for (let year = 2025; year <= 2030; year++) {
      const easter = easterSunday(year);
      expect(isBankHoliday(shift(easter, -2)), `Good Friday ${year}`).toBe(true);
      expect(isBankHoliday(shift(easter, 1)), `Easter Monday ${year}`).toBe(true);
    }
  });

  it('falls only on weekdays (a weekend holiday moves to a substitute day)', () => {
    for (const holiday of englandAndWalesBankHolidays) expect(['sat', 'sun']).not.toContain(weekdayOf(holiday.date));
  });

  it('marks the substitute days as gov.uk does', () => {
    const substitutes = englandAndWalesBankHolidays.filter((h) => h.notes === 'Substitute day').map((h) => h.date);
    expect(substitutes).toEqual(['2026-12-28', '2027-12-27', '2027-12-28', '2028-01-03']);
  });

  it('is not a bank holiday on an ordinary day, or on the weekend day a holiday was moved from', () => {
    expect(isBankHoliday('2026-10-26')).toBe(false);
    expect(isBankHoliday('2026-12-26')).toBe(false);
  });

  it('says when the data does not cover a year', () => {
    expect(bankHolidaysKnownFor(2031)).toBe(false);
  });
});
