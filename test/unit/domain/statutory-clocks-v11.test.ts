import { describe, expect, it } from 'vitest';
import { clockExpiry, clockIntakeTimeline, clockViews, earliestExpiry, extendClock, placeOfDetention, statutoryClocks } from '../../../shared/domain/clocks.ts';
import { isUnder18, validateReferral } from '../../../shared/domain/referral-schema.ts';

const at = (iso: string) => new Date(iso);

describe('statutory clocks from the event the Act names (contract v1.1)', () => {
  it('s136(2A): 24 h beginning with arrival at the place of safety, not the removal', () => {
    const [clock] = statutoryClocks({ status: 's136', detainedAt: '2026-06-01T20:00:00Z', placeOfSafety: { kind: 'health_based', arrivedAt: '2026-06-01T22:30:00Z' } } as never);
    expect(clock).toMatchObject({ kind: 's136', startEvent: 'arrived_at_place_of_safety', startedAt: '2026-06-01T22:30:00.000Z', expiresAt: '2026-06-02T22:30:00.000Z' });
  });

  it('s135(3ZA)(a)(ii): kept at the premises, 24 h from keptSince', () => {
    const [clock] = statutoryClocks({ status: 's135_1', placeOfSafety: { kind: 'other', keptSince: '2026-06-01T10:00:00Z' } });
    expect(clock).toMatchObject({ kind: 's135', startEvent: 'kept_at_place_of_safety', expiresAt: '2026-06-02T10:00:00.000Z' });
  });

  it('s136(2A): no clock runs before arrival; the view says pending', () => {
    const legal = { status: 's136' };
    expect(statutoryClocks(legal)).toEqual([]);
    expect(clockViews(legal, [], at('2026-06-01T00:00:00Z'))).toEqual([
      expect.objectContaining({ kind: 's136', state: 'pending', startEvent: 'arrived_at_place_of_safety', expiresAt: null }),
    ]);
  });

  it('s5(5): s5(2) after s5(4) runs 72 h from the s5(4) record, not the report', () => {
    const [clock] = statutoryClocks({ status: 's5_2', s5_4RecordMadeAt: '2026-06-01T01:00:00Z', reportFurnishedAt: '2026-06-01T04:00:00Z' });
    expect(clock).toMatchObject({ kind: 's5_2', startEvent: 's5_4_record_made', expiresAt: '2026-06-04T01:00:00.000Z' });
    const [plain] = statutoryClocks({ status: 's5_2', reportFurnishedAt: '2026-06-01T04:00:00Z' });
    expect(plain).toMatchObject({ startEvent: 'report_furnished', expiresAt: '2026-06-04T04:00:00.000Z' });
  });

  it('s5(4): 6 h from the nurse\u2019s record, across the October clock change in elapsed hours', () => {
    const [clock] = statutoryClocks({ status: 's5_4', recordMadeAt: '2026-10-24T22:30:00Z' });
    expect(clock?.expiresAt).toBe('2026-10-25T04:30:00.000Z');
  });

  it('s4(4): 72 h from admission; s17F(8): 72 h from detention after recall', () => {
    expect(statutoryClocks({ status: 's4', admittedAt: '2026-03-28T12:00:00Z' })[0]).toMatchObject({ kind: 's4', expiresAt: '2026-03-31T12:00:00.000Z' });
    expect(statutoryClocks({ status: 'cto_recall', detainedAfterRecallAt: '2026-03-28T12:00:00Z' })[0]).toMatchObject({ kind: 'cto_recall', expiresAt: '2026-03-31T12:00:00.000Z' });
  });

  it('s136 over the March clock change lasts 24 elapsed hours (the wall clock shows 25)', () => {
    expect(clockExpiry('s136', '2026-03-28T23:00:00.000Z')).toBe('2026-03-29T23:00:00.000Z');
  });

  it('s2(4): 28 days beginning with the day of admission, ending at London midnight, across the clock change', () => {
    // Admitted 23:30 on 10 March 2026 (GMT): day 1 is 10 March, day 28 is 6 April (BST); ends 00:00 BST 7 April.
    expect(clockExpiry('s2', '2026-03-10T23:30:00.000Z')).toBe('2026-04-06T23:00:00.000Z');
    // Admitted 00:30 BST on 1 October 2026 (23:30 UTC on 30 September): day 1 is 1 October in London; ends 00:00 GMT 29 October.
    expect(clockExpiry('s2', '2026-09-30T23:30:00.000Z')).toBe('2026-10-29T00:00:00.000Z');
  });

  it('v1 detentionStart still starts the status\u2019s clock, and the timeline says it was read as the start event', () => {
    const legal = { status: 's136', detentionStart: '2026-06-01T20:00:00Z' };
    const clocks = statutoryClocks(legal);
    expect(clocks[0]).toMatchObject({ kind: 's136', startEvent: 'detention_start', expiresAt: '2026-06-02T20:00:00.000Z' });
    expect(clockIntakeTimeline(legal, clocks, at('2026-06-01T21:00:00Z'))).toEqual([
      expect.objectContaining({ type: 'clock_started', clockKind: 's136', readFrom: 'detentionStart' }),
    ]);
  });

  it('an s136 that began four days ago is recorded as expired at intake, not refused', () => {
    const legal = { status: 's136', placeOfSafety: { kind: 'health_based' as const, arrivedAt: '2026-06-01T20:00:00Z' } };
    const now = at('2026-06-05T20:00:00Z');
    const clocks = statutoryClocks(legal);
    expect(clockIntakeTimeline(legal, clocks, now).map((e) => e.type)).toEqual(['clock_started', 'clock_expired']);
    expect(clockViews(legal, clocks, now)[0]).toMatchObject({ state: 'expired' });
  });

  it('an ended clock has no expiry to warn about', () => {
    const clock = statutoryClocks({ status: 's4', admittedAt: '2026-06-01T12:00:00Z' })[0]!;
    expect(earliestExpiry([{ ...clock, endedAt: '2026-06-01T15:00:00Z', endReason: 'admitted' }])).toBeNull();
  });
});

describe('s136B extensions', () => {
  const s136 = statutoryClocks({ status: 's136', placeOfSafety: { kind: 'police_station', arrivedAt: '2026-06-01T00:00:00Z', policeStationAuthorisedBy: 'Insp 1' } });
  const request = { kind: 's136' as const, hours: 12, doctorName: 'Dr A', reason: 'person_condition' as const, recordedBy: 'u1' };
  const now = at('2026-06-01T20:00:00Z');

  it('s136B(3): at a police station needs a superintendent\u2019s approval', () => {
    expect(extendClock(s136, { ...request, placeKind: 'police_station' }, now)).toMatchObject({ ok: false, error: 'superintendent-required' });
    const ok = extendClock(s136, { ...request, placeKind: 'police_station', superintendentName: 'Supt B' }, now);
    expect(ok).toMatchObject({ ok: true, clock: { expiresAt: '2026-06-02T12:00:00.000Z', extension: { superintendentName: 'Supt B' } } });
  });

  it('s136B(3): asks where the person is now: the latest place of safety, else a v1 referral’s police station', () => {
    // Transferred from a health-based place to a police station: the legal facts hold the station.
    expect(placeOfDetention({ placeOfSafety: { kind: 'police_station' } }, 'place_of_safety')).toBe('police_station');
    // And back again: the station no longer applies, whatever the referrer first said.
    expect(placeOfDetention({ placeOfSafety: { kind: 'health_based' } }, 'police_station')).toBe('health_based');
    // Contract v1: only detentionStart, and the person at a police station.
    expect(placeOfDetention({}, 'police_station')).toBe('police_station');
    expect(placeOfDetention({}, 'emergency_department')).toBeUndefined();
    const v1 = statutoryClocks({ status: 's136', detentionStart: '2026-06-01T00:00:00Z' });
    expect(extendClock(v1, { ...request, placeKind: placeOfDetention({}, 'police_station') }, now)).toMatchObject({ ok: false, error: 'superintendent-required' });
  });

  it('s136B(2): an s135(2) retaking has no assessment period to extend', () => {
    const retake = statutoryClocks({ status: 's135_2', placeOfSafety: { kind: 'health_based', arrivedAt: '2026-06-01T00:00:00Z' } });
    expect(extendClock(retake, { ...request, kind: 's135_2' }, now)).toMatchObject({ ok: false, error: 'not-extendable' });
  });

  it('s136B(1): not after the 24 hours end, nor once the clock has ended', () => {
    expect(extendClock(s136, request, at('2026-06-02T00:00:00Z'))).toMatchObject({ ok: false, error: 'expired' });
    expect(extendClock([{ ...s136[0]!, endedAt: '2026-06-01T05:00:00Z' }], request, now)).toMatchObject({ ok: false, error: 'ended' });
  });
});

describe('contract v1.1 legal fields', () => {
  const now = at('2026-06-01T12:00:00Z');
  const phone = (legal: unknown) => ({ channel: 'phone', callbackPhone: '07700900123', currentLocation: { postcode: 'LS2 7UE' }, legal, urgency: 'immediate' });

  it('accepts an s136 en route (no arrival yet) and a v1 body with detentionStart', () => {
    expect(validateReferral(phone({ status: 's136' }), now).ok).toBe(true);
    expect(validateReferral(phone({ status: 's136', detentionStart: '2026-06-01T11:00:00Z' }), now).ok).toBe(true);
  });

  it('s136A: an adult at a police station needs the inspector\u2019s authorisation', () => {
    const result = validateReferral(phone({ status: 's136', placeOfSafety: { kind: 'police_station', arrivedAt: '2026-06-01T11:00:00Z' } }), now);
    expect(result).toMatchObject({ ok: false, issues: [expect.objectContaining({ path: 'legal.placeOfSafety.policeStationAuthorisedBy' })] });
  });

  it('s5(4) needs its record time; a start field of another status is refused', () => {
    expect(validateReferral(phone({ status: 's5_4' }), now)).toMatchObject({ ok: false, issues: [expect.objectContaining({ path: 'legal.recordMadeAt' })] });
    expect(validateReferral(phone({ status: 's136', admittedAt: '2026-06-01T11:00:00Z' }), now)).toMatchObject({
      ok: false,
      issues: [expect.objectContaining({ path: 'legal.admittedAt' })],
    });
  });

  it('s136A(1): age from the date of birth, a 29 February birthday turning 18 on 1 March', () => {
    expect(isUnder18('2008-06-01', '2026-05-31')).toBe(true);
    expect(isUnder18('2008-06-01', '2026-06-01')).toBe(false);
    expect(isUnder18('2008-02-29', '2026-02-28')).toBe(true);
    expect(isUnder18('2008-02-29', '2026-03-01')).toBe(false);
  });
});
