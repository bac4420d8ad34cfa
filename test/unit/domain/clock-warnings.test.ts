import { describe, expect, it } from 'vitest';
import { clockWarnings, extendClock, statutoryClocks, warningAudience } from '../../../shared/domain/clocks.ts';
import { clockWarningText } from '../../../shared/domain/sms.ts';

const s136 = statutoryClocks({ status: 's136', detentionStart: '2026-11-25T00:00:00Z' });
const s54 = statutoryClocks({ status: 's5_4', detentionStart: '2026-11-25T00:00:00Z' });
const s52 = statutoryClocks({ status: 's5_2', detentionStart: '2026-11-25T00:00:00Z' });
const at = (iso: string) => new Date(iso);

const warning = (clockKind: string, hoursBefore: number, expiresAt: string, warnAt: string) => ({ clockKind, hoursBefore, expiresAt, warnAt });

describe('statutory clock warnings', () => {
  it('plans warnings at T−6 h, T−2 h, T−1 h and at expiry for an s136 clock that has just started', () => {
    const expiry = '2026-11-26T00:00:00.000Z';
    expect(clockWarnings(s136, at('2026-11-25T01:00:00Z'))).toEqual([
      warning('s136', 6, expiry, '2026-11-25T18:00:00.000Z'),
      warning('s136', 2, expiry, '2026-11-25T22:00:00.000Z'),
      warning('s136', 1, expiry, '2026-11-25T23:00:00.000Z'),
      warning('s136', 0, expiry, expiry),
    ]);
  });

  it('plans them for s5(2) at 66 h, 70 h, 71 h and 72 h after the report (MHA 1983 s5(2))', () => {
    expect(clockWarnings(s52, at('2026-11-25T01:00:00Z')).map((w) => w.warnAt)).toEqual([
      '2026-11-27T18:00:00.000Z',
      '2026-11-27T22:00:00.000Z',
      '2026-11-27T23:00:00.000Z',
      '2026-11-28T00:00:00.000Z',
    ]);
  });

  it('gives the T−6 h warning at once for an s5(4) clock, whose 6 hours begin inside the window (MHA 1983 s5(4))', () => {
    expect(clockWarnings(s54, at('2026-11-25T00:30:00Z')).slice(0, 2)).toEqual([
      warning('s5_4', 6, '2026-11-25T06:00:00.000Z', '2026-11-25T00:30:00.000Z'),
      warning('s5_4', 2, '2026-11-25T06:00:00.000Z', '2026-11-25T04:00:00.000Z'),
    ]);
  });

  it('gives only the latest threshold passed, at once, when the referral arrives 23.5 hours into an s136, then the expiry', () => {
    expect(clockWarnings(s136, at('2026-11-25T23:30:00Z'))).toEqual([
      warning('s136', 1, '2026-11-26T00:00:00.000Z', '2026-11-25T23:30:00.000Z'),
      warning('s136', 0, '2026-11-26T00:00:00.000Z', '2026-11-26T00:00:00.000Z'),
    ]);
  });

  it('flags a clock that has already run out at once, with its expiry alert', () => {
    expect(clockWarnings(s136, at('2026-11-27T09:00:00Z'))).toEqual([warning('s136', 0, '2026-11-26T00:00:00.000Z', '2026-11-27T09:00:00.000Z')]);
  });

  it('gives no warning for a clock that has ended (admitted, released, a change of status)', () => {
    const ended = s136.map((clock) => ({ ...clock, endedAt: '2026-11-25T10:00:00Z' }));
    expect(clockWarnings(ended, at('2026-11-25T23:30:00Z'))).toEqual([]);
  });

  it.each([
    [6, ['manager']],
    [2, ['manager']],
    [1, ['manager', 'amhp']],
    [0, ['manager', 'amhp', 'fallback']],
  ])('tells at T−%i h: %j', (hoursBefore, audience) => {
    expect(warningAudience(hoursBefore)).toEqual(audience);
  });

  it('words the warning with the reference, the clock, its London expiry and the time left then, and no personal details', () => {
    const words = { reference: 'EDT-4F7K-2Q9M', clockKind: 's5_4' as const, expiresAt: '2026-07-01T05:00:00Z', status: 'paging' as const, audience: 'manager' as const };
    expect(clockWarningText({ ...words, now: at('2026-07-01T03:25:00Z') })).toBe('dutyline EDT-4F7K-2Q9M: s5(4) clock expires 06:00 1 Jul (1 h 35 min left). Referral NOT YET ACCEPTED.');
    expect(clockWarningText({ ...words, now: at('2026-07-01T04:59:30Z') })).toContain('(under 1 min left)');
  });

  it('says a clock has expired, and how long ago, when the warning goes after the expiry (a warning sent 18 h late never says "1 h left")', () => {
    const words = { reference: 'EDT-4F7K-2Q9M', clockKind: 's136' as const, expiresAt: '2026-07-01T12:20:00Z', status: 'accepted' as const, audience: 'amhp' as const };
    expect(clockWarningText({ ...words, now: at('2026-07-02T06:20:00Z') })).toBe(
      'dutyline EDT-4F7K-2Q9M: s136 clock EXPIRED at 13:20 1 Jul (18 h ago). Detention past it is unlawful: act now. Referral accepted, assessment pending.',
    );
  });

  it('tells the accepting AMHP what to do before the expiry', () => {
    const words = { reference: 'EDT-4F7K-2Q9M', clockKind: 's136' as const, expiresAt: '2026-07-01T12:20:00Z', status: 'accepted' as const, audience: 'amhp' as const };
    expect(clockWarningText({ ...words, now: at('2026-07-01T11:20:00Z') })).toBe(
      'dutyline EDT-4F7K-2Q9M: s136 clock expires 13:20 1 Jul (1 h left). You accepted it: complete the assessment or end the detention before then.',
    );
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
      [1, '2026-11-26T05:00:00.000Z'],
      [0, '2026-11-26T06:00:00.000Z'],
    ]);
  });
});
