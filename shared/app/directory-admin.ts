import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { resourceId, toIssues, validateStaff, validateTeam, type Issue, type Validated } from '../domain/admin-schemas.ts';
import { isOutOfHours } from '../domain/service-hours.ts';
import { parseRotaCsv } from '../domain/rota-csv.ts';
import { parseRotaIcs, rotaToIcs } from '../domain/rota-ics.ts';
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
import { addDays, instantToLocal, isLocalDate } from '../domain/rota-time.ts';
import { coverWindow } from '../domain/coverage.ts';
import type { OnCall, ServiceSettings, Shift, Staff, Team } from '../domain/types.ts';
import type { Dependencies, RotaFeed } from '../ports.ts';

/** A team's escalation policy may name people: each must be known staff of that team. */
export async function putTeam(deps: Dependencies, id: string, body: unknown): Promise<Validated<Team>> {
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
  await deps.directory.putTeam(result.value);
  return result;
}

export async function putStaff(deps: Dependencies, id: string, body: unknown): Promise<Validated<Staff>> {
  const result = validateStaff(id, body);
  if (result.ok) await deps.directory.putStaff(result.value);
  return result;
}

export const serviceSettingsSchema = z.strictObject({ defaultTeamId: resourceId.nullable() });

/** `PUT /api/service`: the default team must exist; `null` removes it (unknown districts then stay unrouted). */
export async function putServiceSettings(deps: Dependencies, body: unknown): Promise<Validated<ServiceSettings>> {
  const parsed = serviceSettingsSchema.safeParse(body);
  if (!parsed.success) return { ok: false, issues: toIssues(parsed.error) };
  const { defaultTeamId } = parsed.data;
  if (defaultTeamId && !(await deps.directory.getTeam(defaultTeamId))) {
    return { ok: false, issues: [{ path: 'defaultTeamId', message: 'is not a known team' }] };
  }
  const settings: ServiceSettings = defaultTeamId ? { defaultTeamId } : {};
  await deps.directory.putServiceSettings(settings);
  return { ok: true, value: settings };
}

export type RotaFormat = 'json' | 'csv' | 'ics';

export type RotaResult = ({ ok: true; value: Shift[]; check: RotaCheck }) | { ok: false; issues: Issue[] } | { ok: false; notFound: 'team' };

/** The upload in any format as shift inputs, with where each came from (for issue paths). */
function parseUpload(body: unknown, format: RotaFormat): Validated<{ inputs: ShiftInput[]; at: (index: number) => string }> {
  if (format === 'csv' || format === 'ics') {
    if (typeof body !== 'string') return { ok: false, issues: [{ path: '', message: `must be ${format === 'csv' ? 'CSV' : 'iCalendar'} text` }] };
    if (format === 'csv') {
      const result = parseRotaCsv(body);
      return result.ok ? { ok: true, value: { inputs: result.value, at: (i) => `rows.${result.rows[i]}` } } : result;
    }
    const result = parseRotaIcs(body);
    return result.ok ? { ok: true, value: { inputs: result.value, at: (i) => `events.${result.events[i]}` } } : result;
  }
  const result = validateRota(body);
  return result.ok ? { ok: true, value: { inputs: result.value.shifts, at: (i) => `shifts.${i}` } } : result;
}

/** Every person a shift names must be known staff of the team. */
async function staffIssues(deps: Dependencies, teamId: string, inputs: readonly ShiftInput[], at: (index: number) => string, staffField: string) {
  const ids = [...new Set(inputs.flatMap((shift) => [shift.staffId, ...(shift.covers ? [shift.covers] : [])]))];
  const found = await Promise.all(ids.map((id) => deps.directory.getStaff(id)));
  const staff = new Map(ids.map((id, i) => [id, found[i] ?? null]));
  const issues: Issue[] = [];
  const check = (id: string, path: string) => {
    const member = staff.get(id);
    if (!member) issues.push({ path, message: 'is not a known staff member' });
    else if (!member.teamIds.includes(teamId)) issues.push({ path, message: 'is not a member of this team' });
  };
  inputs.forEach((shift, index) => {
    check(shift.staffId, `${at(index)}.${staffField}`);
    if (shift.covers) check(shift.covers, `${at(index)}.covers`);
  });
  return issues;
}

const spanOf = (shifts: readonly Shift[]) => ({
  from: new Date(Math.min(...shifts.map((s) => Date.parse(s.start)))),
  to: new Date(Math.max(...shifts.map((s) => Date.parse(s.end)))),
});

async function checkStored(deps: Dependencies, team: Team, shifts: readonly Shift[]): Promise<RotaCheck> {
  if (shifts.length === 0) return { gaps: [], overlaps: [] };
  const { from, to } = spanOf(shifts);
  return checkRota(await deps.directory.shiftsOverlapping(team.id, from, to), team, from, to);
}

/**
 * Replaces the team's rota with an upload in JSON, CSV or iCalendar. Every shift must name known
 * staff of the team, or nothing is stored. Overlaps and gaps do not stop an upload (a rota with a
 * hole is better than none at 3 a.m.) but come back with it, over the span it covers.
 */
export async function putRota(deps: Dependencies, teamId: string, body: unknown, format: RotaFormat = 'json'): Promise<RotaResult> {
  const team = await deps.directory.getTeam(teamId);
  if (!team) return { ok: false, notFound: 'team' };
  const parsed = parseUpload(body, format);
  if (!parsed.ok) return parsed;
  const { inputs, at } = parsed.value;
  const issues = await staffIssues(deps, teamId, inputs, at, format === 'json' ? 'staffId' : 'staff');
  if (issues.length > 0) return { ok: false, issues };
  const shifts = toShifts(teamId, inputs);
  await deps.directory.replaceRota(teamId, shifts);
  return { ok: true, value: shifts, check: await checkStored(deps, team, shifts) };
}

const overrideUpload = z.strictObject({ shifts: z.array(z.unknown()).min(1).max(500) });

/**
 * Adds overrides and swaps beside the rota (cover for sickness at 2 a.m. needs no re-upload).
 * Each is `{ staffId, position, start, end, kind?: "override" | "swap", covers? }`.
 */
export async function addRotaOverrides(deps: Dependencies, teamId: string, body: unknown): Promise<RotaResult> {
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
  issues.push(...(await staffIssues(deps, teamId, inputs, (i) => `shifts.${i}`, 'staffId')));
  if (issues.length > 0) return { ok: false, issues };
  const shifts = toShifts(teamId, inputs);
  await deps.directory.addShifts(teamId, shifts);
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
    check: checkRota(shifts, team, from, to, segments),
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
