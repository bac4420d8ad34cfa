import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { serviceSettingsSchema, toIssues, validateStaff, validateTeam, type Issue, type Validated } from '../domain/admin-schemas.ts';
import { isOutOfHours } from '../domain/service-hours.ts';
import { readRotaCsv, type StaffReference } from '../domain/rota-csv.ts';
import { readRotaIcs, rotaToIcs } from '../domain/rota-ics.ts';
import { doubleBookings, overridesAfterUpload, type OverrideConflict } from '../domain/rota-overrides.ts';
import {
  checkRota,
  effectiveRota,
  onDutyAt,
  toShifts,
  validateRota,
  type DutyHolder,
  type RotaCheck,
  type RotaSegment,
  type ShiftInput,
} from '../domain/rota.ts';
import { addDays, formatLocal, instantToLocal, isLocalDate } from '../domain/rota-time.ts';
import { coverWindow } from '../domain/coverage.ts';
import type { OnCall, ServiceSettings, Shift, Staff, Team } from '../domain/types.ts';
import type { Dependencies, RotaFeed } from '../ports.ts';
import { hasRole, type Caller } from './caller.ts';
import { unverifiedPhones } from './manager-views.ts';
import { noticeRotaChanges } from './shift-notices.ts';

/** An area (postcode district) another team holds: a district routes to one team only. */
export interface AreaTaken {
  area: string;
  teamId: string;
}

export type PutTeamResult = Validated<Team> | { ok: false; areaTaken: AreaTaken };

/**
 * A team's escalation policy may name people: each must be known staff of that team. Each area
 * must be free or the team's own: the store claims it with a conditional write, so two teams
 * cannot both be given it, however their requests interleave.
 */
export async function putTeam(deps: Dependencies, id: string, body: unknown): Promise<PutTeamResult> {
  const result = validateTeam(id, body);
  if (!result.ok) return result;
  const named = (result.value.escalation.steps ?? []).flatMap((step, index) => ('staffId' in step ? [{ staffId: step.staffId, index }] : []));
  const staff = await Promise.all(named.map(({ staffId }) => deps.directory.getStaff(staffId)));
  const issues: Issue[] = named.flatMap(({ index }, i) => {
    const path = `escalation.steps.${index}.staffId`;
    const member = staff[i];
    if (!member) return [{ path, message: 'is not a known staff member' }];
    return member.teamIds.includes(id) ? [] : [{ path, message: 'is not a member of this team' }];
  });
  if (issues.length > 0) return { ok: false, issues };
  const stored = await deps.directory.putTeam(result.value);
  if (stored && 'areaTaken' in stored) return { ok: false, areaTaken: stored.areaTaken };
  return result;
}

/** Every team a staff member is put in must exist, or they would be on no rota anyone can see. */
export async function putStaff(deps: Dependencies, id: string, body: unknown): Promise<Validated<Staff>> {
  const result = validateStaff(id, body);
  if (!result.ok) return result;
  const teamIds = result.value.teamIds;
  const teams = await Promise.all(teamIds.map((teamId) => deps.directory.getTeam(teamId)));
  const issues: Issue[] = teamIds.flatMap((teamId, index) =>
    !teams[index]
      ? [{ path: `teamIds.${index}`, message: 'is not a known team' }]
      : teamIds.indexOf(teamId) !== index
        ? [{ path: `teamIds.${index}`, message: 'is already listed' }]
        : [],
  );
  if (issues.length > 0) return { ok: false, issues };
  // The proof of the phone stays while the number does; a new number must be proven afresh.
  const stored = await deps.directory.getStaff(id);
  const proof = stored?.phoneVerification;
  let staff: Staff = proof && proof.phone === result.value.phone ? { ...result.value, phoneVerification: proof } : result.value;
  // The person's own choice of shift notices (NOTICES OFF by SMS) stands unless the body sets it.
  if (staff.shiftNotices === undefined && stored?.shiftNotices !== undefined) staff = { ...staff, shiftNotices: stored.shiftNotices };
  await deps.directory.putStaff(staff);
  return { ok: true, value: staff };
}

/**
 * `PUT /api/service`, merged into what is stored: a field left out keeps its value, `null` removes
 * it. The default team must exist (without one, districts no team lists stay unrouted).
 */
export async function putServiceSettings(deps: Dependencies, body: unknown): Promise<Validated<ServiceSettings>> {
  const parsed = serviceSettingsSchema.safeParse(body);
  if (!parsed.success) return { ok: false, issues: toIssues(parsed.error) };
  const { defaultTeamId } = parsed.data;
  if (defaultTeamId && !(await deps.directory.getTeam(defaultTeamId))) {
    return { ok: false, issues: [{ path: 'defaultTeamId', message: 'is not a known team' }] };
  }
  const settings: ServiceSettings = { ...(await deps.directory.getServiceSettings()) };
  for (const field of ['defaultTeamId', 'fallbackPhone', 'contactPhone'] as const) {
    const value = parsed.data[field];
    if (value === null) delete settings[field];
    else if (value !== undefined) settings[field] = value;
  }
  // The commencement dates merge the same way, one by one.
  const legal = { ...settings.settings };
  for (const field of ['nominatedPersonFrom', 'policeStationPlaceOfSafetyEndsFrom'] as const) {
    const value = parsed.data.settings?.[field];
    if (value === null) delete legal[field];
    else if (value !== undefined) legal[field] = value;
  }
  if (Object.keys(legal).length > 0) settings.settings = legal;
  else delete settings.settings;
  await deps.directory.putServiceSettings(settings);
  return { ok: true, value: settings };
}

export type RotaFormat = 'json' | 'csv' | 'ics';

export type RotaResult =
  | { ok: true; value: Shift[]; check: RotaCheck; keptOverrides?: string[]; droppedOverrides?: OverrideConflict[] }
  | { ok: false; issues: Issue[] }
  | { ok: false; notFound: 'team' }
  | { ok: false; conflicts: OverrideConflict[] };

/** The upload in any format as the shifts that parsed, where each came from, every issue, and every staff id named. */
function parseUpload(body: unknown, format: RotaFormat): { inputs: ShiftInput[]; at: (index: number) => string; issues: Issue[]; refs: StaffReference[] } {
  const none = { inputs: [], at: String, refs: [] };
  if (format === 'csv' || format === 'ics') {
    if (typeof body !== 'string') return { ...none, issues: [{ path: '', message: `must be ${format === 'csv' ? 'CSV' : 'iCalendar'} text` }] };
    if (format === 'csv') {
      const reading = readRotaCsv(body);
      return { inputs: reading.value, at: (i) => `rows.${reading.rows[i]}`, issues: reading.issues, refs: reading.refs };
    }
    const reading = readRotaIcs(body);
    return { inputs: reading.value, at: (i) => `events.${reading.events[i]}`, issues: reading.issues, refs: reading.refs };
  }
  const result = validateRota(body);
  if (!result.ok) return { ...none, issues: result.issues };
  const inputs = result.value.shifts;
  const at = (i: number) => `shifts.${i}`;
  return { inputs, at, issues: [], refs: inputs.flatMap((shift, i) => refsOf(shift, at(i), 'staffId')) };
}

const refsOf = (shift: ShiftInput, at: string, staffField: string): StaffReference[] => [
  { staffId: shift.staffId, path: `${at}.${staffField}` },
  ...(shift.covers ? [{ staffId: shift.covers, path: `${at}.covers` }] : []),
];

/** Every person a shift names must be known staff of the team. */
async function staffIssues(deps: Dependencies, teamId: string, refs: readonly StaffReference[]) {
  const ids = [...new Set(refs.map((ref) => ref.staffId))];
  const found = await Promise.all(ids.map((id) => deps.directory.getStaff(id)));
  const staff = new Map(ids.map((id, i) => [id, found[i] ?? null]));
  return refs.flatMap(({ staffId, path }): Issue[] => {
    const member = staff.get(staffId);
    if (!member) return [{ path, message: 'is not a known staff member' }];
    return member.teamIds.includes(teamId) ? [] : [{ path, message: 'is not a member of this team' }];
  });
}

/** Two base shifts in one single-holder position at once, named by where each is in the upload. */
function doubleBookingIssues(inputs: readonly ShiftInput[], at: (index: number) => string): Issue[] {
  return doubleBookings(inputs).map(({ index, other }) => {
    const shift = inputs[other] as ShiftInput;
    return {
      path: `${at(index)}.start`,
      message: `overlaps ${at(other)} (${shift.position} from ${formatLocal(new Date(shift.start))} to ${formatLocal(new Date(shift.end))}): one person holds ${shift.position} at a time; give cover within a shift as an override`,
    };
  });
}

/** Issues in file order: by row, event or shift number, each row's own in the order found. */
const inFileOrder = (issues: readonly Issue[]) => {
  const number = (path: string) => Number(/^(?:rows|events|shifts)\.(\d+)/.exec(path)?.[1] ?? 0);
  return [...issues].sort((a, b) => number(a.path) - number(b.path));
};

const spanOf = (shifts: readonly Shift[]) => ({
  from: new Date(Math.min(...shifts.map((s) => Date.parse(s.start)))),
  to: new Date(Math.max(...shifts.map((s) => Date.parse(s.end)))),
});

async function checkStored(deps: Dependencies, team: Team, shifts: readonly Shift[]): Promise<RotaCheck> {
  if (shifts.length === 0) return { gaps: [], overlaps: [] };
  const { from, to } = spanOf(shifts);
  return checkRota(await deps.directory.shiftsOverlapping(team.id, from, to), team, from, to);
}

/** Later than any rota: the stored overrides still to come are read up to here. */
const END_OF_TIME = new Date('9999-12-31T23:59:59.999Z');

export interface PutRotaOptions {
  /** Drop the stored overrides and swaps the new rota conflicts with, rather than refusing it. */
  dropConflictingOverrides?: boolean;
}

/**
 * Replaces the team's rota with an upload in JSON, CSV or iCalendar. Every shift must name known
 * staff of the team and no two base shifts may hold one position at once, or nothing is stored;
 * every fault of the file comes back in one answer. Overrides and swaps made since stay when they
 * still fit (rota-overrides.ts); when some would now stand in for someone else, the upload is
 * refused with them listed, unless `dropConflictingOverrides`. Overlaps and gaps do not stop an
 * upload (a rota with a hole is better than none at 3 a.m.) but come back with it.
 */
export async function putRota(
  deps: Dependencies,
  teamId: string,
  body: unknown,
  format: RotaFormat = 'json',
  options: PutRotaOptions = {},
): Promise<RotaResult> {
  const team = await deps.directory.getTeam(teamId);
  if (!team) return { ok: false, notFound: 'team' };
  const { inputs, at, issues, refs } = parseUpload(body, format);
  if (refs.length > 0) issues.push(...(await staffIssues(deps, teamId, refs)));
  issues.push(...doubleBookingIssues(inputs, at));
  if (issues.length > 0) return { ok: false, issues: inFileOrder(issues) };
  const shifts = toShifts(teamId, inputs);
  const now = deps.clock.now();
  const { kept, conflicts } = overridesAfterUpload(await deps.directory.shiftsOverlapping(teamId, now, END_OF_TIME), shifts, now);
  if (conflicts.length > 0 && !options.dropConflictingOverrides) return { ok: false, conflicts };
  await deps.directory.replaceRota(teamId, shifts, { dropOverrides: conflicts.map((conflict) => conflict.id) });
  return {
    ok: true,
    value: shifts,
    check: await checkStored(deps, team, shifts),
    keptOverrides: kept.map((shift) => shift.id),
    droppedOverrides: conflicts,
  };
}

const overrideUpload = z.strictObject({ shifts: z.array(z.unknown()).min(1).max(500) });

/**
 * Adds overrides and swaps beside the rota (cover for sickness at 2 a.m. needs no re-upload).
 * Each is `{ staffId, position, start, end, kind?: "override" | "swap", covers? }`. The person
 * who covers and the person covered are texted at once (shared/app/shift-notices.ts).
 */
export async function addRotaOverrides(deps: Dependencies, teamId: string, body: unknown): Promise<Exclude<RotaResult, { conflicts: unknown }>> {
  const team = await deps.directory.getTeam(teamId);
  if (!team) return { ok: false, notFound: 'team' };
  const outer = overrideUpload.safeParse(body);
  if (!outer.success) return { ok: false, issues: toIssues(outer.error) };
  const withKind = outer.data.shifts.map((shift) =>
    shift && typeof shift === 'object' && !('kind' in shift) ? { ...shift, kind: 'override' } : shift,
  );
  const parsed = validateRota({ shifts: withKind });
  if (!parsed.ok) return parsed;
  const inputs = parsed.value.shifts;
  const issues: Issue[] = inputs.flatMap((shift, index) =>
    shift.kind === 'base' ? [{ path: `shifts.${index}.kind`, message: 'must be override or swap; upload the rota to change base shifts' }] : [],
  );
  issues.push(...(await staffIssues(deps, teamId, inputs.flatMap((shift, i) => refsOf(shift, `shifts.${i}`, 'staffId')))));
  if (issues.length > 0) return { ok: false, issues };
  const shifts = toShifts(teamId, inputs);
  // The rota as it stood, so that whoever the cover takes the place of is told as well as who covers.
  const { from, to } = spanOf(shifts);
  const before = await deps.directory.shiftsOverlapping(teamId, from, to);
  await deps.directory.addShifts(teamId, shifts);
  await noticeRotaChanges(deps, team, before, shifts);
  return { ok: true, value: shifts, check: await checkStored(deps, team, shifts) };
}

export interface OnCallView {
  onCall: OnCall;
  /** Additional AMHPs on duty besides the primary and secondary. */
  additional: string[];
  holders: DutyHolder[];
  outOfHours: boolean;
}

export async function onCallAt(deps: Dependencies, teamId: string, at: Date): Promise<OnCallView | null> {
  const team = await deps.directory.getTeam(teamId);
  if (!team) return null;
  const holders = onDutyAt(await deps.directory.shiftsAt(teamId, at), at);
  const onCall: OnCall = {};
  for (const holder of holders) if (holder.position !== 'additional') onCall[holder.position] = holder.staffId;
  return {
    onCall,
    additional: holders.filter((holder) => holder.position === 'additional').map((holder) => holder.staffId),
    holders,
    outOfHours: isOutOfHours(team.hours, at),
  };
}

/** A London date and a number of days: the window a rota view covers. */
export const rotaWindowQuery = z.strictObject({
  from: z
    .string()
    .refine(isLocalDate, 'must be a date such as 2026-10-24')
    .optional(),
  days: z.coerce.number().int().min(1).max(92).default(14),
  format: z.enum(['json', 'csv', 'ics']).optional(),
});

export interface RotaView {
  team: Team;
  from: string;
  to: string;
  /** London dates the window covers, first to last. */
  dates: string[];
  segments: RotaSegment[];
  check: RotaCheck;
  staffNames: Record<string, string>;
}

async function staffNamesOf(deps: Dependencies, ids: Iterable<string>): Promise<Record<string, string>> {
  const unique = [...new Set(ids)];
  const staff = await Promise.all(unique.map((id) => deps.directory.getStaff(id)));
  return Object.fromEntries(staff.flatMap((member) => (member ? [[member.id, member.name]] : [])));
}

/** The effective rota of `days` London days from `fromDate` (today when absent), with its gaps and overlaps. */
export async function rotaView(deps: Dependencies, teamId: string, fromDate: string | undefined, days: number): Promise<RotaView | null> {
  const team = await deps.directory.getTeam(teamId);
  if (!team) return null;
  // The same window as the coverage page's, so both count the same gaps.
  const { firstDate, from, to } = coverWindow(deps.clock.now(), fromDate, days);
  const shifts = await deps.directory.shiftsOverlapping(teamId, from, to);
  const segments = effectiveRota(shifts, from, to);
  return {
    team,
    from: from.toISOString(),
    to: to.toISOString(),
    dates: Array.from({ length: days }, (_, i) => addDays(firstDate, i)),
    segments,
    check: checkRota(shifts, team, from, to, segments, { unverifiedStaff: await unverifiedPhones(deps, segments.map((segment) => segment.staffId)) }),
    staffNames: await staffNamesOf(deps, segments.map((segment) => segment.staffId)),
  };
}

/** What a calendar subscription shows: a week back and three months ahead. */
const FEED_DAYS_BACK = 7;
const FEED_DAYS_AHEAD = 92;

/** A subscription link to the team's rota (or, with `mine`, the caller's own shifts in it). */
export async function createRotaFeed(
  deps: Dependencies,
  input: { teamId: string; staffId?: string | undefined; createdBy: string },
): Promise<{ url: string; webcalUrl: string }> {
  const feed: RotaFeed = {
    id: randomBytes(16).toString('base64url'),
    teamId: input.teamId,
    ...(input.staffId ? { staffId: input.staffId } : {}),
    createdBy: input.createdBy,
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.directory.saveRotaFeed(feed);
  const url = `${deps.publicBaseUrl}/feeds/rota/${await deps.linkSigner.sign(feed.id)}`;
  return { url, webcalUrl: url.replace(/^https?:/, 'webcal:') };
}

/** The calendar behind a feed token; null for a bad, revoked or orphaned token. */
export async function rotaFeedCalendar(deps: Dependencies, token: string): Promise<string | null> {
  const feedId = await deps.linkSigner.verify(token);
  const feed = feedId ? await deps.directory.getRotaFeed(feedId) : null;
  if (!feed) return null;
  const today = instantToLocal(deps.clock.now()).date;
  const view = await rotaView(deps, feed.teamId, addDays(today, -FEED_DAYS_BACK), FEED_DAYS_BACK + FEED_DAYS_AHEAD);
  if (!view) return null;
  const segments = feed.staffId ? view.segments.filter((segment) => segment.staffId === feed.staffId) : view.segments;
  const person = feed.staffId ? await deps.directory.getStaff(feed.staffId) : null;
  const owner = feed.staffId ? ` – ${person?.name ?? feed.staffId}` : '';
  return rotaToIcs(segments, { calendarName: `${view.team.name} rota${owner}`, staffNames: view.staffNames, now: deps.clock.now() });
}

export type DirectoryRead<T> = { kind: 'found'; value: T } | { kind: 'not-found' } | { kind: 'forbidden' };

/** The teams the caller manages (every team for an administrator). */
async function managedTeamIds(deps: Dependencies, caller: Caller): Promise<Set<string> | 'all'> {
  if (hasRole(caller, 'admin')) return 'all';
  if (!hasRole(caller, 'manager') || !caller.staffId) return new Set();
  return new Set((await deps.directory.getStaff(caller.staffId))?.teamIds ?? []);
}

/** `GET /api/teams`: every team for an administrator; a manager's own teams; refused for anyone else. */
export async function readTeams(deps: Dependencies, caller: Caller): Promise<DirectoryRead<Team[]>> {
  const managed = await managedTeamIds(deps, caller);
  if (managed !== 'all' && managed.size === 0) return { kind: 'forbidden' };
  const teams = (await deps.directory.listTeams()).sort((a, b) => a.id.localeCompare(b.id));
  return { kind: 'found', value: managed === 'all' ? teams : teams.filter((team) => managed.has(team.id)) };
}

/** `GET /api/teams/{teamId}`: administrators and the team's managers. */
export async function readTeam(deps: Dependencies, caller: Caller, teamId: string): Promise<DirectoryRead<Team>> {
  const managed = await managedTeamIds(deps, caller);
  if (managed !== 'all' && !managed.has(teamId)) return { kind: 'forbidden' };
  const team = await deps.directory.getTeam(teamId);
  return team ? { kind: 'found', value: team } : { kind: 'not-found' };
}

/** `GET /api/staff/{staffId}`: administrators, and managers of a team the person belongs to. */
export async function readStaff(deps: Dependencies, caller: Caller, staffId: string): Promise<DirectoryRead<Staff>> {
  const managed = await managedTeamIds(deps, caller);
  if (managed !== 'all' && managed.size === 0) return { kind: 'forbidden' };
  const staff = await deps.directory.getStaff(staffId);
  if (!staff) return managed === 'all' ? { kind: 'not-found' } : { kind: 'forbidden' };
  if (managed !== 'all' && !staff.teamIds.some((teamId) => managed.has(teamId))) return { kind: 'forbidden' };
  return { kind: 'found', value: staff };
}
