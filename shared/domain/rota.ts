/**
 * Who holds each position when, from a team's shifts, overrides and swaps. Times are instants,
 * so DST needs no special case here; local times are turned into instants at the edge
 * (london-time.ts) and only there.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { outOfHoursSpans } from './service-hours.ts';
import { subtract, toIso, type Span } from './spans.ts';
import {
  positions,
  type OnCall,
  type Position,
  type ServiceHours,
  type Shift,
  type ShiftKind,
  type ValidationResult,
} from './types.ts';
import { isRecord, isoInstant, validateWith } from './validation.ts';

type ShiftTimes = Pick<Shift, 'staffId' | 'position' | 'start' | 'end'> & Partial<Pick<Shift, 'id' | 'kind' | 'covers'>>;

/** Longer shifts are refused, so "who is on at t" reads a bounded range of the rota. */
export const MAX_SHIFT_HOURS = 48;
const MAX_SHIFT_MS = MAX_SHIFT_HOURS * 3_600_000;

/** Positions held by one person at a time; `additional` may be held by several. */
const singlePositions = ['primary', 'secondary', 'manager'] as const satisfies readonly Position[];

/** Positions a rota must fill unless the team says otherwise. */
export const DEFAULT_REQUIRED_POSITIONS: readonly Position[] = singlePositions;

/** One person holding a position at an instant, and the rota entry that puts them there. */
export interface DutyHolder {
  position: Position;
  staffId: string;
  shiftId: string;
  kind: ShiftKind;
}

/** A stretch of the effective rota: one person in one position, from one rota entry. */
export interface RotaSegment extends DutyHolder {
  start: string;
  end: string;
}

interface Entry {
  shift: ShiftTimes;
  index: number;
  start: number;
  end: number;
  kind: ShiftKind;
}

const entriesOf = (shifts: readonly ShiftTimes[]): Entry[] =>
  shifts.map((shift, index) => ({ shift, index, start: Date.parse(shift.start), end: Date.parse(shift.end), kind: shift.kind ?? 'base' }));

const precedence = (entry: Entry) => (entry.kind === 'base' ? 0 : 1);

/** Override and swap beat the base rota; then the later start (cover within a shift); then the later listed. */
const wins = (a: Entry, b: Entry) =>
  precedence(a) - precedence(b) || a.start - b.start || a.index - b.index;

const holderOf = (entry: Entry, position: Position = entry.shift.position): DutyHolder => ({
  position,
  staffId: entry.shift.staffId,
  shiftId: entry.shift.id ?? `#${entry.index}`,
  kind: entry.kind,
});

/**
 * Who holds what, from the entries in force at one instant. In a single-holder position the
 * winning entry holds it. In `additional`, every base holder stays unless an override or swap
 * names them in `covers`, and every override or swap adds its holder.
 */
function resolve(active: readonly Entry[]): DutyHolder[] {
  const holders: DutyHolder[] = [];
  for (const position of singlePositions) {
    let best: Entry | undefined;
    for (const entry of active) if (entry.shift.position === position && (!best || wins(entry, best) > 0)) best = entry;
    if (best) holders.push(holderOf(best));
  }
  const extra = active.filter((entry) => entry.shift.position === 'additional').sort((a, b) => a.start - b.start || a.index - b.index);
  const covered = new Set(extra.flatMap((entry) => (entry.kind !== 'base' && entry.shift.covers ? [entry.shift.covers] : [])));
  const seen = new Set<string>();
  for (const entry of [...extra.filter((e) => e.kind !== 'base'), ...extra.filter((e) => e.kind === 'base')]) {
    if ((entry.kind === 'base' && covered.has(entry.shift.staffId)) || seen.has(entry.shift.staffId)) continue;
    seen.add(entry.shift.staffId);
    holders.push(holderOf(entry));
  }
  return holders;
}

/** Start inclusive, end exclusive, so a hand-over instant belongs to the incoming shift. */
export function onDutyAt(shifts: readonly ShiftTimes[], at: Date): DutyHolder[] {
  const t = at.getTime();
  const active: Entry[] = [];
  shifts.forEach((shift, index) => {
    const start = Date.parse(shift.start);
    if (start > t) return;
    const end = Date.parse(shift.end);
    if (t < end) active.push({ shift, index, start, end, kind: shift.kind ?? 'base' });
  });
  return resolve(active);
}

/** Who holds each single-holder position at an instant (the `additional` AMHPs are in `onDutyAt`). */
export function whoIsOnDuty(shifts: readonly ShiftTimes[], at: Date): OnCall {
  const onCall: OnCall = {};
  for (const holder of onDutyAt(shifts, at)) if (holder.position !== 'additional') onCall[holder.position] = holder.staffId;
  return onCall;
}

/** Shifts that share any time with [from, to). */
export function shiftsOverlapping<T extends Pick<Shift, 'start' | 'end'>>(shifts: readonly T[], from: Date, to: Date): T[] {
  return shifts.filter((shift) => Date.parse(shift.start) < to.getTime() && Date.parse(shift.end) > from.getTime());
}

/**
 * The rota as it will be worked in [from, to): overrides and swaps applied, cut into segments
 * wherever who holds a position changes. One sweep over the entries' boundaries.
 */
export function effectiveRota(shifts: readonly ShiftTimes[], from: Date, to: Date): RotaSegment[] {
  const lo = from.getTime();
  const hi = to.getTime();
  const entries = entriesOf(shifts)
    .filter((entry) => entry.start < hi && entry.end > lo && entry.end > entry.start)
    .sort((a, b) => a.start - b.start);
  const points = [...new Set([lo, hi, ...entries.flatMap((e) => [e.start, e.end]).filter((p) => p > lo && p < hi)])].sort((a, b) => a - b);
  const done: (DutyHolder & Span)[] = [];
  let open = new Map<string, DutyHolder & Span>();
  let active: Entry[] = [];
  let next = 0;
  for (let i = 0; i < points.length - 1; i++) {
    const t = points[i] ?? lo;
    const until = points[i + 1] ?? hi;
    active = active.filter((entry) => entry.end > t);
    while (next < entries.length && (entries[next]?.start ?? Infinity) <= t) active.push(entries[next++] as Entry);
    const still = new Map<string, DutyHolder & Span>();
    for (const holder of resolve(active)) {
      const key = `${holder.position}|${holder.staffId}|${holder.shiftId}`;
      const running = open.get(key);
      if (running) {
        running.end = until;
        still.set(key, running);
      } else still.set(key, { ...holder, start: t, end: until });
    }
    for (const [key, segment] of open) if (!still.has(key)) done.push(segment);
    open = still;
  }
  done.push(...open.values());
  const order = (p: Position) => ['primary', 'secondary', 'additional', 'manager'].indexOf(p);
  return done
    .sort((a, b) => a.start - b.start || order(a.position) - order(b.position) || a.staffId.localeCompare(b.staffId))
    .map((segment) => ({ ...segment, ...toIso(segment) }));
}

export interface RotaGap {
  position: Position;
  start: string;
  end: string;
  /** Someone holds the slot, but their phone is not verified: a page may never reach them. */
  reason?: 'unverified-phone';
}

export interface RotaOverlap {
  staffId: string;
  start: string;
  end: string;
  /** The two rota entries that put the person in two places (or twice in one) at once. */
  shiftIds: [string, string];
}

export interface RotaCheck {
  gaps: RotaGap[];
  overlaps: RotaOverlap[];
}

/**
 * Gaps: every out-of-hours instant of [from, to) that nobody holds, per required position.
 * Overlaps: a person holding two positions at once in the effective rota, or given two base
 * shifts (or two overrides) that overlap, even in one position.
 */
export function checkRota(
  shifts: readonly ShiftTimes[],
  team: { hours?: ServiceHours | undefined; requiredPositions?: Position[] | undefined },
  from: Date,
  to: Date,
  segments: readonly RotaSegment[] = effectiveRota(shifts, from, to),
  options: { unverifiedStaff?: ReadonlySet<string> } = {},
): RotaCheck {
  const outOfHours = outOfHoursSpans(team.hours, from, to);
  const gaps: RotaGap[] = [];
  const unverified = options.unverifiedStaff ?? new Set<string>();
  for (const position of team.requiredPositions ?? DEFAULT_REQUIRED_POSITIONS) {
    const own = segments.filter((s) => s.position === position);
    const spans = (list: readonly RotaSegment[]) => list.map((s) => ({ start: Date.parse(s.start), end: Date.parse(s.end) }));
    const unheld = subtract(outOfHours, spans(own));
    for (const gap of unheld) gaps.push({ position, ...toIso(gap) });
    // Held only by someone whose phone is not proven: a gap of its own kind.
    const proven = subtract(outOfHours, spans(own.filter((s) => !unverified.has(s.staffId))));
    for (const gap of subtract(proven, unheld)) gaps.push({ position, ...toIso(gap), reason: 'unverified-phone' });
  }
  gaps.sort((a, b) => a.start.localeCompare(b.start));

  const found = new Map<string, { staffId: string; start: number; end: number; shiftIds: [string, string] }>();
  const note = (staffId: string, a: string, b: string, start: number, end: number) => {
    const shiftIds = [a, b].sort() as [string, string];
    const key = `${staffId}|${shiftIds.join('|')}`;
    const known = found.get(key);
    if (known) Object.assign(known, { start: Math.min(known.start, start), end: Math.max(known.end, end) });
    else found.set(key, { staffId, start, end, shiftIds });
  };
  const inWindow = entriesOf(shifts).filter((e) => e.start < to.getTime() && e.end > from.getTime());
  for (const group of groupBy(segments.map((s) => ({ ...s, from: Date.parse(s.start), to: Date.parse(s.end) })), (s) => s.staffId)) {
    forEachOverlap(group, (a, b) => a.shiftId !== b.shiftId, (a, b, start, end) => note(a.staffId, a.shiftId, b.shiftId, start, end));
  }
  for (const group of groupBy(inWindow.map((e) => ({ ...e, from: e.start, to: e.end })), (e) => e.shift.staffId)) {
    forEachOverlap(
      group,
      (a, b) => precedence(a) === precedence(b),
      (a, b, start, end) => note(a.shift.staffId, holderOf(a).shiftId, holderOf(b).shiftId, start, end),
    );
  }
  const overlaps = [...found.values()]
    .map(({ start, end, ...rest }) => ({ ...rest, ...toIso({ start, end }) }))
    .sort((a, b) => a.start.localeCompare(b.start) || a.staffId.localeCompare(b.staffId));
  return { gaps, overlaps };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return [...groups.values()];
}

function forEachOverlap<T extends { from: number; to: number }>(
  items: readonly T[],
  counts: (a: T, b: T) => boolean,
  found: (a: T, b: T, start: number, end: number) => void,
) {
  const sorted = [...items].sort((a, b) => a.from - b.from);
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i] as T;
    for (let j = i + 1; j < sorted.length && (sorted[j] as T).from < a.to; j++) {
      const b = sorted[j] as T;
      if (counts(a, b)) found(a, b, b.from, Math.min(a.to, b.to));
    }
  }
}

// --- upload ---------------------------------------------------------------------------------

const staffIdField = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a staff id: 1 to 64 letters, digits, - or _');
export const shiftKinds = ['base', 'override', 'swap'] as const satisfies readonly ShiftKind[];

/** Checks shared by every upload format: length, and what override and swap need. */
export function shiftProblems(shift: { start: string; end: string; kind?: ShiftKind | undefined; covers?: string | undefined }) {
  const problems: { field: 'end' | 'covers'; message: string }[] = [];
  const length = Date.parse(shift.end) - Date.parse(shift.start);
  if (length <= 0) problems.push({ field: 'end', message: 'must be after start' });
  else if (length > MAX_SHIFT_MS) problems.push({ field: 'end', message: `must be at most ${MAX_SHIFT_HOURS} hours after start` });
  if (shift.kind === 'swap' && !shift.covers) problems.push({ field: 'covers', message: 'is required for a swap: whose shift it takes' });
  if ((shift.kind ?? 'base') === 'base' && shift.covers) problems.push({ field: 'covers', message: 'is only for an override or a swap' });
  return problems;
}

const shiftUpload = z
  .strictObject({
    staffId: staffIdField,
    start: isoInstant(),
    end: isoInstant(),
    position: z.enum(positions),
    kind: z.enum(shiftKinds).optional(),
    covers: staffIdField.optional(),
  })
  .superRefine(
    (shift, ctx) => {
      // Only compare when both times parsed; a bad time has its own issue already.
      if (typeof shift.start !== 'string' || typeof shift.end !== 'string') return;
      for (const problem of shiftProblems(shift)) ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
    },
    { when: (payload) => isRecord(payload.value) },
  );

/** Two years of a large team's rota fit in one upload. */
export const MAX_UPLOAD_SHIFTS = 20_000;

/** `PUT /api/teams/{teamId}/rota` as JSON. A rota replaces the team's shifts. */
export const rotaUploadSchema = z.strictObject({ shifts: z.array(shiftUpload).max(MAX_UPLOAD_SHIFTS) });

export type RotaUpload = z.output<typeof rotaUploadSchema>;
export type ShiftInput = RotaUpload['shifts'][number];

export function validateRota(body: unknown): ValidationResult<RotaUpload> {
  return validateWith(rotaUploadSchema, body);
}

/**
 * Ids come from the content, so uploading the same rota again rewrites nothing, and a calendar
 * subscribed to the feed sees the same event (UID) for the same shift.
 */
export function shiftIdOf(teamId: string, shift: ShiftInput): string {
  const [start, end] = [shift.start, shift.end].map((time) => new Date(time).toISOString());
  const content = [teamId, shift.staffId, shift.position, start, end, shift.kind ?? 'base', shift.covers ?? ''].join('|');
  return createHash('sha256').update(content).digest('base64url').slice(0, 22);
}

export function toShifts(teamId: string, inputs: readonly ShiftInput[]): Shift[] {
  return inputs.map((input) => ({
    id: shiftIdOf(teamId, input),
    teamId,
    staffId: input.staffId,
    position: input.position,
    start: new Date(input.start).toISOString(),
    end: new Date(input.end).toISOString(),
    ...(input.kind && input.kind !== 'base' ? { kind: input.kind } : {}),
    ...(input.covers ? { covers: input.covers } : {}),
  }));
}
