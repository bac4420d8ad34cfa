/**
 * Out of hours, per team: every instant outside the daytime office's hours, and all day on an
 * England and Wales bank holiday. Office hours are London wall-clock times, turned into instants
 * day by day, so the DST changes move nothing.
 */
import * as z from 'zod';
import { isBankHoliday } from './bank-holidays.ts';
import { addDays, instantToLocal, isLocalTime, localToInstant, weekdayOf } from './rota-time.ts';
import { subtract, type Span } from './spans.ts';
import type { ServiceHours, Weekday } from './types.ts';

/** The spec's example: out of hours Mon–Thu 17:00–08:45, from 16:45 on Friday, weekends and bank holidays all day. */
export const DEFAULT_SERVICE_HOURS: ServiceHours = {
  office: { mon: '08:45-17:00', tue: '08:45-17:00', wed: '08:45-17:00', thu: '08:45-17:00', fri: '08:45-16:45' },
  bankHolidaysOutOfHours: true,
};

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const satisfies readonly Weekday[];

const officeDay = z.string().refine(
  (value) => {
    const [open = '', close = '', ...rest] = value.split('-');
    return rest.length === 0 && isLocalTime(open) && isLocalTime(close) && open < close;
  },
  { message: 'must be opening and closing times on one day, e.g. 08:45-17:00' },
);

/** `hours` of `PUT /api/teams/{teamId}`. */
export const serviceHoursSchema = z.strictObject({
  office: z.strictObject(Object.fromEntries(weekdays.map((day) => [day, officeDay.optional()])) as Record<Weekday, z.ZodOptional<typeof officeDay>>),
  bankHolidaysOutOfHours: z.boolean().default(true),
});

/** The office's hours on one London date, as instants; null when it is closed all day. */
function officeOn(hours: ServiceHours, date: string): Span | null {
  if (hours.bankHolidaysOutOfHours && isBankHoliday(date)) return null;
  const day = hours.office[weekdayOf(date)];
  if (!day) return null;
  const [open = '', close = ''] = day.split('-');
  return { start: localToInstant(date, open).getTime(), end: localToInstant(date, close).getTime() };
}

/** The out-of-hours spans within [from, to), in order. */
export function outOfHoursSpans(hours: ServiceHours | undefined, from: Date, to: Date): Span[] {
  const rules = hours ?? DEFAULT_SERVICE_HOURS;
  const office: Span[] = [];
  const last = instantToLocal(to).date;
  for (let date = instantToLocal(from).date; date <= last; date = addDays(date, 1)) {
    const open = officeOn(rules, date);
    if (open) office.push(open);
  }
  return subtract([{ start: from.getTime(), end: to.getTime() }], office);
}

export function isOutOfHours(hours: ServiceHours | undefined, at: Date): boolean {
  return outOfHoursSpans(hours, at, new Date(at.getTime() + 1)).length > 0;
}
