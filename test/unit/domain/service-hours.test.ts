import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVICE_HOURS, isOutOfHours, outOfHoursSpans, serviceHoursSchema } from '../../../shared/domain/service-hours.ts';
import { toIso } from '../../../shared/domain/spans.ts';
import type { ServiceHours } from '../../../shared/domain/types.ts';

const spans = (hours: ServiceHours | undefined, from: string, to: string) => outOfHoursSpans(hours, new Date(from), new Date(to)).map(toIso);
const at = (instant: string) => new Date(instant);

describe('out of hours (default: Mon–Thu 17:00–08:45, Fri from 16:45, weekends and bank holidays all day)', () => {
  it('runs from 17:00 on a weekday to 08:45 the next morning', () => {
    expect(spans(undefined, '2026-11-24T00:00:00Z', '2026-11-25T12:00:00Z')).toEqual([
      { start: '2026-11-24T00:00:00.000Z', end: '2026-11-24T08:45:00.000Z' },
      { start: '2026-11-24T17:00:00.000Z', end: '2026-11-25T08:45:00.000Z' },
    ]);
  });

  it('starts at 16:45 on a Friday and runs through the weekend to 08:45 on Monday', () => {
    expect(spans(undefined, '2026-11-27T12:00:00Z', '2026-11-30T12:00:00Z')).toEqual([
      { start: '2026-11-27T16:45:00.000Z', end: '2026-11-30T08:45:00.000Z' },
    ]);
    expect(isOutOfHours(undefined, at('2026-11-27T16:44:00Z'))).toBe(false);
    expect(isOutOfHours(undefined, at('2026-11-27T16:45:00Z'))).toBe(true);
  });

  it('covers a bank-holiday Monday all day: from Friday 16:45 to Tuesday 08:45 (Early May 2026)', () => {
    // BST: 16:45 local is 15:45 UTC.
    expect(spans(undefined, '2026-05-01T12:00:00Z', '2026-05-05T12:00:00Z')).toEqual([
      { start: '2026-05-01T15:45:00.000Z', end: '2026-05-05T07:45:00.000Z' },
    ]);
  });

  it('covers the Easter weekend from Thursday evening to Tuesday morning (Good Friday and Easter Monday 2027)', () => {
    expect(spans(undefined, '2027-03-25T12:00:00Z', '2027-03-30T12:00:00Z')).toEqual([
      { start: '2027-03-25T17:00:00.000Z', end: '2027-03-30T07:45:00.000Z' },
    ]);
  });

  it('keeps the office at 08:45 London time on the Monday after each clock change', () => {
    expect(isOutOfHours(undefined, at('2026-03-30T07:44:00Z'))).toBe(true);
    expect(isOutOfHours(undefined, at('2026-03-30T07:45:00Z'))).toBe(false);
    expect(isOutOfHours(undefined, at('2026-10-26T08:44:00Z'))).toBe(true);
    expect(isOutOfHours(undefined, at('2026-10-26T08:45:00Z'))).toBe(false);
  });

  it('follows a team of its own: a 24-hour service is out of hours always, and bank holidays may be worked', () => {
    expect(isOutOfHours({ office: {}, bankHolidaysOutOfHours: true }, at('2026-11-25T12:00:00Z'))).toBe(true);
    const worksBankHolidays: ServiceHours = { ...DEFAULT_SERVICE_HOURS, bankHolidaysOutOfHours: false };
    expect(isOutOfHours(worksBankHolidays, at('2026-05-04T12:00:00Z'))).toBe(false);
  });

  it('validates office hours as opening-closing times per weekday', () => {
    expect(serviceHoursSchema.safeParse({ office: { mon: '08:45-17:00' } }).data).toEqual({ office: { mon: '08:45-17:00' }, bankHolidaysOutOfHours: true });
    const bad = serviceHoursSchema.safeParse({ office: { mon: '17:00-08:45', funday: '09:00-10:00' } });
    expect(bad.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['office', 'office.mon']);
  });
});
