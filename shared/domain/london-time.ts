/**
 * Wall-clock times in England and Wales. People give a detention start as the time on a clock in
 * Europe/London; the statutory clock runs from that instant. Offsets come from @date-fns/tz, never
 * from arithmetic of our own, so BST and GMT are both right.
 */
import { TZDate } from '@date-fns/tz';

export const LONDON = 'Europe/London';

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const HOUR_MS = 3_600_000;

export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (![year, month, day].every(Number.isInteger) || year < 1000 || year > 9999) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function londonWallClock(instant: Date): WallClock {
  const t = new TZDate(instant.getTime(), LONDON);
  return { year: t.getFullYear(), month: t.getMonth() + 1, day: t.getDate(), hour: t.getHours(), minute: t.getMinutes() };
}

/** `02:40`: the time on a clock in England and Wales at that instant, BST or GMT. */
export function londonHourMinute(instant: string | Date): string {
  const { hour, minute } = londonWallClock(new Date(instant));
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

const sameWallClock = (a: WallClock, b: WallClock) =>
  a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute;

/**
 * The instant a London wall-clock time names, or null if it is not a real date and time. When the
 * clocks go back a time happens twice: the earlier instant is taken, so a statutory clock never
 * runs longer than the law allows. A time skipped when the clocks go forward is read as an hour later.
 */
export function londonInstant(wall: WallClock): Date | null {
  const { year, month, day, hour, minute } = wall;
  if (!isCalendarDate(year, month, day) || !Number.isInteger(hour) || !Number.isInteger(minute)) return null;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return null;
  const instant = new Date(new TZDate(year, month - 1, day, hour, minute, LONDON).getTime());
  const anHourEarlier = new Date(instant.getTime() - HOUR_MS);
  return sameWallClock(londonWallClock(anHourEarlier), wall) ? anHourEarlier : instant;
}

/** `21:40`, `2140`, `21.40`, `9:40pm`, `9pm` → hour and minute on the 24-hour clock; null otherwise. */
export function parseClockTime(input: string): { hour: number; minute: number } | null {
  const match = /^(\d{1,2})(?:[:.]?(\d{2}))?\s*(am|pm)?$/i.exec(input.trim().replace(/\s+/g, ''));
  if (!match) return null;
  let hour = Number(match[1]);
  const minute = match[2] === undefined ? 0 : Number(match[2]);
  const half = match[3]?.toLowerCase();
  if (match[2] === undefined && !half) return null; // "21" alone is too easily a slip for 21:xx
  if (half) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (half === 'pm' ? 12 : 0);
  }
  return hour <= 23 && minute <= 59 ? { hour, minute } : null;
}

/** The last time the London clock showed hour:minute at or before `now`: today's, or else yesterday's. */
export function mostRecentLondonTime(time: { hour: number; minute: number }, now: Date): Date {
  const today = londonWallClock(now);
  const candidate = londonInstant({ ...today, ...time });
  if (candidate && candidate.getTime() <= now.getTime()) return candidate;
  const yesterday = londonWallClock(new Date(now.getTime() - 24 * HOUR_MS));
  return londonInstant({ ...yesterday, ...time }) ?? new Date(now.getTime() - 24 * HOUR_MS);
}
