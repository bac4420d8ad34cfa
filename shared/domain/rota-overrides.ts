/**
 * What a new rota means for the overrides and swaps made since the last one, and the base shifts
 * a rota may not have: two people in one single-holder position at once.
 *
 * An override stands in for whoever the base rota puts in its position during its window. It
 * still fits a new rota if, at every instant of its window still to come, the new rota puts the
 * same person there as the old one did, or puts the override's own person there (the new rota
 * already says what the override said). Otherwise it would now stand in for someone else, or for
 * a shift that is gone, and nobody decided that: the upload is refused until they do.
 */
import { effectiveRota, type ShiftInput } from './rota.ts';
import type { Position, Shift } from './types.ts';

/** Who a base rota puts in a position over a stretch; `null` is nobody (a gap). */
export interface Holding {
  staffId: string | null;
  start: string;
  end: string;
}

export interface OverrideConflict {
  id: string;
  kind: 'override' | 'swap';
  staffId: string;
  position: Position;
  start: string;
  end: string;
  covers?: string;
  /** Who it stood in for under the stored rota, from now (or its start) to its end. */
  storedRota: Holding[];
  /** Who the new rota puts there instead. */
  newRota: Holding[];
  reason: string;
}

export interface OverridesAfterUpload {
  /** Stored overrides and swaps the upload does not list, that still fit (ended ones stay as history). */
  kept: Shift[];
  conflicts: OverrideConflict[];
}

type Piece = { start: number; end: number; staffId: string | null };

/** Who holds the override's position over [lo, hi) in a base rota, as the override sees it. */
function holdingsUnder(override: Shift, base: readonly Shift[], lo: number, hi: number): Piece[] {
  const near = base.filter((shift) => Date.parse(shift.start) < hi && Date.parse(shift.end) > lo);
  const segments = effectiveRota(near, new Date(lo), new Date(hi)).filter((segment) => segment.position === override.position);
  const marks = [...new Set([lo, hi, ...segments.flatMap((s) => [Date.parse(s.start), Date.parse(s.end)])])].sort((a, b) => a - b);
  const pieces: Piece[] = [];
  for (let i = 0; i + 1 < marks.length; i++) {
    const [start, end] = [marks[i] as number, marks[i + 1] as number];
    const here = segments.filter((s) => Date.parse(s.start) <= start && Date.parse(s.end) > start).map((s) => s.staffId);
    // In `additional` several hold at once: what matters is whether the person covered is still there.
    const staffId =
      override.position !== 'additional'
        ? (here[0] ?? null)
        : override.covers && here.includes(override.covers)
          ? override.covers
          : here.includes(override.staffId)
            ? override.staffId
            : null;
    const last = pieces.at(-1);
    if (last && last.staffId === staffId && last.end === start) last.end = end;
    else pieces.push({ start, end, staffId });
  }
  return pieces;
}

const toHoldings = (pieces: readonly Piece[]): Holding[] =>
  pieces.map(({ start, end, staffId }) => ({ staffId, start: new Date(start).toISOString(), end: new Date(end).toISOString() }));

const holderAt = (pieces: readonly Piece[], t: number) => pieces.find((p) => p.start <= t && t < p.end)?.staffId ?? null;

/**
 * Which stored overrides and swaps survive `upload` (the new rota, base shifts and any overrides
 * it lists itself). Only the part of each still to come at `now` is compared: the past happened.
 */
export function overridesAfterUpload(stored: readonly Shift[], upload: readonly Shift[], now: Date): OverridesAfterUpload {
  const listed = new Set(upload.map((shift) => shift.id));
  const storedBase = stored.filter((shift) => (shift.kind ?? 'base') === 'base');
  const newBase = upload.filter((shift) => (shift.kind ?? 'base') === 'base');
  const kept: Shift[] = [];
  const conflicts: OverrideConflict[] = [];
  for (const override of stored) {
    if ((override.kind ?? 'base') === 'base' || listed.has(override.id)) continue;
    const lo = Math.max(Date.parse(override.start), now.getTime());
    const hi = Date.parse(override.end);
    // An extra AMHP who covers nobody stands in for no one, so no rota can take their place.
    if (hi <= lo || (override.position === 'additional' && !override.covers)) {
      kept.push(override);
      continue;
    }
    const before = holdingsUnder(override, storedBase, lo, hi);
    const after = holdingsUnder(override, newBase, lo, hi);
    const marks = [...new Set([...before, ...after].map((piece) => piece.start))];
    const changed = marks.filter((t) => {
      const next = holderAt(after, t);
      return next !== holderAt(before, t) && next !== override.staffId;
    });
    if (changed.length === 0) {
      kept.push(override);
      continue;
    }
    const gone = changed.every((t) => holderAt(after, t) === null);
    conflicts.push({
      id: override.id,
      kind: override.kind === 'swap' ? 'swap' : 'override',
      staffId: override.staffId,
      position: override.position,
      start: override.start,
      end: override.end,
      ...(override.covers ? { covers: override.covers } : {}),
      storedRota: toHoldings(before),
      newRota: toHoldings(after),
      reason: gone
        ? `the new rota has nobody in ${override.position} for part of this time, so it would stand in for a shift that is gone`
        : `the new rota puts someone else in ${override.position} for part of this time, so it would stand in for them instead`,
    });
  }
  return { kept, conflicts };
}

const singleHolder: readonly Position[] = ['primary', 'secondary', 'manager'];

/** Two base shifts holding one single-holder position at once: the later-listed one, and the one it meets. */
export interface DoubleBooking {
  index: number;
  other: number;
}

/**
 * Base shifts of one position that overlap (a hand-over instant is not an overlap). Cover within a
 * shift is an override's job, which wins for its window; two base shifts would leave who is
 * paged to the order of the file. One sweep per position after a sort.
 */
export function doubleBookings(inputs: readonly Pick<ShiftInput, 'position' | 'start' | 'end' | 'kind'>[]): DoubleBooking[] {
  const found: DoubleBooking[] = [];
  for (const position of singleHolder) {
    const shifts = inputs
      .map((shift, index) => ({ index, position: shift.position, kind: shift.kind ?? 'base', start: Date.parse(shift.start), end: Date.parse(shift.end) }))
      .filter((shift) => shift.position === position && shift.kind === 'base')
      .sort((a, b) => a.start - b.start || a.index - b.index);
    let longest: (typeof shifts)[number] | undefined;
    for (const shift of shifts) {
      if (longest && shift.start < longest.end) found.push({ index: Math.max(shift.index, longest.index), other: Math.min(shift.index, longest.index) });
      if (!longest || shift.end > longest.end) longest = shift;
    }
  }
  return found.sort((a, b) => a.index - b.index);
}
