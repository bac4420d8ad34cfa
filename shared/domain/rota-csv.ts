/**
 * The rota as CSV, the way managers keep it in a spreadsheet: one row per shift,
 * `date,start,end,staff,position` in London local time, optionally `kind,covers` for overrides
 * and swaps. An end at or before the start is the next morning (an overnight shift; equal means
 * 24 hours). Every bad row is reported by its row number as a spreadsheet shows it (the header is
 * row 1), and a file with any bad row imports nothing.
 */
import { MAX_UPLOAD_SHIFTS, shiftKinds, shiftProblems, type RotaSegment, type ShiftInput } from './rota.ts';
import { addDays, existsInLondon, instantToLocal, isLocalDate, isLocalTime, localToInstant } from './rota-time.ts';
import { positions, type Position, type ShiftKind, type ValidationIssue } from './types.ts';

export const ROTA_CSV_COLUMNS = ['date', 'start', 'end', 'staff', 'position'] as const;
const OPTIONAL_COLUMNS = ['kind', 'covers'] as const;
type Column = (typeof ROTA_CSV_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];

export type CsvRotaResult = { ok: true; value: ShiftInput[]; rows: number[] } | { ok: false; issues: ValidationIssue[] };

interface CsvRecord {
  row: number;
  cells: string[];
}

/** RFC 4180: quoted cells may hold commas, quotes (doubled) and line breaks. */
export function parseCsvRecords(text: string): CsvRecord[] | { unclosedQuoteAtRow: number } {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  // Whether the cell holds more than whitespace: kept as it grows, since trimming the cell at every
  // quote made a large file of quotes take minutes.
  let cellHasText = false;
  let quoted = false;
  let line = 1;
  let recordStart = 1;
  const append = (c: string) => {
    cell += c;
    if (!cellHasText && c.trim() !== '') cellHasText = true;
  };
  const nextCell = () => {
    cell = '';
    cellHasText = false;
  };
  const source = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < source.length; i++) {
    const c = source[i] ?? '';
    if (quoted) {
      if (c === '"' && source[i + 1] === '"') {
        append('"');
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        append(c);
      }
    } else if (c === '"' && !cellHasText) {
      quoted = true;
      nextCell();
    } else if (c === ',') {
      cells.push(cell);
      nextCell();
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && source[i + 1] === '\n') i++;
      records.push({ row: recordStart, cells: [...cells, cell] });
      cells = [];
      nextCell();
      line++;
      recordStart = line;
    } else append(c);
  }
  if (quoted) return { unclosedQuoteAtRow: recordStart };
  if (cell !== '' || cells.length > 0) records.push({ row: recordStart, cells: [...cells, cell] });
  return records.filter((record) => record.cells.some((value) => value.trim() !== ''));
}

/** `2026-10-24` or, as UK spreadsheets write it, `24/10/2026`. */
function parseDate(value: string): string | null {
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  const iso = uk ? `${uk[3]}-${uk[2]?.padStart(2, '0')}-${uk[1]?.padStart(2, '0')}` : value;
  return isLocalDate(iso) ? iso : null;
}

/** `17:00`, `9:00`, `09:00:00`; `24:00` only as an end. */
function parseTime(value: string, allowEndOfDay: boolean): string | null {
  const match = /^(\d{1,2}):(\d{2})(?::00)?$/.exec(value);
  if (!match) return null;
  const time = `${match[1]?.padStart(2, '0')}:${match[2]}`;
  if (allowEndOfDay && time === '24:00') return time;
  return isLocalTime(time) ? time : null;
}

const staffIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

function columnsOf(first: CsvRecord): { columns: Column[]; header: boolean; issues: ValidationIssue[] } {
  const names = first.cells.map((cell) => cell.trim().toLowerCase());
  if (names[0] !== 'date') return { columns: [...ROTA_CSV_COLUMNS, ...OPTIONAL_COLUMNS], header: false, issues: [] };
  const known: readonly string[] = [...ROTA_CSV_COLUMNS, ...OPTIONAL_COLUMNS];
  const issues: ValidationIssue[] = [];
  names.forEach((name, index) => {
    if (!known.includes(name)) issues.push({ path: `rows.${first.row}.${index + 1}`, message: `is not a recognised column; use ${known.join(', ')}` });
    else if (names.indexOf(name) !== index) issues.push({ path: `rows.${first.row}.${name}`, message: 'is a repeated column' });
  });
  for (const name of ROTA_CSV_COLUMNS) {
    if (!names.includes(name)) issues.push({ path: `rows.${first.row}`, message: `must have a ${name} column` });
  }
  return { columns: names as Column[], header: true, issues };
}

function parseRow(record: CsvRecord, columns: readonly Column[], issues: ValidationIssue[]): ShiftInput | null {
  const at = (field: string) => `rows.${record.row}.${field}`;
  const before = issues.length;
  if (record.cells.length < ROTA_CSV_COLUMNS.length || record.cells.length > columns.length) {
    const expected = columns.length > ROTA_CSV_COLUMNS.length ? `${ROTA_CSV_COLUMNS.join(',')} (then optionally ${columns.slice(ROTA_CSV_COLUMNS.length).join(',')})` : columns.join(',');
    issues.push({ path: `rows.${record.row}`, message: `has ${record.cells.length} cells; expected ${expected}` });
    return null;
  }
  const cell = (name: Column) => {
    const index = columns.indexOf(name);
    return index < 0 ? '' : (record.cells[index] ?? '').trim();
  };
  const date = parseDate(cell('date'));
  if (!date) issues.push({ path: at('date'), message: 'must be a date such as 2026-10-24 or 24/10/2026' });
  const start = parseTime(cell('start'), false);
  if (!start) issues.push({ path: at('start'), message: 'must be a time such as 17:00' });
  const end = parseTime(cell('end'), true);
  if (!end) issues.push({ path: at('end'), message: 'must be a time such as 08:45 (an end at or before the start is the next day)' });
  const staffId = cell('staff');
  if (!staffIdPattern.test(staffId)) issues.push({ path: at('staff'), message: 'must be a staff id: 1 to 64 letters, digits, - or _' });
  const position = cell('position').toLowerCase() as Position;
  if (!positions.includes(position)) issues.push({ path: at('position'), message: `must be one of: ${positions.join(', ')}` });
  const kind = (cell('kind').toLowerCase() || 'base') as ShiftKind;
  if (!shiftKinds.includes(kind)) issues.push({ path: at('kind'), message: `must be one of: ${shiftKinds.join(', ')}` });
  const covers = cell('covers');
  if (covers && !staffIdPattern.test(covers)) issues.push({ path: at('covers'), message: 'must be a staff id: 1 to 64 letters, digits, - or _' });
  if (!date || !start || !end || issues.length > before) return null;

  const overnight = end !== '24:00' && end <= start;
  const endDate = overnight ? addDays(date, 1) : date;
  // A time the clocks skip is most likely a slip; say so rather than guess.
  for (const [field, day, time] of [['start', date, start], ['end', endDate, end]] as const) {
    if (!existsInLondon(day, time)) issues.push({ path: at(field), message: `is not a time on ${day}: the clocks go forward from 01:00 to 02:00` });
  }
  if (issues.length > before) return null;
  const shift: ShiftInput = {
    staffId,
    position,
    start: localToInstant(date, start).toISOString(),
    end: localToInstant(endDate, end).toISOString(),
    ...(kind !== 'base' ? { kind } : {}),
    ...(covers ? { covers } : {}),
  };
  for (const problem of shiftProblems(shift)) issues.push({ path: at(problem.field), message: problem.message });
  return issues.length > before ? null : shift;
}

export function parseRotaCsv(text: string): CsvRotaResult {
  const records = parseCsvRecords(text);
  if (!Array.isArray(records)) {
    return { ok: false, issues: [{ path: `rows.${records.unclosedQuoteAtRow}`, message: 'has a quote that is never closed' }] };
  }
  const [first] = records;
  if (!first) return { ok: false, issues: [{ path: 'rows', message: `must have at least one shift: ${ROTA_CSV_COLUMNS.join(',')}` }] };
  const { columns, header, issues } = columnsOf(first);
  if (issues.length > 0) return { ok: false, issues };
  const body = header ? records.slice(1) : records;
  // An empty upload would wipe the rota: far more often a wrong file than a wish.
  if (body.length === 0) return { ok: false, issues: [{ path: 'rows', message: `must have at least one shift: ${ROTA_CSV_COLUMNS.join(',')}` }] };
  if (body.length > MAX_UPLOAD_SHIFTS) return { ok: false, issues: [{ path: 'rows', message: `must have at most ${MAX_UPLOAD_SHIFTS} shifts` }] };
  const shifts: ShiftInput[] = [];
  for (const record of body) {
    const shift = parseRow(record, columns, issues);
    if (shift) shifts.push(shift);
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: shifts, rows: body.map((record) => record.row) };
}

const quote = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/**
 * The effective rota as CSV that imports back to the same rota. A row can say at most 24 hours
 * (an end equal to the start), so a longer stretch is cut at the same wall time the next day.
 */
export function rotaToCsv(segments: readonly Pick<RotaSegment, 'staffId' | 'position' | 'start' | 'end'>[]): string {
  const lines = [ROTA_CSV_COLUMNS.join(',')];
  for (const segment of segments) {
    let from = new Date(segment.start);
    const until = Date.parse(segment.end);
    while (from.getTime() < until) {
      const local = instantToLocal(from);
      const dayLater = localToInstant(addDays(local.date, 1), local.time).getTime();
      const to = new Date(Math.min(until, dayLater));
      const cells = [local.date, local.time, instantToLocal(to).time, segment.staffId, segment.position];
      lines.push(cells.map(quote).join(','));
      from = to;
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
