import { describe, expect, it } from 'vitest';
import { doubleBookings, overridesAfterUpload } from '../../../shared/domain/rota-overrides.ts';
import { toShifts, type ShiftInput } from '../../../shared/domain/rota.ts';
import type { Shift } from '../../../shared/domain/types.ts';

const shifts = (...inputs: ShiftInput[]): Shift[] => toShifts('leeds', inputs);
const night = (staffId: string, position: ShiftInput['position'] = 'primary'): ShiftInput => ({ staffId, position, start: '2026-12-10T17:00:00.000Z', end: '2026-12-11T09:00:00.000Z' });
const cover = (staffId: string, covers: string, position: ShiftInput['position'] = 'primary'): ShiftInput => ({
  staffId,
  position,
  start: '2026-12-10T23:00:00.000Z',
  end: '2026-12-11T03:00:00.000Z',
  kind: 'override',
  covers,
});
const before = new Date('2026-12-01T12:00:00Z');

describe('overridesAfterUpload', () => {
  it('keeps an override when the rota under it is the same', () => {
    const stored = shifts(night('asha'), night('ben', 'secondary'), cover('chloe', 'asha'));
    const result = overridesAfterUpload(stored, shifts(night('asha'), night('ben', 'secondary')), before);
    expect(result).toEqual({ kept: [stored[2]], conflicts: [] });
  });

  it('keeps an override inside a shift whose hours changed only outside its window', () => {
    const stored = shifts(night('asha'), cover('chloe', 'asha'));
    const longer = { ...night('asha'), start: '2026-12-10T16:00:00.000Z', end: '2026-12-11T10:00:00.000Z' };
    expect(overridesAfterUpload(stored, shifts(longer), before).conflicts).toEqual([]);
  });

  it('keeps an override the new rota already says (an exported rota, imported again)', () => {
    const stored = shifts(night('asha'), cover('chloe', 'asha'));
    const worked = shifts(
      { ...night('asha'), end: '2026-12-10T23:00:00.000Z' },
      { ...night('chloe'), start: '2026-12-10T23:00:00.000Z', end: '2026-12-11T03:00:00.000Z' },
      { ...night('asha'), start: '2026-12-11T03:00:00.000Z' },
    );
    expect(overridesAfterUpload(stored, worked, before).conflicts).toEqual([]);
  });

  it('refuses to let an override stand in for someone else, saying who it stood in for and who is there now', () => {
    const stored = shifts(night('asha'), cover('chloe', 'asha'));
    const { kept, conflicts } = overridesAfterUpload(stored, shifts(night('dev')), before);
    expect(kept).toEqual([]);
    expect(conflicts).toEqual([
      {
        id: stored[1]?.id,
        kind: 'override',
        staffId: 'chloe',
        position: 'primary',
        start: '2026-12-10T23:00:00.000Z',
        end: '2026-12-11T03:00:00.000Z',
        covers: 'asha',
        storedRota: [{ staffId: 'asha', start: '2026-12-10T23:00:00.000Z', end: '2026-12-11T03:00:00.000Z' }],
        newRota: [{ staffId: 'dev', start: '2026-12-10T23:00:00.000Z', end: '2026-12-11T03:00:00.000Z' }],
        reason: 'the new rota puts someone else in primary for part of this time, so it would stand in for them instead',
      },
    ]);
  });

  it('refuses to keep an override over a shift the new rota no longer has', () => {
    const stored = shifts(night('asha'), cover('chloe', 'asha'));
    const early = { ...night('asha'), end: '2026-12-11T01:00:00.000Z' };
    const [conflict] = overridesAfterUpload(stored, shifts(early), before).conflicts;
    expect(conflict?.newRota).toEqual([
      { staffId: 'asha', start: '2026-12-10T23:00:00.000Z', end: '2026-12-11T01:00:00.000Z' },
      { staffId: null, start: '2026-12-11T01:00:00.000Z', end: '2026-12-11T03:00:00.000Z' },
    ]);
    expect(conflict?.reason).toContain('a shift that is gone');
  });

  it('compares only the part still to come, and leaves an ended override as history', () => {
    const stored = shifts(night('asha'), cover('chloe', 'asha'));
    // From 03:00 the override is over: a different rota cannot make it wrong.
    expect(overridesAfterUpload(stored, shifts(night('dev')), new Date('2026-12-11T03:00:00Z'))).toEqual({ kept: [stored[1]], conflicts: [] });
    // From 02:00 only its last hour counts.
    const [conflict] = overridesAfterUpload(stored, shifts(night('dev')), new Date('2026-12-11T02:00:00Z')).conflicts;
    expect(conflict?.storedRota).toEqual([{ staffId: 'asha', start: '2026-12-11T02:00:00.000Z', end: '2026-12-11T03:00:00.000Z' }]);
  });

  it('keeps an extra AMHP who covers nobody, and checks the one an additional override covers', () => {
    const extra = { ...cover('chloe', 'asha', 'additional'), covers: undefined };
    const stored = shifts(night('asha', 'additional'), extra, cover('ben', 'asha', 'additional'));
    const { kept, conflicts } = overridesAfterUpload(stored, shifts(night('dev', 'additional')), before);
    expect(kept.map((shift) => shift.staffId)).toEqual(['chloe']);
    expect(conflicts.map((conflict) => conflict.staffId)).toEqual(['ben']);
    expect(overridesAfterUpload(stored, shifts(night('asha', 'additional'), night('dev', 'additional')), before).conflicts).toEqual([]);
  });

  it('leaves alone an override the upload lists itself', () => {
    const stored = shifts(night('asha'), cover('chloe', 'asha'));
    expect(overridesAfterUpload(stored, shifts(night('dev'), cover('chloe', 'asha')), before)).toEqual({ kept: [], conflicts: [] });
  });
});

describe('doubleBookings', () => {
  it('finds two base shifts in one position at once, a shift inside another included', () => {
    const inside = { ...night('chloe'), start: '2026-12-10T20:00:00.000Z', end: '2026-12-10T22:00:00.000Z' };
    const later = { ...night('dev'), start: '2026-12-11T08:00:00.000Z', end: '2026-12-11T17:00:00.000Z' };
    expect(doubleBookings([night('asha'), inside, later])).toEqual([
      { index: 1, other: 0 },
      { index: 2, other: 0 },
    ]);
  });

  it('allows a hand-over instant, other positions, several additional AMHPs, and an override within a shift', () => {
    const next = { ...night('ben'), start: '2026-12-11T09:00:00.000Z', end: '2026-12-11T17:00:00.000Z' };
    expect(doubleBookings([night('asha'), next, night('ben', 'secondary'), night('chloe', 'additional'), night('dev', 'additional'), cover('chloe', 'asha')])).toEqual([]);
  });
});
