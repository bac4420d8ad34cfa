/**
 * The rota as iCalendar (RFC 5545), read and written with ical.js. Import takes one VEVENT per
 * shift: who and which position from `X-DUTYLINE-STAFF` and `X-DUTYLINE-POSITION` (what the
 * export writes), or else a summary such as `primary: amhp-asha`. Times in Europe/London (by TZID,
 * or floating) or UTC; weekly patterns (RRULE, EXDATE, moved occurrences) are expanded for a year.
 */
import ICAL from 'ical.js';
import { MAX_UPLOAD_SHIFTS, shiftKinds, shiftProblems, type RotaSegment, type ShiftInput } from './rota.ts';
import type { StaffReference } from './rota-csv.ts';
import { localToInstant } from './rota-time.ts';
import { positions, type Position, type ShiftKind, type ValidationIssue } from './types.ts';

export type IcsRotaResult = { ok: true; value: ShiftInput[]; events: number[] } | { ok: false; issues: ValidationIssue[] };

/** Zone names that mean London: the IANA name, and what Outlook writes. */
const londonZones = new Set(['europe/london', 'gmt standard time', 'europe/belfast', 'gb']);

/** Recurring shifts are expanded this far past their first start. */
const RECURRENCE_HORIZON_DAYS = 366;

const staffIdPattern = /^[A-Za-z0-9_-]{1,64}$/;
const pad = (n: number) => String(n).padStart(2, '0');

/** An ICAL time as an instant; `zoneName` is the TZID of the property it came from. */
function toInstant(time: ICAL.Time, zoneName: string | undefined): Date | string {
  if (time.isDate) return 'must have a time of day: an all-day event is not a shift';
  if (time.zone?.tzid === 'UTC') return new Date(Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second));
  if (zoneName && !londonZones.has(zoneName.toLowerCase())) return `is in time zone ${zoneName}; use Europe/London or UTC`;
  return localToInstant(`${time.year}-${pad(time.month)}-${pad(time.day)}`, `${pad(time.hour)}:${pad(time.minute)}`);
}

const zoneOf = (component: ICAL.Component, name: 'dtstart' | 'dtend') => {
  const value = component.getFirstProperty(name)?.getParameter('tzid');
  return typeof value === 'string' ? value : undefined;
};

const text = (component: ICAL.Component, name: string) => {
  const value = component.getFirstPropertyValue(name);
  return typeof value === 'string' ? value.trim() : '';
};

/** Who, which position, and kind, from the X- properties or a `position: staff` summary. */
function roleOf(component: ICAL.Component): { staffId: string; position: string; kind: string; covers: string } {
  let staffId = text(component, 'x-dutyline-staff');
  let position = text(component, 'x-dutyline-position').toLowerCase();
  if (!staffId || !position) {
    const match = /^\s*([a-z]+)\s*[:\-–]\s*([A-Za-z0-9_-]+)\s*$/i.exec(text(component, 'summary'));
    if (match) [position, staffId] = [position || (match[1] ?? '').toLowerCase(), staffId || (match[2] ?? '')];
  }
  return { staffId, position, kind: text(component, 'x-dutyline-kind').toLowerCase() || 'base', covers: text(component, 'x-dutyline-covers') };
}

function shiftOf(
  component: ICAL.Component,
  start: ICAL.Time,
  end: ICAL.Time,
  at: string,
  issues: ValidationIssue[],
  refs: StaffReference[],
): ShiftInput | null {
  const before = issues.length;
  const role = roleOf(component);
  if (!staffIdPattern.test(role.staffId)) {
    issues.push({ path: `${at}.staff`, message: 'must name a staff id, in X-DUTYLINE-STAFF or a summary such as "primary: amhp-asha"' });
  } else refs.push({ staffId: role.staffId, path: `${at}.staff` });
  if (!positions.includes(role.position as Position)) issues.push({ path: `${at}.position`, message: `must be one of: ${positions.join(', ')}` });
  if (!shiftKinds.includes(role.kind as ShiftKind)) issues.push({ path: `${at}.kind`, message: `must be one of: ${shiftKinds.join(', ')}` });
  if (role.covers && !staffIdPattern.test(role.covers)) issues.push({ path: `${at}.covers`, message: 'must be a staff id' });
  else if (role.covers) refs.push({ staffId: role.covers, path: `${at}.covers` });
  const from = toInstant(start, zoneOf(component, 'dtstart'));
  const to = toInstant(end, zoneOf(component, 'dtend') ?? zoneOf(component, 'dtstart'));
  if (typeof from === 'string') issues.push({ path: `${at}.dtstart`, message: from });
  if (typeof to === 'string') issues.push({ path: `${at}.dtend`, message: to });
  if (issues.length > before || typeof from === 'string' || typeof to === 'string') return null;
  const shift: ShiftInput = {
    staffId: role.staffId,
    position: role.position as Position,
    start: from.toISOString(),
    end: to.toISOString(),
    ...(role.kind !== 'base' ? { kind: role.kind as ShiftKind } : {}),
    ...(role.covers ? { covers: role.covers } : {}),
  };
  for (const problem of shiftProblems(shift)) issues.push({ path: `${at}.${problem.field === 'end' ? 'dtend' : 'covers'}`, message: problem.message });
  return issues.length > before ? null : shift;
}

/** Everything a calendar says in one pass: the shifts read (with their event numbers), every issue, and every staff id named. */
export interface IcsRotaReading {
  value: ShiftInput[];
  events: number[];
  issues: ValidationIssue[];
  refs: StaffReference[];
}

const refused = (issues: ValidationIssue[]): IcsRotaReading => ({ value: [], events: [], issues, refs: [] });

export function parseRotaIcs(source: string): IcsRotaResult {
  const { value, events, issues } = readRotaIcs(source);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value, events };
}

/** Events are numbered from 1 in file order; a recurring event's issues name the occurrence date. */
export function readRotaIcs(source: string): IcsRotaReading {
  let calendar: ICAL.Component;
  try {
    calendar = new ICAL.Component(ICAL.parse(source));
  } catch {
    return refused([{ path: 'calendar', message: 'is not a valid iCalendar file' }]);
  }
  if (calendar.name !== 'vcalendar') return refused([{ path: 'calendar', message: 'must be a VCALENDAR' }]);
  const all = calendar.getAllSubcomponents('vevent');
  const exceptions = all.filter((component) => component.hasProperty('recurrence-id'));
  const issues: ValidationIssue[] = [];
  const refs: StaffReference[] = [];
  const shifts: ShiftInput[] = [];
  const events: number[] = [];
  const add = (shift: ShiftInput, number: number) => {
    shifts.push(shift);
    events.push(number);
  };
  all.forEach((component, index) => {
    const number = index + 1;
    if (component.hasProperty('recurrence-id') || text(component, 'status').toUpperCase() === 'CANCELLED') return;
    const event = new ICAL.Event(component);
    if (!component.hasProperty('dtstart')) {
      issues.push({ path: `events.${number}.dtstart`, message: 'is required' });
      return;
    }
    if (!event.isRecurring()) {
      const shift = shiftOf(component, event.startDate, event.endDate, `events.${number}`, issues, refs);
      if (shift) add(shift, number);
      return;
    }
    for (const exception of exceptions) if (text(exception, 'uid') === event.uid) event.relateException(exception);
    const horizon = event.startDate.clone();
    horizon.adjust(RECURRENCE_HORIZON_DAYS, 0, 0, 0);
    const iterator = event.iterator();
    for (let next = iterator.next(); next && next.compare(horizon) < 0; next = iterator.next()) {
      if (shifts.length > MAX_UPLOAD_SHIFTS) break;
      const details = event.getOccurrenceDetails(next);
      if (text(details.item.component, 'status').toUpperCase() === 'CANCELLED') continue;
      const at = `events.${number}.${next.toString().slice(0, 10)}`;
      const shift = shiftOf(details.item.component, details.startDate, details.endDate, at, issues, refs);
      if (shift) add(shift, number);
    }
  });
  if (shifts.length === 0 && issues.length === 0) return refused([{ path: 'calendar', message: 'must have at least one shift (VEVENT)' }]);
  if (shifts.length > MAX_UPLOAD_SHIFTS) return refused([{ path: 'calendar', message: `must have at most ${MAX_UPLOAD_SHIFTS} shifts` }]);
  return { value: shifts, events, issues, refs };
}

const positionTitles: Record<Position, string> = {
  primary: 'Primary AMHP',
  secondary: 'Secondary AMHP',
  additional: 'Additional AMHP',
  manager: 'EDT manager',
};

export interface IcsFeedOptions {
  calendarName: string;
  /** Staff names by id, for the titles people read; the id is used when a name is missing. */
  staffNames: Readonly<Record<string, string>>;
  now: Date;
}

/**
 * The effective rota as a calendar to subscribe to. Times are written in UTC, which every client
 * shows in its own zone; UIDs come from the rota entry and start, so a refresh updates an event
 * in place rather than duplicating it.
 */
export function rotaToIcs(segments: readonly RotaSegment[], options: IcsFeedOptions): string {
  const calendar = new ICAL.Component('vcalendar');
  calendar.updatePropertyWithValue('prodid', '-//dutyline//rota//EN');
  calendar.updatePropertyWithValue('version', '2.0');
  calendar.updatePropertyWithValue('calscale', 'GREGORIAN');
  calendar.updatePropertyWithValue('method', 'PUBLISH');
  calendar.updatePropertyWithValue('x-wr-calname', options.calendarName);
  calendar.updatePropertyWithValue('x-wr-timezone', 'Europe/London');
  calendar.updatePropertyWithValue('x-published-ttl', 'PT1H');
  const stamp = ICAL.Time.fromJSDate(options.now, true);
  for (const segment of segments) {
    const event = new ICAL.Component('vevent');
    const name = options.staffNames[segment.staffId] ?? segment.staffId;
    event.updatePropertyWithValue('uid', `${segment.shiftId}-${Date.parse(segment.start).toString(36)}@dutyline`);
    event.updatePropertyWithValue('dtstamp', stamp);
    event.updatePropertyWithValue('dtstart', ICAL.Time.fromJSDate(new Date(segment.start), true));
    event.updatePropertyWithValue('dtend', ICAL.Time.fromJSDate(new Date(segment.end), true));
    event.updatePropertyWithValue('summary', `${positionTitles[segment.position]}: ${name}`);
    event.updatePropertyWithValue('transp', 'OPAQUE');
    event.updatePropertyWithValue('x-dutyline-staff', segment.staffId);
    event.updatePropertyWithValue('x-dutyline-position', segment.position);
    calendar.addSubcomponent(event);
  }
  return calendar.toString().replace(/\r?\n/g, '\r\n') + '\r\n';
}
