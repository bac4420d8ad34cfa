import { describe, it, expect } from 'vitest';
import { checkRota, effectiveRota, onDutyAt, shiftIdOf, shiftsOverlapping, toShifts, validateRota, whoIsOnDuty } from '../../../shared/domain/rota.ts';
import type { Shift } from '../../../shared/domain/types.ts';

let nextId = 0;
const shift = (staffId: string, position: Shift['position'], start: string, end: string): Shift => ({
  id: `s${nextId++}`,
  teamId: 'leeds',
  staffId,
  position,
  start,
  end,
});

const night = [
  shift('amy', 'primary', '2025-11-25T17:00:00Z', '2025-11-26T09:00:00Z'),
  shift('ben', 'secondary', '2025-11-25T17:00:00Z', '2025-11-26T09:00:00Z'),
  shift('mo', 'manager', '2025-11-25T17:00:00Z', '2025-11-26T09:00:00Z'),
  shift('cat', 'primary', '2025-11-26T09:00:00Z', '2025-11-26T17:00:00Z'),
];

describe('whoIsOnDuty', () => {
  it('names who holds each position at an instant', () => {
    expect(whoIsOnDuty(night, new Date('2025-11-26T02:00:00Z'))).toEqual({ primary: 'amy', secondary: 'ben', manager: 'mo' });
  });

  it('counts a shift from its start (inclusive)', () => {
    expect(whoIsOnDuty(night, new Date('2025-11-25T17:00:00Z')).primary).toBe('amy');
  });

  it('gives the hand-over instant to the incoming shift (end exclusive)', () => {
    expect(whoIsOnDuty(night, new Date('2025-11-26T09:00:00Z'))).toEqual({ primary: 'cat' });
  });

  it('leaves out a position nobody holds', () => {
    expect(whoIsOnDuty(night, new Date('2025-11-26T12:00:00Z'))).not.toHaveProperty('secondary');
  });

  it('lets an override that started later win over the shift it covers', () => {
    const cover = shift('dev', 'primary', '2025-11-26T01:00:00Z', '2025-11-26T04:00:00Z');
    expect(whoIsOnDuty([cover, ...night], new Date('2025-11-26T02:00:00Z')).primary).toBe('dev');
    expect(whoIsOnDuty([cover, ...night], new Date('2025-11-26T05:00:00Z')).primary).toBe('amy');
  });

  it('prefers the shift listed later when two start together', () => {
    const swap = shift('eve', 'primary', '2025-11-25T17:00:00Z', '2025-11-26T09:00:00Z');
    expect(whoIsOnDuty([...night, swap], new Date('2025-11-26T02:00:00Z')).primary).toBe('eve');
  });

  it('compares instants, whatever offset a time is written with', () => {
    const bst = [shift('fay', 'primary', '2025-07-01T18:00:00+01:00', '2025-07-01T20:00:00+01:00')];
    expect(whoIsOnDuty(bst, new Date('2025-07-01T17:00:00Z')).primary).toBe('fay');
  });

  it('is empty with no shifts', () => {
    expect(whoIsOnDuty([], new Date('2025-11-26T02:00:00Z'))).toEqual({});
  });
});

describe('shiftsOverlapping', () => {
  it('returns the shifts that share any time with the window, ends exclusive', () => {
    const found = shiftsOverlapping(night, new Date('2025-11-26T08:00:00Z'), new Date('2025-11-26T09:00:00Z'));
    expect(found.map((s) => s.staffId)).toEqual(['amy', 'ben', 'mo']);
  });

  it('returns nothing for a window between shifts', () => {
    expect(shiftsOverlapping(night, new Date('2025-11-26T17:00:00Z'), new Date('2025-11-26T18:00:00Z'))).toEqual([]);
  });
});

describe('validateRota', () => {
  const upload = (shifts: unknown[]) => ({ shifts });
  const good = { staffId: 'amy', start: '2025-11-25T17:00:00Z', end: '2025-11-26T09:00:00Z', position: 'primary' };

  it('accepts shifts with offsets and stores their times as UTC', () => {
    const result = validateRota(upload([{ ...good, start: '2025-07-01T18:00+01:00', end: '2025-07-02T09:00:00+01:00' }]));
    expect(result).toEqual({
      ok: true,
      value: { shifts: [{ staffId: 'amy', position: 'primary', start: '2025-07-01T17:00:00.000Z', end: '2025-07-02T08:00:00.000Z' }] },
    });
  });

  it('reports an end that is not after the start at shifts.N.end', () => {
    const result = validateRota(upload([good, good, good, { ...good, end: good.start }]));
    expect(result).toEqual({ ok: false, issues: [{ path: 'shifts.3.end', message: 'must be after start' }] });
  });

  it('refuses a shift longer than 48 hours', () => {
    const result = validateRota(upload([{ ...good, end: '2025-11-27T17:00:01Z' }]));
    expect(result).toEqual({ ok: false, issues: [{ path: 'shifts.0.end', message: 'must be at most 48 hours after start' }] });
  });

  it('accepts a shift of exactly 48 hours', () => {
    expect(validateRota(upload([{ ...good, end: '2025-11-27T17:00:00Z' }])).ok).toBe(true);
  });

  it('refuses a time without a UTC offset', () => {
    const result = validateRota(upload([{ ...good, start: '2025-11-25T17:00:00' }]));
    expect(result.ok === false && result.issues.map((i) => i.path)).toEqual(['shifts.0.start']);
  });

  it('reports a bad position, a missing staff id and an unknown key together', () => {
    const result = validateRota(upload([{ start: good.start, end: good.end, position: 'deputy', colour: 'red' }]));
    expect(result.ok === false && result.issues.map((i) => i.path).sort()).toEqual(['shifts.0.colour', 'shifts.0.position', 'shifts.0.staffId']);
  });

  it('requires a shifts array', () => {
    expect(validateRota({})).toEqual({ ok: false, issues: [{ path: 'shifts', message: 'is required' }] });
  });
});

describe('overrides and swaps', () => {
  const base = [
    shift('amy', 'primary', '2025-11-25T17:00:00Z', '2025-11-26T09:00:00Z'),
    shift('ben', 'secondary', '2025-11-25T17:00:00Z', '2025-11-26T09:00:00Z'),
  ];

  it('lets an override win over the base rota for its window, even one that started earlier', () => {
    const cover = { ...shift('dev', 'primary', '2025-11-25T12:00:00Z', '2025-11-26T03:00:00Z'), kind: 'override' as const };
    expect(whoIsOnDuty([...base, cover], new Date('2025-11-26T02:00:00Z')).primary).toBe('dev');
    expect(whoIsOnDuty([...base, cover], new Date('2025-11-26T03:00:00Z')).primary).toBe('amy');
  });

  it('lets a swap win over the base shift it takes', () => {
    const swap = { ...shift('cat', 'secondary', '2025-11-25T17:00:00Z', '2025-11-26T09:00:00Z'), kind: 'swap' as const, covers: 'ben' };
    expect(whoIsOnDuty([swap, ...base], new Date('2025-11-26T02:00:00Z'))).toEqual({ primary: 'amy', secondary: 'cat' });
  });

  it('holds several additional AMHPs at once; an override naming one of them replaces just that one', () => {
    const extra = [
      shift('eve', 'additional', '2025-11-25T17:00:00Z', '2025-11-26T09:00:00Z'),
      shift('fay', 'additional', '2025-11-25T17:00:00Z', '2025-11-26T09:00:00Z'),
      { ...shift('gus', 'additional', '2025-11-25T22:00:00Z', '2025-11-26T09:00:00Z'), kind: 'override' as const, covers: 'eve' },
    ];
    const additional = (at: string) =>
      onDutyAt([...base, ...extra], new Date(at)).filter((h) => h.position === 'additional').map((h) => h.staffId).sort();
    expect(additional('2025-11-25T20:00:00Z')).toEqual(['eve', 'fay']);
    expect(additional('2025-11-26T02:00:00Z')).toEqual(['fay', 'gus']);
  });

  it('names the rota entry and its kind for each holder', () => {
    const cover = { ...shift('dev', 'primary', '2025-11-26T01:00:00Z', '2025-11-26T04:00:00Z'), kind: 'override' as const };
    expect(onDutyAt([...base, cover], new Date('2025-11-26T02:00:00Z'))).toEqual([
      { position: 'primary', staffId: 'dev', shiftId: cover.id, kind: 'override' },
      { position: 'secondary', staffId: 'ben', shiftId: base[1]?.id, kind: 'base' },
    ]);
  });
});

describe('effectiveRota', () => {
  it('cuts the rota where an overnight override starts and ends, and resumes the base shift after it', () => {
    // Thursday night: Amy's primary shift 17:00–08:45; Dev covers 23:00–03:00 (GMT in November).
    const night = shift('amy', 'primary', '2026-11-26T17:00:00Z', '2026-11-27T08:45:00Z');
    const cover = { ...shift('dev', 'primary', '2026-11-26T23:00:00Z', '2026-11-27T03:00:00Z'), kind: 'override' as const, covers: 'amy' };
    const segments = effectiveRota([night, cover], new Date('2026-11-26T12:00:00Z'), new Date('2026-11-27T12:00:00Z'));
    expect(segments.map(({ staffId, start, end, kind }) => ({ staffId, start, end, kind }))).toEqual([
      { staffId: 'amy', start: '2026-11-26T17:00:00.000Z', end: '2026-11-26T23:00:00.000Z', kind: 'base' },
      { staffId: 'dev', start: '2026-11-26T23:00:00.000Z', end: '2026-11-27T03:00:00.000Z', kind: 'override' },
      { staffId: 'amy', start: '2026-11-27T03:00:00.000Z', end: '2026-11-27T08:45:00.000Z', kind: 'base' },
    ]);
  });

  it('clips to the window', () => {
    const segments = effectiveRota(night, new Date('2025-11-26T00:00:00Z'), new Date('2025-11-26T01:00:00Z'));
    expect(segments.map((s) => [s.staffId, s.start, s.end])).toEqual([
      ['amy', '2025-11-26T00:00:00.000Z', '2025-11-26T01:00:00.000Z'],
      ['ben', '2025-11-26T00:00:00.000Z', '2025-11-26T01:00:00.000Z'],
      ['mo', '2025-11-26T00:00:00.000Z', '2025-11-26T01:00:00.000Z'],
    ]);
  });
});

describe('checkRota', () => {
  // Tuesday 24 to Wednesday 25 November 2026, GMT: out of hours 17:00–08:45.
  const from = new Date('2026-11-24T12:00:00Z');
  const to = new Date('2026-11-25T12:00:00Z');
  const full = [
    shift('amy', 'primary', '2026-11-24T17:00:00Z', '2026-11-25T08:45:00Z'),
    shift('ben', 'secondary', '2026-11-24T17:00:00Z', '2026-11-25T08:45:00Z'),
    shift('mo', 'manager', '2026-11-24T17:00:00Z', '2026-11-25T08:45:00Z'),
  ];

  it('finds no gap when every position is held through the out-of-hours window', () => {
    expect(checkRota(full, {}, from, to)).toEqual({ gaps: [], overlaps: [] });
  });

  it('reports each out-of-hours stretch a position is not held, and ignores office hours', () => {
    const short = [...full.slice(0, 2), shift('mo', 'manager', '2026-11-24T17:00:00Z', '2026-11-25T02:00:00Z')];
    const early = [shift('cat', 'primary', '2026-11-24T16:00:00Z', '2026-11-24T17:00:00Z'), ...short.slice(1)];
    expect(checkRota(short, {}, from, to).gaps).toEqual([{ position: 'manager', start: '2026-11-25T02:00:00.000Z', end: '2026-11-25T08:45:00.000Z' }]);
    expect(checkRota(early, {}, from, to).gaps.map((g) => g.position)).toEqual(['primary', 'manager']);
  });

  it('checks only the positions the team requires', () => {
    expect(checkRota(full.slice(0, 1), { requiredPositions: ['primary'] }, from, to).gaps).toEqual([]);
  });

  it('reports one person holding two positions at once', () => {
    const doubled = [...full, shift('amy', 'secondary', '2026-11-25T01:00:00Z', '2026-11-25T03:00:00Z')];
    doubled[1] = shift('ben', 'secondary', '2026-11-24T17:00:00Z', '2026-11-25T01:00:00Z');
    const { overlaps } = checkRota([...doubled, shift('ben', 'secondary', '2026-11-25T03:00:00Z', '2026-11-25T08:45:00Z')], {}, from, to);
    expect(overlaps).toEqual([
      { staffId: 'amy', start: '2026-11-25T01:00:00.000Z', end: '2026-11-25T03:00:00.000Z', shiftIds: [doubled[0]?.id, doubled[3]?.id].sort() },
    ]);
  });

  it('reports two base shifts of one person that overlap, even in the same position', () => {
    const twice = [...full, shift('amy', 'primary', '2026-11-25T06:00:00Z', '2026-11-25T12:00:00Z')];
    expect(checkRota(twice, {}, from, to).overlaps).toEqual([
      expect.objectContaining({ staffId: 'amy', start: '2026-11-25T06:00:00.000Z', end: '2026-11-25T08:45:00.000Z' }),
    ]);
  });

  it('does not count an override over someone’s own base shift, or a person covered by another, as an overlap', () => {
    const cover = { ...shift('dev', 'primary', '2026-11-24T23:00:00Z', '2026-11-25T03:00:00Z'), kind: 'override' as const, covers: 'amy' };
    expect(checkRota([...full, cover], {}, from, to).overlaps).toEqual([]);
  });
});

describe('validateRota with overrides and swaps', () => {
  const good = { staffId: 'amy', start: '2025-11-25T17:00:00Z', end: '2025-11-26T09:00:00Z', position: 'primary' };

  it('accepts kind and covers, and an additional position', () => {
    const result = validateRota({ shifts: [{ ...good, position: 'additional', kind: 'override', covers: 'ben' }] });
    expect(result.ok).toBe(true);
  });

  it('requires covers for a swap and refuses it on a base shift', () => {
    const result = validateRota({ shifts: [{ ...good, kind: 'swap' }, { ...good, covers: 'ben' }] });
    expect(result.ok === false && result.issues.map((i) => i.path)).toEqual(['shifts.0.covers', 'shifts.1.covers']);
  });
});

describe('shiftIdOf and toShifts', () => {
  it('gives the same id to the same shift however its times are written, and another to another', () => {
    const a = { staffId: 'amy', position: 'primary' as const, start: '2025-07-01T18:00:00+01:00', end: '2025-07-02T09:00:00+01:00' };
    const b = { ...a, start: '2025-07-01T17:00:00.000Z', end: '2025-07-02T08:00:00Z' };
    expect(shiftIdOf('leeds', a)).toBe(shiftIdOf('leeds', b));
    expect(shiftIdOf('leeds', a)).not.toBe(shiftIdOf('leeds', { ...a, staffId: 'ben' }));
    expect(shiftIdOf('leeds', a)).not.toBe(shiftIdOf('york', a));
    expect(toShifts('leeds', [a])).toEqual([
      { id: shiftIdOf('leeds', a), teamId: 'leeds', staffId: 'amy', position: 'primary', start: '2025-07-01T17:00:00.000Z', end: '2025-07-02T08:00:00.000Z' },
    ]);
  });
});
