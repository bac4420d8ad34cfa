/**
 * The files a service is loaded from, read the same way by `npm run load` (which PUTs them through
 * the API) and the local demo seed (which hands them to the same use cases): `team.json` (the
 * team's PUT body, its id, and optionally the service settings), `staff.csv` (one row per person)
 * and a rota in CSV or iCalendar. Each is checked here with the API's own schemas, so a bad row is
 * named (file, row, field) before anything is sent.
 */
import ICAL from 'ical.js';
import { serviceSettingsSchema, toIssues, validateStaff, validateTeam, resourceId, type Issue } from '../../shared/domain/admin-schemas.ts';
import { parseCsvRecords, readRotaCsv } from '../../shared/domain/rota-csv.ts';
import { readRotaIcs } from '../../shared/domain/rota-ics.ts';
import type { Staff } from '../../shared/domain/types.ts';

/** Where in which file, and what is wrong: never the value, which may be a name or a number. */
export interface FileIssue {
  where: string;
  field?: string;
  message: string;
}

export const describeIssue = (issue: FileIssue) => `${issue.where}${issue.field ? `, ${issue.field}` : ''}: ${issue.message}`;

export interface TeamFile {
  teamId: string;
  /** The `PUT /api/teams/{teamId}` body. */
  team: Record<string, unknown>;
  /** The `PUT /api/service` body, when the file gives one. */
  service?: Record<string, unknown>;
}

export type FileReading<T> = { ok: true; value: T } | { ok: false; issues: FileIssue[] };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** An API or schema issue path inside one part of team.json, as the file names it. */
export const teamFileIssue = (file: string, part: 'team' | 'service', issue: Issue): FileIssue => ({
  where: file,
  field: issue.path ? `${part}.${issue.path}` : part,
  message: issue.message,
});

export function readTeamFile(text: string, file: string): FileReading<TeamFile> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, issues: [{ where: file, message: `is not valid JSON (${error instanceof Error ? error.message : 'unreadable'})` }] };
  }
  if (!isObject(parsed)) return { ok: false, issues: [{ where: file, message: 'must be a JSON object {"teamId", "team", "service"?}' }] };
  const issues: FileIssue[] = [];
  const known = ['teamId', 'team', 'service'];
  for (const key of Object.keys(parsed)) if (!known.includes(key)) issues.push({ where: file, field: key, message: `is not a recognised field; use ${known.join(', ')}` });
  const { teamId, team, service } = parsed;
  if (typeof teamId !== 'string' || !resourceId.safeParse(teamId).success) issues.push({ where: file, field: 'teamId', message: 'must be 1 to 64 letters, digits, - or _' });
  if (!isObject(team)) issues.push({ where: file, field: 'team', message: 'must be an object: the team as PUT /api/teams/{teamId} takes it' });
  else {
    const checked = validateTeam(String(teamId), team);
    if (!checked.ok) issues.push(...checked.issues.map((issue) => teamFileIssue(file, 'team', issue)));
  }
  if (service !== undefined) {
    const checked = serviceSettingsSchema.safeParse(service);
    if (!isObject(service)) issues.push({ where: file, field: 'service', message: 'must be an object: the settings as PUT /api/service takes them' });
    else if (!checked.success) issues.push(...toIssues(checked.error).map((issue) => teamFileIssue(file, 'service', issue)));
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: { teamId: teamId as string, team: team as Record<string, unknown>, ...(isObject(service) ? { service } : {}) } };
}

export const STAFF_CSV_COLUMNS = ['id', 'name', 'phone', 'roles'] as const;
/** `teams` may be left out: everyone is then in the team of team.json. */
const STAFF_OPTIONAL_COLUMNS = ['teams'] as const;

export interface StaffRow {
  /** The row as a spreadsheet numbers it (the header is row 1). */
  row: number;
  staffId: string;
  /** The `PUT /api/staff/{staffId}` body. */
  body: { name: string; phone: string; teamIds: string[]; roles: string[] };
  /** The same, as the API will store it (phone normalised). */
  staff: Staff;
}

/** Where a staff row's API issue belongs: `teamIds.0` is the `teams` column, `roles.1` the `roles` column. */
export function staffRowIssue(file: string, row: number, staffId: string, issue: Issue): FileIssue {
  const field = issue.path.split('.')[0] ?? '';
  const column = field === 'teamIds' ? 'teams' : field;
  return { where: `${file} row ${row} (${staffId})`, ...(column ? { field: column } : {}), message: issue.message };
}

/** Several roles or teams in one cell, separated by `;` or spaces (a comma would need quotes). */
const listCell = (value: string) => value.split(/[;\s]+/).filter((part) => part !== '');

/** `id,name,phone,roles[,teams]` with a header row; every bad row is named, and any bad row means nothing is loaded. */
export function readStaffCsv(text: string, file: string, defaultTeamId: string): FileReading<StaffRow[]> {
  const records = parseCsvRecords(text);
  if (!Array.isArray(records)) return { ok: false, issues: [{ where: `${file} row ${records.unclosedQuoteAtRow}`, message: 'has a quote that is never closed' }] };
  const [header, ...rows] = records;
  const expected = `${STAFF_CSV_COLUMNS.join(',')} (and optionally ${STAFF_OPTIONAL_COLUMNS.join(',')})`;
  if (!header) return { ok: false, issues: [{ where: file, message: `is empty; its first row must be the header ${expected}` }] };
  const columns = header.cells.map((cell) => cell.trim().toLowerCase());
  const known: readonly string[] = [...STAFF_CSV_COLUMNS, ...STAFF_OPTIONAL_COLUMNS];
  const headerIssues: FileIssue[] = [];
  columns.forEach((name, index) => {
    if (!known.includes(name)) headerIssues.push({ where: `${file} row ${header.row}`, field: `column ${index + 1}`, message: `"${name}" is not a recognised column; use ${expected}` });
  });
  for (const name of STAFF_CSV_COLUMNS) if (!columns.includes(name)) headerIssues.push({ where: `${file} row ${header.row}`, message: `must have a ${name} column` });
  if (headerIssues.length > 0) return { ok: false, issues: headerIssues };
  if (rows.length === 0) return { ok: false, issues: [{ where: file, message: 'has no staff rows after the header' }] };

  const issues: FileIssue[] = [];
  const value: StaffRow[] = [];
  const seen = new Map<string, number>();
  for (const record of rows) {
    const cell = (name: string) => (record.cells[columns.indexOf(name)] ?? '').trim();
    if (record.cells.length !== columns.length) {
      issues.push({ where: `${file} row ${record.row}`, message: `has ${record.cells.length} cells; expected ${columns.length} (${columns.join(',')})` });
      continue;
    }
    const staffId = cell('id');
    if (!resourceId.safeParse(staffId).success) {
      issues.push({ where: `${file} row ${record.row}`, field: 'id', message: 'must be a staff id: 1 to 64 letters, digits, - or _' });
      continue;
    }
    const earlier = seen.get(staffId);
    if (earlier !== undefined) issues.push({ where: `${file} row ${record.row} (${staffId})`, field: 'id', message: `repeats row ${earlier}` });
    seen.set(staffId, record.row);
    const teams = columns.includes('teams') ? listCell(cell('teams')) : [];
    const body = { name: cell('name'), phone: cell('phone'), teamIds: teams.length > 0 ? teams : [defaultTeamId], roles: listCell(cell('roles')) };
    const checked = validateStaff(staffId, body);
    if (!checked.ok) issues.push(...checked.issues.map((issue) => staffRowIssue(file, record.row, staffId, issue)));
    else value.push({ row: record.row, staffId, body, staff: checked.value });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value };
}

export type RotaFileFormat = 'csv' | 'ics';

export const rotaFormatOf = (file: string): RotaFileFormat | null => (/\.csv$/i.test(file) ? 'csv' : /\.(ics|ical|ifb)$/i.test(file) ? 'ics' : null);

export const rotaContentType: Record<RotaFileFormat, string> = { csv: 'text/csv', ics: 'text/calendar' };

/** A rota issue path (`rows.5.staff`, `events.3.2026-01-05.dtstart`, `calendar`) as the file names it. */
export function rotaFileIssue(file: string, issue: Issue): FileIssue {
  const row = /^rows\.(\d+)(?:\.(.+))?$/.exec(issue.path);
  if (row) return { where: `${file} row ${row[1]}`, ...(row[2] ? { field: row[2] } : {}), message: issue.message };
  const event = /^events\.(\d+)(?:\.(\d{4}-\d{2}-\d{2}))?(?:\.(.+))?$/.exec(issue.path);
  if (event) return { where: `${file} event ${event[1]}${event[2] ? ` (${event[2]})` : ''}`, ...(event[3] ? { field: event[3] } : {}), message: issue.message };
  return { where: file, ...(issue.path && !['rows', 'calendar'].includes(issue.path) ? { field: issue.path } : {}), message: issue.message };
}

/** The rota read as the API will read it, to name every bad row before anything is sent. */
export function checkRotaFile(text: string, format: RotaFileFormat, file: string): { shifts: number; issues: FileIssue[] } {
  const reading = format === 'csv' ? readRotaCsv(text) : readRotaIcs(text);
  return { shifts: reading.value.length, issues: reading.issues.map((issue) => rotaFileIssue(file, issue)) };
}

const HOUR_MS = 3_600_000;

/** Where a template rota moved to now begins: the start of the hour before, so it is on duty at once. */
export const templateStartFor = (now: Date) => new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - HOUR_MS);

/**
 * A template rota (such as the demo's) moved so its first shift starts at `at`, every shift by the
 * same amount. Only plain events in UTC can be moved this way: a shift in London time would gain or
 * lose an hour across a clock change, and a recurrence's exceptions would no longer line up.
 */
export function startRotaAt(ics: string, at: Date): { ok: true; value: string } | { ok: false; message: string } {
  let calendar: ICAL.Component;
  try {
    calendar = new ICAL.Component(ICAL.parse(ics));
  } catch {
    return { ok: false, message: 'is not a valid iCalendar file' };
  }
  const events = calendar.getAllSubcomponents('vevent');
  if (events.length === 0) return { ok: false, message: 'has no events to move' };
  const instants: { event: ICAL.Component; name: 'dtstart' | 'dtend'; at: number }[] = [];
  for (const [index, event] of events.entries()) {
    const recurring = ['rrule', 'rdate', 'exdate', 'recurrence-id'].find((name) => event.hasProperty(name));
    if (recurring) return { ok: false, message: `event ${index + 1} has ${recurring.toUpperCase()}: only a rota of plain events can be moved to now` };
    for (const name of ['dtstart', 'dtend'] as const) {
      const time = event.getFirstPropertyValue(name);
      if (!(time instanceof ICAL.Time)) continue;
      if (time.zone?.tzid !== 'UTC') return { ok: false, message: `event ${index + 1} ${name.toUpperCase()} must be in UTC (ending in Z) to be moved to now` };
      instants.push({ event, name, at: time.toJSDate().getTime() });
    }
  }
  const starts = instants.filter((instant) => instant.name === 'dtstart').map((instant) => instant.at);
  if (starts.length === 0) return { ok: false, message: 'has no DTSTART to move' };
  const by = at.getTime() - Math.min(...starts);
  for (const instant of instants) instant.event.updatePropertyWithValue(instant.name, ICAL.Time.fromJSDate(new Date(instant.at + by), true));
  return { ok: true, value: `${calendar.toString().replace(/\r?\n/g, '\r\n')}\r\n` };
}
