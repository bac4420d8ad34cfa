import { describe, it, expect } from 'vitest';
import { earliestExpiry, statutoryClocks } from '../../../shared/domain/clocks.ts';

const start = '2025-11-26T01:10:00Z';

describe('statutoryClocks', () => {
  it.each([
    ['s136', 's136', '2025-11-27T01:10:00.000Z'],
    ['s135_1', 's135', '2025-11-27T01:10:00.000Z'],
    ['s135_2', 's135_2', '2025-11-27T01:10:00.000Z'],
    ['s4', 's4', '2025-11-29T01:10:00.000Z'],
    ['cto_recall', 'cto_recall', '2025-11-29T01:10:00.000Z'],
    ['s5_2', 's5_2', '2025-11-29T01:10:00.000Z'],
    ['s5_4', 's5_4', '2025-11-26T07:10:00.000Z'],
  ])('runs a %s clock (%s) from the v1 detention start, read as its start event', (status, kind, expiresAt) => {
    expect(statutoryClocks({ status, detentionStart: start })).toEqual([{ kind, startedAt: '2025-11-26T01:10:00.000Z', expiresAt, startEvent: 'detention_start' }]);
  });

  it.each(['none', 's3', 'other'])('runs no clock for %s', (status) => {
    expect(statutoryClocks({ status, detentionStart: start })).toEqual([]);
  });

  it('runs no clock without a detention start: never from receipt time', () => {
    expect(statutoryClocks({ status: 's136' })).toEqual([]);
  });

  it('reads a detention start given with an offset as the instant it names', () => {
    expect(statutoryClocks({ status: 's5_4', detentionStart: '2025-07-01T10:00:00+01:00' })[0]).toMatchObject({
      startedAt: '2025-07-01T09:00:00.000Z',
      expiresAt: '2025-07-01T15:00:00.000Z',
    });
  });

  it('counts elapsed hours across the autumn clock change', () => {
    // 24 hours from 12:00 BST on 25 October is 11:00 GMT on 26 October.
    expect(statutoryClocks({ status: 's136', detentionStart: '2025-10-25T12:00:00+01:00' })[0]?.expiresAt).toBe('2025-10-26T11:00:00.000Z');
  });
});

describe('earliestExpiry', () => {
  it('is null with no clocks', () => {
    expect(earliestExpiry([])).toBeNull();
  });

  it('picks the expiry that comes first', () => {
    const clocks = [
      { kind: 's5_2' as const, startedAt: '2025-11-26T00:00:00.000Z', expiresAt: '2025-11-29T00:00:00.000Z' },
      { kind: 's5_4' as const, startedAt: '2025-11-26T00:00:00.000Z', expiresAt: '2025-11-26T06:00:00.000Z' },
    ];
    expect(earliestExpiry(clocks)).toBe('2025-11-26T06:00:00.000Z');
  });
});
