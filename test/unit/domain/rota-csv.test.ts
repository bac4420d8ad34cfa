import { describe, expect, it } from 'vitest';
import { parseCsvRecords, parseRotaCsv, rotaToCsv } from '../../../shared/domain/rota-csv.ts';
import { effectiveRota, toShifts } from '../../../shared/domain/rota.ts';

const csv = (...lines: string[]) => `${lines.join('\r\n')}\r\n`;
const header = 'date,start,end,staff,position';

function parsed(text: string) {
  const result = parseRotaCsv(text);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result;
}

describe('parseRotaCsv', () => {
  it('reads London local times, and an end at or before the start as the next morning', () => {
    const result = parsed(csv(header, '2026-11-24,17:00,08:45,amhp-asha,primary', '2026-07-01,09:00,17:00,amhp-ben,secondary'));
    expect(result.value).toEqual([
      { staffId: 'amhp-asha', position: 'primary', start: '2026-11-24T17:00:00.000Z', end: '2026-11-25T08:45:00.000Z' },
      { staffId: 'amhp-ben', position: 'secondary', start: '2026-07-01T08:00:00.000Z', end: '2026-07-01T16:00:00.000Z' },
    ]);
    expect(result.rows).toEqual([2, 3]);
  });

  it('reads an end equal to the start as 24 hours, and 24:00 as midnight', () => {
    const { value } = parsed(csv(header, '2026-11-28,09:00,09:00,amhp-asha,primary', '2026-11-28,17:00,24:00,amhp-ben,secondary'));
    expect(value.map((s) => [s.start, s.end])).toEqual([
      ['2026-11-28T09:00:00.000Z', '2026-11-29T09:00:00.000Z'],
      ['2026-11-28T17:00:00.000Z', '2026-11-29T00:00:00.000Z'],
    ]);
  });

  it('gives the overnight shifts of the clock-change nights their real length: 16 hours in March, 18 in October (17:00–08:00)', () => {
    const { value } = parsed(csv(header, '2026-03-28,17:00,08:00,a,primary', '2026-10-24,17:00,08:00,a,primary', '2027-03-27,17:00,08:00,a,primary', '2027-10-30,17:00,08:00,a,primary'));
    expect(value.map((s) => (Date.parse(s.end) - Date.parse(s.start)) / 3_600_000)).toEqual([14, 16, 14, 16]);
  });

  it('refuses a time the clocks skip, with or without an offset', () => {
    expect(parseRotaCsv(csv(header, '2027-03-27,17:00,01:30,a,primary'))).toEqual({
      ok: false,
      issues: [{ path: 'rows.2.end', message: 'is not a time on 2027-03-28: the clocks go forward from 01:00 to 02:00' }],
    });
    expect(parseRotaCsv(csv(header, '2026-03-29,01:30+00:00,08:00,a,primary'))).toEqual({
      ok: false,
      issues: [{ path: 'rows.2.start', message: 'is not a time on 2026-03-29: the clocks go forward from 01:00 to 02:00' }],
    });
  });

  it('places an end the clocks skip on the start day by the clock face: on the March Sunday 02:00 or 17:00 to 01:15 ends on Monday, 00:30 to 01:30 is refused', () => {
    // Found by the DST property (seed -377867477): the end was read an hour later, 02:15, so "after the start" and on the Sunday, where 01:15 does not exist.
    const { value } = parsed(csv(header, '2026-03-29,02:00,01:15,a,primary', '2026-03-29,17:00,01:15,b,secondary'));
    expect(value.map((s) => [s.start, s.end])).toEqual([
      ['2026-03-29T01:00:00.000Z', '2026-03-30T00:15:00.000Z'],
      ['2026-03-29T16:00:00.000Z', '2026-03-30T00:15:00.000Z'],
    ]);
    expect(parseRotaCsv(csv(header, '2026-03-29,00:30,01:30,a,primary'))).toEqual({
      ok: false,
      issues: [{ path: 'rows.2.end', message: 'is not a time on 2026-03-29: the clocks go forward from 01:00 to 02:00' }],
    });
  });

  it('refuses 01:30 on the October change night without its offset, saying how to write it', () => {
    expect(parseRotaCsv(csv(header, '2026-10-24,17:00,01:30,a,primary', '2026-10-25,01:00,09:00,b,secondary'))).toEqual({
      ok: false,
      issues: [
        {
          path: 'rows.2.end',
          message: 'happens twice on 2026-10-25 (the clocks go back from 02:00 to 01:00): write 01:30+01:00 for the first, in BST, or 01:30+00:00 for the second, in GMT',
        },
        {
          path: 'rows.3.start',
          message: 'happens twice on 2026-10-25 (the clocks go back from 02:00 to 01:00): write 01:00+01:00 for the first, in BST, or 01:00+00:00 for the second, in GMT',
        },
      ],
    });
  });

  it('reads an explicit offset as the one instant it names, and refuses an offset London did not have', () => {
    const { value } = parsed(csv(header, '2026-10-24,17:00,01:30+01:00,a,primary', '2026-10-25,01:30+01:00,01:30+00:00,b,primary', '2026-10-25,01:30Z,09:00,c,primary'));
    expect(value.map(({ start, end }) => [start, end])).toEqual([
      ['2026-10-24T16:00:00.000Z', '2026-10-25T00:30:00.000Z'],
      ['2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z'],
      ['2026-10-25T01:30:00.000Z', '2026-10-25T09:00:00.000Z'],
    ]);
    expect(parseRotaCsv(csv(header, '2026-11-24,17:00+01:00,08:45,a,primary'))).toEqual({
      ok: false,
      issues: [{ path: 'rows.2.start', message: '17:00+01:00 is not a time in London on 2026-11-24: the offset then is +00:00' }],
    });
  });

  it('accepts UK dates, H:MM times, no header, quoted cells and a byte-order mark', () => {
    const { value } = parsed('\uFEFF24/11/2026,9:00,"17:00","amhp-asha",Primary\n');
    expect(value).toEqual([{ staffId: 'amhp-asha', position: 'primary', start: '2026-11-24T09:00:00.000Z', end: '2026-11-24T17:00:00.000Z' }]);
  });

  it('reads overrides and swaps from optional kind and covers columns', () => {
    const { value } = parsed(csv(`${header},kind,covers`, '2026-11-24,23:00,03:00,manager-dev,primary,override,amhp-asha', '2026-11-24,17:00,08:45,amhp-ben,secondary,,'));
    expect(value).toEqual([
      { staffId: 'manager-dev', position: 'primary', start: '2026-11-24T23:00:00.000Z', end: '2026-11-25T03:00:00.000Z', kind: 'override', covers: 'amhp-asha' },
      { staffId: 'amhp-ben', position: 'secondary', start: '2026-11-24T17:00:00.000Z', end: '2026-11-25T08:45:00.000Z' },
    ]);
  });

  it('reports every bad row by its spreadsheet row number, and imports nothing', () => {
    const result = parseRotaCsv(
      csv(
        header,
        '2026-11-24,17:00,08:45,amhp-asha,primary',
        '2026-02-30,17:00,08:45,amhp-asha,primary',
        '',
        '2026-11-25,5pm,08:45,amhp ben,deputy',
        '2026-11-26,17:00,08:45,amhp-asha',
        '2026-11-27,17:00,08:45,amhp-asha,primary,swap',
      ),
    );
    expect(result).toEqual({
      ok: false,
      issues: [
        { path: 'rows.3.date', message: 'must be a date such as 2026-10-24 or 24/10/2026' },
        { path: 'rows.5.start', message: 'must be a time such as 17:00' },
        { path: 'rows.5.staff', message: 'must be a staff id: 1 to 64 letters, digits, - or _' },
        { path: 'rows.5.position', message: 'must be one of: primary, secondary, manager, additional' },
        { path: 'rows.6', message: 'has 4 cells; expected date,start,end,staff,position' },
        { path: 'rows.7', message: 'has 6 cells; expected date,start,end,staff,position' },
      ],
    });
  });

  it('counts a line break inside a quoted cell when numbering rows', () => {
    const result = parseRotaCsv(`${header}\n"2026-11-24",17:00,08:45,"amhp\nasha",primary\n2026-11-25,17:00,08:45,amhp-asha,nobody\n`);
    expect(result.ok === false && result.issues.map((i) => i.path)).toEqual(['rows.2.staff', 'rows.4.position']);
  });

  it('refuses a shift longer than 48 hours, a swap without covers, and an unknown column', () => {
    expect(parseRotaCsv(csv(`${header},kind`, '2026-11-24,17:00,08:45,a,primary,swap'))).toEqual({
      ok: false,
      issues: [{ path: 'rows.2.covers', message: 'is required for a swap: whose shift it takes' }],
    });
    expect(parseRotaCsv(csv(`${header},colour`, '2026-11-24,17:00,08:45,a,primary,red'))).toEqual({
      ok: false,
      issues: [{ path: 'rows.1.6', message: 'is not a recognised column; use date, start, end, staff, position, kind, covers' }],
    });
  });

  it('refuses an empty file and an unclosed quote', () => {
    expect(parseRotaCsv(`${header}\n`).ok).toBe(false);
    expect(parseRotaCsv(parseRotaCsvInput()).ok).toBe(false);
    expect(parseCsvRecords('a,"b\n')).toEqual({ unclosedQuoteAtRow: 1 });
  });
});

const parseRotaCsvInput = () => `${header}\n2026-11-24,17:00,08:45,"amhp-asha,primary\n`;

describe('rotaToCsv', () => {
  it('writes the effective rota, overnight shifts as one row, and imports back to the same rota', () => {
    const { value } = parsed(csv(header, '2026-10-24,17:00,09:00,amhp-asha,primary', '2026-10-25,09:00,17:00,amhp-ben,primary'));
    const from = new Date('2026-10-24T00:00:00Z');
    const to = new Date('2026-10-26T00:00:00Z');
    const segments = effectiveRota(toShifts('leeds', value), from, to);
    const text = rotaToCsv(segments);
    expect(text).toBe(csv(header, '2026-10-24,17:00+01:00,09:00+00:00,amhp-asha,primary', '2026-10-25,09:00+00:00,17:00+00:00,amhp-ben,primary'));
    expect(effectiveRota(toShifts('leeds', parsed(text).value), from, to)).toEqual(segments);
  });

  it('cuts a stretch longer than a day at the same wall time the next day', () => {
    const weekend = [{ id: 'w', staffId: 'a', position: 'primary' as const, start: '2026-11-27T16:45:00.000Z', end: '2026-11-29T16:45:00.000Z' }];
    expect(rotaToCsv(weekend)).toBe(csv(header, '2026-11-27,16:45+00:00,16:45+00:00,a,primary', '2026-11-28,16:45+00:00,16:45+00:00,a,primary'));
  });
});
