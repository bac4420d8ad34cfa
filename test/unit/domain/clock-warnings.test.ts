import { describe, expect, it } from 'vitest';
import { clockWarnings, extendClock, statutoryClocks } from '../../../shared/domain/clocks.ts';
import { clockWarningText } from '../../../shared/domain/sms.ts';

const s136 = statutoryClocks({ status: 's136', detentionStart: '2026-11-25T00:00:00Z' });
const s54 = statutoryClocks({ status: 's5_4', detentionStart: '2026-11-25T00:00:00Z' });
const s52 = statutoryClocks({ status: 's5_2', detentionStart: '2026-11-25T00:00:00Z' });
const at = (iso: string) => new Date(iso);

describe('statutory clock warnings to the manager', () => {
  it('plans warnings at T−6 h and T−2 h for an s136 clock that has just started', () => {
    expect(clockWarnings(s136, at('2026-11-25T01:00:00Z'))).toEqual([
      { clockKind: 's136', hoursBefore: 6, expiresAt: '2026-11-26T00:00:00.000Z', warnAt: '2026-11-25T18:00:00.000Z' },
      { clockKind: 's136', hoursBefore: 2, expiresAt: '2026-11-26T00:00:00.000Z', warnAt: '2026-11-25T22:00:00.000Z' },
    ]);
  });

  it('plans them for s5(2) at 66 h and 70 h after the detention start', () => {
    expect(clockWarnings(s52, at('2026-11-25T01:00:00Z')).map((w) => w.warnAt)).toEqual([
      '2026-11-27T18:00:00.000Z',
      '2026-11-27T22:00:00.000Z',
    ]);
  });

  it('gives the T−6 h warning at once for an s5(4) clock, whose 6 hours begin inside the window', () => {
    expect(clockWarnings(s54, at('2026-11-25T00:30:00Z'))).toEqual([
      { clockKind: 's5_4', hoursBefore: 6, expiresAt: '2026-11-25T06:00:00.000Z', warnAt: '2026-11-25T00:30:00.000Z' },
      { clockKind: 's5_4', hoursBefore: 2, expiresAt: '2026-11-25T06:00:00.000Z', warnAt: '2026-11-25T04:00:00.000Z' },
    ]);
  });

  it('gives only the T−2 h warning, at once, when the referral arrives 23 hours into an s136', () => {
    expect(clockWarnings(s136, at('2026-11-25T23:00:00Z'))).toEqual([
      { clockKind: 's136', hoursBefore: 2, expiresAt: '2026-11-26T00:00:00.000Z', warnAt: '2026-11-25T23:00:00.000Z' },
    ]);
  });

  it('gives no warning for a clock that has expired', () => {
    expect(clockWarnings(s136, at('2026-11-26T00:00:00Z'))).toEqual([]);
  });

  it('words the warning with the reference, the clock, its London expiry and no personal details', () => {
    const text = clockWarningText({ reference: 'EDT-4F7K-2Q9M', clockKind: 's5_4', expiresAt: '2026-07-01T05:00:00Z', hoursLeft: 2, status: 'paging' });
    expect(text).toBe('dutyline EDT-4F7K-2Q9M: s5(4) clock expires 06:00 1 Jul (about 2 h left). Referral NOT YET ACCEPTED.');
  });
});

describe('s136B extension', () => {
  const request = { kind: 's136' as const, hours: 12, doctorName: 'Dr A. Khan', reason: 'person_condition' as const, recordedBy: 'amhp-asha' };
  const now = at('2026-11-25T20:00:00Z');

  it('extends an s136 clock once by up to 12 hours, recording the doctor and the reason', () => {
    const result = extendClock(s136, request, now);
    expect(result).toMatchObject({
      ok: true,
      clock: {
        kind: 's136',
        expiresAt: '2026-11-26T12:00:00.000Z',
        extension: { hours: 12, doctorName: 'Dr A. Khan', reason: 'person_condition', recordedBy: 'amhp-asha' },
      },
    });
    if (!result.ok) throw new Error('expected an extension');
    expect(extendClock(result.clocks, request, now)).toMatchObject({ ok: false, error: 'already-extended' });
  });

  it.each(['amhp_unavailable', 'doctor_unavailable'] as const)('refuses %s as not a lawful reason', (reason) => {
    const result = extendClock(s136, { ...request, reason }, now);
    expect(result).toMatchObject({ ok: false, error: 'unlawful-reason' });
    expect(!result.ok && result.message).toMatch(/not a lawful reason/);
  });

  it('refuses to extend s5(2) or s5(4), or a clock that has expired', () => {
    expect(extendClock(s54, { ...request, kind: 's5_4' }, at('2026-11-25T01:00:00Z'))).toMatchObject({ ok: false, error: 'not-extendable' });
    expect(extendClock(s136, request, at('2026-11-26T00:00:01Z'))).toMatchObject({ ok: false, error: 'expired' });
    expect(extendClock(s136, { ...request, kind: 's135' }, now)).toMatchObject({ ok: false, error: 'no-such-clock' });
  });

  it('re-plans the warnings against the new expiry', () => {
    const result = extendClock(s136, { ...request, hours: 6 }, now);
    if (!result.ok) throw new Error('expected an extension');
    expect(clockWarnings(result.clocks, now).map((w) => [w.hoursBefore, w.warnAt])).toEqual([
      [6, '2026-11-26T00:00:00.000Z'],
      [2, '2026-11-26T04:00:00.000Z'],
    ]);
  });
});
