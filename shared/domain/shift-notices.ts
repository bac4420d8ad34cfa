/**
 * Shift notices: which texts about the rota are due at `now`. Each person on the rota is told
 * before their shift starts (the team's `minutesBefore`, default 60), and the evening before at
 * the team's London time if it sets one; a position that starts with nobody in it (a gap of the
 * rota check, shared/domain/rota.ts) tells the manager on duty then. Each notice has a key, the
 * same at every run, by which the sender records it once. Pure: `now` and the shifts are passed in.
 */
import { checkRota, effectiveRota, MAX_SHIFT_HOURS, type RotaSegment } from './rota.ts';
import { addDays, instantToLocal, localToInstant } from './rota-time.ts';
import type { Position, Shift, ShiftNoticeSettings, Team } from './types.ts';

export const DEFAULT_MINUTES_BEFORE = 60;
/** An evening notice is not sent more than this long after its time (a duty added late at night waits for its 1 h notice). */
export const EVENING_GRACE_MS = 3 * 3_600_000;
/** Far enough back to see whether a duty began earlier, and a gap before the window. */
export const LOOK_BACK_MS = 86_400_000;
/**
 * Far enough ahead for the evening-before notice of any shift (under two London days before it),
 * and for that shift's whole length (MAX_SHIFT_HOURS), so its end is not cut off.
 */
export const LOOK_AHEAD_MS = 2 * 86_400_000 + MAX_SHIFT_HOURS * 3_600_000;

export interface NoticeSettings {
  minutesBefore: number;
  /** `HH:MM` London time the evening before, or null for none. */
  eveningBefore: string | null;
}

export function noticeSettings(settings: ShiftNoticeSettings | undefined): NoticeSettings {
  return { minutesBefore: settings?.minutesBefore ?? DEFAULT_MINUTES_BEFORE, eveningBefore: settings?.eveningBefore ?? null };
}

/** A stretch one person holds one position, from one rota entry or several back to back. */
export interface Duty {
  staffId: string;
  position: Position;
  start: string;
  end: string;
}

export type DueNotice =
  | ({ kind: 'shift'; notice: 'before' | 'evening'; key: string; dueAt: string } & Duty)
  | {
      kind: 'empty-position';
      key: string;
      dueAt: string;
      position: Position;
      start: string;
      end: string;
      /** The manager on duty when the position goes empty, if anyone (never for an empty manager position). */
      managerStaffId: string | null;
    };

/** The window of shifts a run must read to plan at `now`. */
export const planningWindow = (now: Date) => ({ from: new Date(now.getTime() - LOOK_BACK_MS), to: new Date(now.getTime() + LOOK_AHEAD_MS) });

/**
 * The duties that begin inside the window: segments of the effective rota (overrides and swaps
 * applied), those of one person in one position that meet end to start joined into one. A
 * segment that resumes a rota entry after someone covered part of it is no new duty: the
 * person was told when the cover was arranged (shared/app/shift-notices.ts).
 */
export function dutiesStarting(segments: readonly RotaSegment[], after: Date): Duty[] {
  const sorted = [...segments].sort((a, b) => a.staffId.localeCompare(b.staffId) || a.position.localeCompare(b.position) || a.start.localeCompare(b.start));
  const duties: (Duty & { resumes: boolean })[] = [];
  const seenEntries = new Set<string>();
  for (const segment of sorted) {
    const entry = `${segment.staffId}|${segment.position}|${segment.shiftId}`;
    const resumes = seenEntries.has(entry);
    seenEntries.add(entry);
    const last = duties.at(-1);
    if (last && last.staffId === segment.staffId && last.position === segment.position && last.end === segment.start) {
      last.end = segment.end;
      continue;
    }
    duties.push({ staffId: segment.staffId, position: segment.position, start: segment.start, end: segment.end, resumes });
  }
  return duties
    .filter((duty) => !duty.resumes && Date.parse(duty.start) > after.getTime())
    .map(({ resumes: _resumes, ...duty }) => duty)
    .sort((a, b) => a.start.localeCompare(b.start) || a.staffId.localeCompare(b.staffId));
}

/** When the evening notice of a duty starting at `start` is due: `time` on the London day before. */
export function eveningNoticeAt(start: Date, time: string): Date {
  return localToInstant(addDays(instantToLocal(start).date, -1), time);
}

const dutyKey = (teamId: string, duty: Duty, notice: 'before' | 'evening') => `shift-notice:${teamId}:${duty.staffId}:${duty.position}:${duty.start}:${notice}`;

/**
 * Every notice due at `now` for the team, each with its key (the same at every run, so a notice
 * recorded as sent is never sent again):
 * - `before`: from `minutesBefore` ahead of a duty's start until it starts;
 * - `evening`: from the team's evening time on the London day before, for at most three hours,
 *   and only while the `before` notice is not yet due (the change of clocks is the tz database's:
 *   both are instants);
 * - `empty-position`: a required position with nobody in it from an out-of-hours instant (the
 *   rota check's gap), from `minutesBefore` ahead of its start until it starts, to the manager on
 *   duty at that instant.
 * People in `noticesOff` get no shift notice; the manager's notice of an empty position is not one.
 */
export function dueShiftNotices(input: {
  team: Pick<Team, 'id' | 'hours' | 'requiredPositions' | 'shiftNotices'>;
  shifts: readonly Shift[];
  now: Date;
  noticesOff?: ReadonlySet<string>;
}): DueNotice[] {
  const { team, now } = input;
  const settings = noticeSettings(team.shiftNotices);
  const lead = settings.minutesBefore * 60_000;
  const { from, to } = planningWindow(now);
  const t = now.getTime();
  const segments = effectiveRota(input.shifts, from, to);
  const due: DueNotice[] = [];

  for (const duty of dutiesStarting(segments, from)) {
    if (input.noticesOff?.has(duty.staffId)) continue;
    const start = Date.parse(duty.start);
    const before = start - lead;
    if (before <= t && t < start) {
      due.push({ kind: 'shift', notice: 'before', key: dutyKey(team.id, duty, 'before'), dueAt: new Date(before).toISOString(), ...duty });
      continue;
    }
    if (!settings.eveningBefore) continue;
    const evening = eveningNoticeAt(new Date(start), settings.eveningBefore).getTime();
    if (evening <= t && t < Math.min(evening + EVENING_GRACE_MS, before)) {
      due.push({ kind: 'shift', notice: 'evening', key: dutyKey(team.id, duty, 'evening'), dueAt: new Date(evening).toISOString(), ...duty });
    }
  }

  // A gap's start inside the window, not the window's own edge, is where a position goes empty.
  const { gaps } = checkRota(input.shifts, team, from, to, segments);
  for (const gap of gaps) {
    if (gap.reason) continue;
    const start = Date.parse(gap.start);
    if (start <= from.getTime() || !(start - lead <= t && t < start)) continue;
    const manager =
      gap.position === 'manager'
        ? undefined
        : segments.find((s) => s.position === 'manager' && Date.parse(s.start) <= start && start < Date.parse(s.end));
    due.push({
      kind: 'empty-position',
      key: `shift-gap:${team.id}:${gap.position}:${gap.start}`,
      dueAt: new Date(start - lead).toISOString(),
      position: gap.position,
      start: gap.start,
      end: gap.end,
      managerStaffId: manager?.staffId ?? null,
    });
  }
  return due;
}

/** Who an override or swap takes the place of, and when: the holders the rota had in its position for its window. */
export interface RotaChange {
  /** The override or swap. */
  shift: Shift;
  /** Those it stands in for over its window (none: it fills a gap, or adds an AMHP beside the others). */
  replaced: Duty[];
}

/**
 * What an override or swap changes, read from the shifts stored before it: whoever held its
 * position in its window (only the person it `covers`, in `additional`, where several hold at
 * once), apart from its own holder. Only the part still to come at `now`.
 */
export function rotaChanges(stored: readonly Shift[], added: readonly Shift[], now: Date): RotaChange[] {
  return added.map((shift) => {
    const from = new Date(Math.max(Date.parse(shift.start), now.getTime()));
    const to = new Date(shift.end);
    if (from >= to) return { shift, replaced: [] };
    const holders = effectiveRota(stored, from, to).filter(
      (segment) =>
        segment.position === shift.position &&
        segment.staffId !== shift.staffId &&
        (shift.position !== 'additional' || segment.staffId === shift.covers),
    );
    const replaced: Duty[] = [];
    for (const segment of holders) {
      const last = replaced.find((duty) => duty.staffId === segment.staffId && duty.end === segment.start);
      if (last) last.end = segment.end;
      else replaced.push({ staffId: segment.staffId, position: segment.position, start: segment.start, end: segment.end });
    }
    return { shift, replaced };
  });
}
