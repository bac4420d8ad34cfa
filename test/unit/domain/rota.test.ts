import { describe, it, expect } from 'vitest';
import { shiftsOverlapping, validateRota, whoIsOnDuty } from '../../../shared/domain/rota.ts';
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
