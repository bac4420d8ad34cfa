import { describe, expect, it } from 'vitest';
import { parseRotaIcs, rotaToIcs } from '../../../shared/domain/rota-ics.ts';
import { effectiveRota, toShifts } from '../../../shared/domain/rota.ts';

const calendar = (...events: string[][]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...events.flatMap((lines) => ['BEGIN:VEVENT', ...lines, 'END:VEVENT']), 'END:VCALENDAR'].join('\r\n');

function parsed(text: string) {
  const result = parseRotaIcs(text);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result;
}

describe('parseRotaIcs', () => {
  it('reads a shift from X-DUTYLINE properties with London times by TZID', () => {
    const { value } = parsed(
      calendar([
        'UID:1',
        'DTSTART;TZID=Europe/London:20261024T170000',
        'DTEND;TZID=Europe/London:20261025T090000',
        'X-DUTYLINE-STAFF:amhp-asha',
        'X-DUTYLINE-POSITION:primary',
      ]),
    );
    expect(value).toEqual([{ staffId: 'amhp-asha', position: 'primary', start: '2026-10-24T16:00:00.000Z', end: '2026-10-25T09:00:00.000Z' }]);
  });

  it('reads who and which position from a summary, UTC and floating times, and DURATION', () => {
    const { value } = parsed(
      calendar(
        ['UID:1', 'DTSTART:20261124T170000Z', 'DTEND:20261125T084500Z', 'SUMMARY:Secondary: amhp-ben'],
        ['UID:2', 'DTSTART:20260701T170000', 'DURATION:PT16H', 'SUMMARY:manager - manager-dev'],
      ),
    );
    expect(value).toEqual([
      { staffId: 'amhp-ben', position: 'secondary', start: '2026-11-24T17:00:00.000Z', end: '2026-11-25T08:45:00.000Z' },
      { staffId: 'manager-dev', position: 'manager', start: '2026-07-01T16:00:00.000Z', end: '2026-07-02T08:00:00.000Z' },
    ]);
  });

  it('expands a weekly shift at the same London wall time across the October clock change, with its exceptions', () => {
    const { value, events } = parsed(
      calendar(
        [
          'UID:weekly',
          'DTSTART;TZID=Europe/London:20261017T170000',
          'DTEND;TZID=Europe/London:20261018T090000',
          'RRULE:FREQ=WEEKLY;COUNT=4',
          'EXDATE;TZID=Europe/London:20261031T170000',
          'SUMMARY:primary: amhp-asha',
        ],
        [
          'UID:weekly',
          'RECURRENCE-ID;TZID=Europe/London:20261024T170000',
          'DTSTART;TZID=Europe/London:20261024T170000',
          'DTEND;TZID=Europe/London:20261025T090000',
          'SUMMARY:primary: amhp-ben',
        ],
      ),
    );
    expect(value).toEqual([
      { staffId: 'amhp-asha', position: 'primary', start: '2026-10-17T16:00:00.000Z', end: '2026-10-18T08:00:00.000Z' },
      { staffId: 'amhp-ben', position: 'primary', start: '2026-10-24T16:00:00.000Z', end: '2026-10-25T09:00:00.000Z' },
      { staffId: 'amhp-asha', position: 'primary', start: '2026-11-07T17:00:00.000Z', end: '2026-11-08T09:00:00.000Z' },
    ]);
    expect(events).toEqual([1, 1, 1]);
  });

  it('skips cancelled events', () => {
    const { value } = parsed(
      calendar(
        ['UID:1', 'DTSTART:20261124T170000Z', 'DTEND:20261125T084500Z', 'SUMMARY:primary: a'],
        ['UID:2', 'STATUS:CANCELLED', 'DTSTART:20261125T170000Z', 'DTEND:20261126T084500Z', 'SUMMARY:primary: a'],
      ),
    );
    expect(value).toHaveLength(1);
  });

  it('reports every bad event by its number in the file, and imports nothing', () => {
    const result = parseRotaIcs(
      calendar(
        ['UID:1', 'DTSTART:20261124T170000Z', 'DTEND:20261125T084500Z', 'SUMMARY:primary: amhp-asha'],
        ['UID:2', 'DTSTART;VALUE=DATE:20261125', 'SUMMARY:primary: amhp-asha'],
        ['UID:3', 'DTSTART;TZID=America/New_York:20261125T170000', 'DTEND;TZID=America/New_York:20261126T080000', 'SUMMARY:Night shift'],
        ['UID:4', 'DTSTART:20261124T170000Z', 'DTEND:20261124T170000Z', 'SUMMARY:primary: amhp-asha'],
      ),
    );
    expect(result).toEqual({
      ok: false,
      issues: [
        { path: 'events.2.dtstart', message: 'must have a time of day: an all-day event is not a shift' },
        { path: 'events.2.dtend', message: 'must have a time of day: an all-day event is not a shift' },
        { path: 'events.3.staff', message: 'must name a staff id, in X-DUTYLINE-STAFF or a summary such as "primary: amhp-asha"' },
        { path: 'events.3.position', message: 'must be one of: primary, secondary, manager, additional' },
        { path: 'events.3.dtstart', message: 'is in time zone America/New_York; use Europe/London or UTC' },
        { path: 'events.3.dtend', message: 'is in time zone America/New_York; use Europe/London or UTC' },
        { path: 'events.4.dtend', message: 'must be after start' },
      ],
    });
  });

  it('refuses a file that is not iCalendar, and one with no events', () => {
    expect(parseRotaIcs('date,start,end\n')).toEqual({ ok: false, issues: [{ path: 'calendar', message: 'is not a valid iCalendar file' }] });
    expect(parseRotaIcs(calendar()).ok).toBe(false);
  });
});

describe('rotaToIcs', () => {
  const shifts = toShifts('leeds', [
    { staffId: 'amhp-asha', position: 'primary', start: '2026-10-24T16:00:00.000Z', end: '2026-10-25T09:00:00.000Z' },
    { staffId: 'manager-dev', position: 'primary', start: '2026-10-25T02:00:00.000Z', end: '2026-10-25T04:00:00.000Z', kind: 'override' },
  ]);
  const segments = effectiveRota(shifts, new Date('2026-10-24T00:00:00Z'), new Date('2026-10-26T00:00:00Z'));
  const feed = rotaToIcs(segments, { calendarName: 'Leeds EDT rota', staffNames: { 'amhp-asha': 'Asha Patel' }, now: new Date('2026-10-20T12:00:00Z') });

  it('is a calendar of the effective rota in UTC, named for people, with CRLF line ends', () => {
    expect(feed).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(feed).toContain('X-WR-CALNAME:Leeds EDT rota');
    expect(feed).toContain('SUMMARY:Primary AMHP: Asha Patel');
    expect(feed).toContain('SUMMARY:Primary AMHP: manager-dev');
    expect(feed.match(/BEGIN:VEVENT/g)).toHaveLength(3);
    expect(feed).toContain('DTSTART:20261025T020000Z');
    expect(feed.split('\r\n').every((line) => !line.includes('\n'))).toBe(true);
  });

  it('keeps the same UIDs when generated again, so subscribed calendars update in place', () => {
    const again = rotaToIcs(segments, { calendarName: 'x', staffNames: {}, now: new Date('2026-10-21T12:00:00Z') });
    const uids = (text: string) => text.match(/^UID:.*$/gm);
    expect(uids(again)).toEqual(uids(feed));
  });

  it('imports back to the same effective rota', () => {
    const back = parsed(feed).value;
    expect(effectiveRota(toShifts('leeds', back), new Date('2026-10-24T00:00:00Z'), new Date('2026-10-26T00:00:00Z')).map(({ shiftId: _, kind: __, ...s }) => s)).toEqual(
      segments.map(({ shiftId: _, kind: __, ...s }) => s),
    );
  });
});
