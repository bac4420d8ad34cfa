/**
 * The rota's local dates and times (`2026-10-24`, `17:00`), always Europe/London. Conversions to
 * and from instants go through london-time.ts and @date-fns/tz, never offset arithmetic of our
 * own; only whole calendar days are counted here, on UTC dates that have no clock changes.
 */
import { tzOffset } from '@date-fns/tz';
import { LONDON, londonInstant, londonWallClock } from './london-time.ts';
import type { Weekday } from './types.ts';

const weekdays: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function dateParts(date: string): [number, number, number] {
  const [year = NaN, month = NaN, day = NaN] = date.split('-').map(Number);
  return [year, month, day];
}

/** `YYYY-MM-DD` that is a real calendar date. */
export function isLocalDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [year, month, day] = dateParts(value);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** `HH:MM` from 00:00 to 23:59. */
export const isLocalTime = (value: string) => /^([01]\d|2[0-3]):[0-5]\d$/.test(value);

/** The calendar date `days` after `date`. */
export function addDays(date: string, days: number): string {
  const [year, month, day] = dateParts(date);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

export const weekdayOf = (date: string): Weekday => {
  const [year, month, day] = dateParts(date);
  return weekdays[new Date(Date.UTC(year, month - 1, day)).getUTCDay()] ?? 'mon';
};

/**
 * The instant a London wall-clock time names. A time the clocks skip (01:30 on the March change)
 * is read as an hour later; a time that happens twice (01:30 in October) is the first of the two,
 * as RFC 5545 reads it. Both ends of every shift go through here, so a hand-over at one wall time
 * is one instant for the outgoing and the incoming shift. `24:00` is the end of `date`.
 */
export function localToInstant(date: string, time: string): Date {
  const [hour = 0, minute = 0] = time.split(':').map(Number);
  const [year, month, day] = dateParts(hour === 24 ? addDays(date, 1) : date);
  const instant = londonInstant({ year, month, day, hour: hour % 24, minute });
  if (!instant) throw new RangeError(`not a London date and time: ${date} ${time}`);
  return instant;
}

/** False for a wall time the clocks skip (01:00–01:59 on the last Sunday of March). */
export function existsInLondon(date: string, time: string): boolean {
  if (time === '24:00') return true;
  const local = instantToLocal(localToInstant(date, time));
  return local.date === date && local.time === time;
}

/** `2026-10-25T01:30` (seconds of zero allowed), as London time; null when it is not one. */
export function localDateTimeToInstant(value: string): Date | null {
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::00(?:\.0+)?)?$/.exec(value.trim());
  if (!match || !isLocalDate(match[1] ?? '') || !isLocalTime(match[2] ?? '')) return null;
  return localToInstant(match[1] ?? '', match[2] ?? '');
}

/**
 * Every instant a London wall-clock time names: one on most days, two in the hour the clocks go
 * back (01:00–01:59 on the last Sunday of October), none in the hour they skip (01:00–01:59 on the
 * last Sunday of March). The candidates are the offsets London has that day, each kept only if
 * the tz database reads it back as the same wall time.
 */
export function londonReadings(date: string, time: string): Date[] {
  if (time === '24:00') return [localToInstant(date, time)];
  const offsets = new Set([startOfLocalDay(date), startOfLocalDay(addDays(date, 1))].map((at) => instantToLocal(at).offset));
  return [...offsets]
    .flatMap((offset) => {
      const at = withOffset(date, time, offset);
      return at ? [at] : [];
    })
    .sort((a, b) => a.getTime() - b.getTime());
}

/**
 * `date` at `time` with an explicit offset (`+01:00`, `+00:00`, `Z`), or null unless London's
 * clocks showed that time with that offset: `2026-10-25` `01:30` `+01:00` is the first 01:30.
 */
export function withOffset(date: string, time: string, offset: string): Date | null {
  if (!isLocalDate(date) || !isLocalTime(time) || !/^(Z|[+-]\d{2}:\d{2})$/.test(offset)) return null;
  const at = new Date(`${date}T${time}:00${offset}`);
  if (Number.isNaN(at.getTime())) return null;
  const local = instantToLocal(at);
  return local.date === date && local.time === time ? at : null;
}

export interface LocalParts {
  date: string;
  time: string;
  weekday: Weekday;
  /** `+01:00` in summer, `+00:00` in winter. */
  offset: string;
}

export function instantToLocal(at: Date): LocalParts {
  const wall = londonWallClock(at);
  const date = `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}`;
  const minutes = tzOffset(LONDON, at);
  const offset = `${minutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
  return { date, time: `${pad(wall.hour)}:${pad(wall.minute)}`, weekday: weekdayOf(date), offset };
}

/** `2026-10-25T01:30:00+01:00`: what a person reads, with the offset that makes it unambiguous. */
export function formatLocal(at: Date): string {
  const local = instantToLocal(at);
  return `${local.date}T${local.time}:00${local.offset}`;
}

/** The instant London's `date` begins (always 00:00 on the clock: the clocks change at 01:00 UTC). */
export const startOfLocalDay = (date: string) => localToInstant(date, '00:00');
