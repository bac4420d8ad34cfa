/**
 * Rota coverage for managers: the gaps the rota check finds (shared/domain/rota.ts `checkRota`),
 * summed per position, and the morning SMS that warns of a gap in the next 24 hours. Pure: the
 * window and `now` are passed in.
 */
import type { RotaGap, RotaSegment } from './rota.ts';
import { addDays, instantToLocal, startOfLocalDay } from './rota-time.ts';
import { londonTime, positionLabel } from './sms.ts';
import { positions, type Position } from './types.ts';

export interface PositionCoverage {
  position: Position;
  gaps: RotaGap[];
  /** Uncovered time in the window, in minutes. */
  uncoveredMinutes: number;
}

/** The gaps grouped by position, in the rota's position order; positions without a gap are left out. */
export function coverageByPosition(gaps: readonly RotaGap[]): PositionCoverage[] {
  return positions.flatMap((position) => {
    const own = gaps.filter((gap) => gap.position === position).sort((a, b) => a.start.localeCompare(b.start));
    if (own.length === 0) return [];
    const uncoveredMinutes = own.reduce((sum, gap) => sum + (Date.parse(gap.end) - Date.parse(gap.start)) / 60_000, 0);
    return [{ position, gaps: own, uncoveredMinutes }];
  });
}

/** The rota page and the coverage page both look this many London days ahead. */
export const COVER_DAYS = 14;

/**
 * The window whose gaps the rota page and the coverage page count, so that both give the same
 * number: whole London days from the start of `firstDate` (today, when not given), `days` of them.
 * A day's length follows the clock change (23 or 25 h), never a fixed 24 h.
 */
export function coverWindow(now: Date, firstDate?: string, days = COVER_DAYS): { firstDate: string; from: Date; to: Date } {
  const first = firstDate ?? instantToLocal(now).date;
  return { firstDate: first, from: startOfLocalDay(first), to: startOfLocalDay(addDays(first, days)) };
}

/** Gaps cut to [from, to): what of them falls in the window. */
export function gapsWithin(gaps: readonly RotaGap[], from: Date, to: Date): RotaGap[] {
  return gaps.flatMap((gap) => {
    const start = Math.max(Date.parse(gap.start), from.getTime());
    const end = Math.min(Date.parse(gap.end), to.getTime());
    return end > start ? [{ ...gap, start: new Date(start).toISOString(), end: new Date(end).toISOString() }] : [];
  });
}

/** The daily check runs from this London hour on, once a day: before tonight's out-of-hours begins. */
export const COVERAGE_ALERT_HOUR = 9;

/** At most this many gaps are listed; the rest are counted, to keep the text to two segments. */
const LISTED_GAPS = 3;

/**
 * `dutyline: Leeds EDT rota has 2 gaps in the next 24 h: primary AMHP 17:00 24 Oct–09:00 25 Oct; …`
 * Team name, positions and times only: no staff or referral details. A slot whose holder's phone
 * is not verified is a gap too, marked so.
 */
export function coverageAlertText(input: { teamName: string; gaps: readonly RotaGap[] }): string {
  const gaps = [...input.gaps].sort((a, b) => a.start.localeCompare(b.start));
  const listed = gaps
    .slice(0, LISTED_GAPS)
    .map((gap) => `${positionLabel[gap.position]} ${londonTime(gap.start)} to ${londonTime(gap.end)}${gap.reason === 'unverified-phone' ? ' (phone not verified)' : ''}`);
  const more = gaps.length > LISTED_GAPS ? ` and ${gaps.length - LISTED_GAPS} more` : '';
  const count = `${gaps.length} ${gaps.length === 1 ? 'gap' : 'gaps'}`;
  return `dutyline: ${input.teamName} rota has ${count} in the next 24 h: ${listed.join('; ')}${more}. Please arrange cover.`;
}

/**
 * Who is told: every manager rostered in the window (the gap may be theirs to fill tonight), else
 * nobody here and the caller falls back to the team's fallback phone.
 */
export function rosteredManagers(segments: readonly RotaSegment[]): string[] {
  return [...new Set(segments.filter((segment) => segment.position === 'manager').map((segment) => segment.staffId))];
}
