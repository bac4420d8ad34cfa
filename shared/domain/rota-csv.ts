/**
 * The rota as CSV, the way managers keep it in a spreadsheet: one row per shift,
 * `date,start,end,staff,position` in London local time, optionally `kind,covers` for overrides
 * and swaps. An end at or before the start is the next morning (an overnight shift; equal means
 * 24 hours). A time may carry its offset (`01:30+01:00`); in the hour the clocks go back it must,
 * since 01:30 then happens twice. Every bad row is reported by its row number as a spreadsheet
 * shows it (the header is row 1), and a file with any bad row imports nothing.
 */
import { MAX_UPLOAD_SHIFTS, shiftKinds, shiftProblems, type RotaSegment, type ShiftInput } from './rota.ts';
import { addDays, instantToLocal, isLocalDate, isLocalTime, localToInstant, londonReadings, withOffset } from './rota-time.ts';
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

interface CellTime {
  time: string;
  /** `+01:00` or `+00:00` when the cell gives one; needed for 01:00–01:59 on the October change night. */
  offset?: string;
}

/** `17:00`, `9:00`, `09:00:00`, `01:30+01:00`, `01:30Z`; `24:00` only as an end, and without an offset. */
function parseTime(value: string, allowEndOfDay: boolean): CellTime | null {
  const match = /^(\d{1,2}):(\d{2})(?::00)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(value);
  if (!match) return null;
  const time = `${match[1]?.padStart(2, '0')}:${match[2]}`;
  const zone = match[3]?.toUpperCase();
  const offset = zone === undefined ? undefined : zone === 'Z' ? '+00:00' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  if (allowEndOfDay && time === '24:00' && !offset) return { time };
  if (!isLocalTime(time)) return null;
  return offset ? { time, offset } : { time };
}

const written = (cell: CellTime) => `${cell.time}${cell.offset ?? ''}`;

type Readings = (date: string, time: string) => Date[];

/**
 * London readings of each date and time, worked out once per file: a rota repeats a few start and
 * end times over its dates, and each reading goes through the tz database (20,000 rows took 12 s).
 */
function memoisedReadings(): Readings {
  const known = new Map<string, Date[]>();
  return (date, time) => {
    const key = `${date}T${time}`;
    let readings = known.get(key);
    if (!readings) known.set(key, (readings = londonReadings(date, time)));
    return readings;
  };
}

/** The instant for a cell that may not fit, so an end can be placed on the right day before it is checked. */
const roughly = (date: string, cell: CellTime, readingsOf: Readings) =>
  (cell.offset ? withOffset(date, cell.time, cell.offset) : undefined)?.getTime() ??
  (readingsOf(date, cell.time)[0] ?? localToInstant(date, cell.time)).getTime();

/**
 * Whether a row's end is on its start's date: an end that does not come after the start is the
 * next day's (an overnight shift; equal is 24 hours). By the instants, so that in the hour the
 * clocks go back 01:45+01:00 to 01:15+00:00 is half an hour; but a time the clocks skip on the
 * date (01:xx on the March Sunday) names no instant there, so it is placed by the clock face:
 * 02:00 to 01:15 that Sunday ends on Monday, while 00:30 to 01:30 is refused (no 01:30 that day).
 */
function endsSameDay(date: string, start: CellTime, startAt: Date, end: CellTime, readingsOf: Readings): boolean {
  if (end.time === '24:00') return true;
  if (!end.offset && readingsOf(date, end.time).length === 0) return end.time > start.time;
  return roughly(date, end, readingsOf) > startAt.getTime();
}

/**
 * The one instant a cell names on `date`, or why there is none: a time the clocks skip, a time
 * that happens twice without the offset that says which, or an offset London did not have.
 */
function instantOf(date: string, cell: CellTime, readingsOf: Readings): Date | string {
  const readings = readingsOf(date, cell.time);
  if (readings.length === 0) return `is not a time on ${date}: the clocks go forward from 01:00 to 02:00`;
  if (cell.offset) {
    const at = withOffset(date, cell.time, cell.offset);
    if (at) return at;
    const offsets = readings.map((reading) => instantToLocal(reading).offset).join(' or ');
    return `${written(cell)} is not a time in London on ${date}: the offset then is ${offsets}`;
  }
  if (readings.length > 1) {
    const [first, second] = readings.map((reading) => `${cell.time}${instantToLocal(reading).offset}`);
    return `happens twice on ${date} (the clocks go back from 02:00 to 01:00): write ${first} for the first, in BST, or ${second} for the second, in GMT`;
  }
  return readings[0] as Date;
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

/** A staff id a row names, where it names it: checked against the directory even when the row has other faults. */
export interface StaffReference {
  staffId: string;
  path: string;
}

function parseRow(record: CsvRecord, columns: readonly Column[], issues: ValidationIssue[], refs: StaffReference[], readingsOf: Readings): ShiftInput | null {
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
  else refs.push({ staffId, path: at('staff') });
  const position = cell('position').toLowerCase() as Position;
  if (!positions.includes(position)) issues.push({ path: at('position'), message: `must be one of: ${positions.join(', ')}` });
  const kind = (cell('kind').toLowerCase() || 'base') as ShiftKind;
  if (!shiftKinds.includes(kind)) issues.push({ path: at('kind'), message: `must be one of: ${shiftKinds.join(', ')}` });
  const covers = cell('covers');
  if (covers && !staffIdPattern.test(covers)) issues.push({ path: at('covers'), message: 'must be a staff id: 1 to 64 letters, digits, - or _' });
  else if (covers) refs.push({ staffId: covers, path: at('covers') });
  if (!date || !start || !end || issues.length > before) return null;

  const startAt = instantOf(date, start, readingsOf);
  if (typeof startAt === 'string') issues.push({ path: at('start'), message: startAt });
  if (typeof startAt === 'string') return null;
  const endDate = endsSameDay(date, start, startAt, end, readingsOf) ? date : addDays(date, 1);
  const endAt = instantOf(endDate, end, readingsOf);
  if (typeof endAt === 'string') issues.push({ path: at('end'), message: endAt });
  if (typeof endAt === 'string') return null;
  const shift: ShiftInput = {
    staffId,
    position,
    start: startAt.toISOString(),
    end: endAt.toISOString(),
    ...(kind !== 'base' ? { kind } : {}),
    ...(covers ? { covers } : {}),
  };
  for (const problem of shiftProblems(shift)) issues.push({ path: at(problem.field), message: problem.message });
  return issues.length > before ? null : shift;
}

/** Everything a file says in one pass: the rows that parsed (with their row numbers), every bad row's issues, and every staff id named. */
export interface CsvRotaReading {
  value: ShiftInput[];
  rows: number[];
  issues: ValidationIssue[];
  refs: StaffReference[];
}

const refused = (issues: ValidationIssue[]): CsvRotaReading => ({ value: [], rows: [], issues, refs: [] });

export function readRotaCsv(text: string): CsvRotaReading {
  const records = parseCsvRecords(text);
  if (!Array.isArray(records)) return refused([{ path: `rows.${records.unclosedQuoteAtRow}`, message: 'has a quote that is never closed' }]);
  const [first] = records;
  if (!first) return refused([{ path: 'rows', message: `must have at least one shift: ${ROTA_CSV_COLUMNS.join(',')}` }]);
  const { columns, header, issues } = columnsOf(first);
  if (issues.length > 0) return refused(issues);
  const body = header ? records.slice(1) : records;
  // An empty upload would wipe the rota: far more often a wrong file than a wish.
  if (body.length === 0) return refused([{ path: 'rows', message: `must have at least one shift: ${ROTA_CSV_COLUMNS.join(',')}` }]);
  if (body.length > MAX_UPLOAD_SHIFTS) return refused([{ path: 'rows', message: `must have at most ${MAX_UPLOAD_SHIFTS} shifts` }]);
  const reading: CsvRotaReading = { value: [], rows: [], issues, refs: [] };
  const readingsOf = memoisedReadings();
  for (const record of body) {
    const shift = parseRow(record, columns, issues, reading.refs, readingsOf);
    if (shift) {
      reading.value.push(shift);
      reading.rows.push(record.row);
    }
  }
  return reading;
}

export function parseRotaCsv(text: string): CsvRotaResult {
  const { value, rows, issues } = readRotaCsv(text);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value, rows };
}

const quote = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/**
 * The effective rota as CSV that imports back to the same rota. A row can say at most 24 hours
 * (an end equal to the start), so a longer stretch is cut at the same wall time the next day.
 * Every time carries its offset (`17:00+01:00`), so the hour the clocks go back reads one way only.
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
      const ends = instantToLocal(to);
      const cells = [local.date, `${local.time}${local.offset}`, `${ends.time}${ends.offset}`, segment.staffId, segment.position];
      lines.push(cells.map(quote).join(','));
      from = to;
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
