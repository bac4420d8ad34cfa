import { describe, expect, it } from 'vitest';
import { statutoryClocks } from '../../../shared/domain/clocks.ts';
import { applyReferralEvent, mayRecord, parseReferralEvent, type EventReferral, type EventResult } from '../../../shared/domain/referral-events/index.ts';
import type { StoredLegal } from '../../../shared/domain/referral-details.ts';

/** The legal events (SPEC "Contract v1.1"): each rule with the section of the Mental Health Act 1983 that decides it. */

const NOW = new Date('2026-11-25T12:00:00Z');
const HOUR = 3_600_000;
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * HOUR).toISOString();
const context = { now: NOW, by: 'amhp-asha' };

function referral(legal: StoredLegal, extra: Partial<EventReferral> = {}): EventReferral {
  return { status: 'accepted', legal, clocks: statutoryClocks(legal), timeline: [], ...extra };
}

function record(target: EventReferral, body: Record<string, unknown>): EventResult {
  const parsed = parseReferralEvent(body, NOW);
  if (!parsed.ok) throw new Error(`expected a valid body: ${JSON.stringify(parsed.issues)}`);
  return applyReferralEvent(target, parsed.value, context);
}

function recorded(target: EventReferral, body: Record<string, unknown>) {
  const result = record(target, body);
  if (!result.ok) throw new Error(`expected it recorded: ${JSON.stringify(result)}`);
  return result;
}

/** Applies the change, as the use case stores it, for the next event. */
const after = (target: EventReferral, body: Record<string, unknown>): EventReferral => {
  const change = recorded(target, body);
  return { ...target, legal: change.legal, clocks: change.clocks, timeline: [...target.timeline, ...change.timeline] };
};

const enRoute = () => referral({ status: 's136' });
const arrival = (at: string, extra: Record<string, unknown> = {}) => ({ type: 'arrived_at_place_of_safety', at, placeKind: 'health_based', postcode: 'ls1 4ap', ...extra });

describe('arrival at a place of safety', () => {
  it('starts the pending s136 clock from the arrival, 24 hours (s136(2A)(a)(i))', () => {
    const change = recorded(enRoute(), arrival(hoursAgo(2)));
    expect(change.clocks).toEqual([expect.objectContaining({ kind: 's136', startEvent: 'arrived_at_place_of_safety', startedAt: hoursAgo(2), expiresAt: hoursAgo(-22) })]);
    expect(change.armed).toEqual(change.clocks);
  });

  it('starts the s135(1) period from the arrival too (s135(3ZA)(a)(i))', () => {
    const change = recorded(referral({ status: 's135_1' }), arrival(hoursAgo(1)));
    expect(change.clocks[0]).toMatchObject({ kind: 's135', startedAt: hoursAgo(1) });
  });

  it('runs from the decision to keep the person where they are when they are kept (s136(2A)(a)(ii))', () => {
    const change = recorded(enRoute(), arrival(hoursAgo(1), { kept: true }));
    expect(change.legal.placeOfSafety).toMatchObject({ keptSince: hoursAgo(1) });
    expect(change.clocks[0]).toMatchObject({ startEvent: 'kept_at_place_of_safety' });
  });

  it('records who reported it, when it happened and only the postcode district', () => {
    const change = recorded(enRoute(), arrival(hoursAgo(2)));
    expect(change.timeline[0]).toEqual({ at: NOW.toISOString(), type: 'arrived_at_place_of_safety', eventAt: hoursAgo(2), by: 'amhp-asha', placeKind: 'health_based', district: 'LS1' });
    expect(JSON.stringify(change.timeline)).not.toContain('4AP');
    expect(change.timeline[1]).toMatchObject({ type: 'clock_started', clockKind: 's136', startEvent: 'arrived_at_place_of_safety' });
  });

  it('flags at once an arrival reported after its 24 hours had run out', () => {
    const change = recorded(enRoute(), arrival(hoursAgo(25)));
    expect(change.timeline.map((e) => e.type)).toContain('clock_expired');
  });

  it('refuses a second arrival: a move is a transfer, which does not restart the period (s136(3))', () => {
    expect(record(after(enRoute(), arrival(hoursAgo(2))), arrival(hoursAgo(1)))).toMatchObject({ status: 409, error: 'already_arrived' });
  });

  it('replaces the v1 detentionStart reading with the arrival the Act counts from', () => {
    const v1 = referral({ status: 's136', detentionStart: hoursAgo(5) });
    const change = recorded(v1, arrival(hoursAgo(3)));
    expect(change.clocks).toEqual([expect.objectContaining({ startedAt: hoursAgo(3), startEvent: 'arrived_at_place_of_safety' })]);
    expect(change.timeline[0]).toMatchObject({ replacesDetentionStart: true });
  });

  it('refuses an arrival before the detention began', () => {
    expect(record(referral({ status: 's136', detainedAt: hoursAgo(2) }), arrival(hoursAgo(3)))).toMatchObject({ status: 409, error: 'before_detention' });
  });

  it('refuses an arrival for a status with no place of safety period', () => {
    expect(record(referral({ status: 's2', admittedAt: hoursAgo(5) }), arrival(hoursAgo(1)))).toMatchObject({ status: 409, error: 'no_place_of_safety_period' });
  });

  it('refuses a police station for a person under 18, naming placeKind (s136A(1))', () => {
    const child = referral({ status: 's136' }, { subjectUnder18: true });
    const result = record(child, arrival(hoursAgo(1), { placeKind: 'police_station', policeStationAuthorisedBy: 'Insp Lowe' }));
    expect(result).toMatchObject({ status: 400, issues: [{ path: 'placeKind', message: expect.stringMatching(/under 18.*s136A\(1\)/) }] });
  });

  it('needs the authorising inspector for an adult at a police station (s136A(2), 2017 Regulations reg 2)', () => {
    const result = record(enRoute(), arrival(hoursAgo(1), { placeKind: 'police_station' }));
    expect(result).toMatchObject({ status: 400, issues: [{ path: 'policeStationAuthorisedBy' }] });
    const authorised = recorded(enRoute(), arrival(hoursAgo(1), { placeKind: 'police_station', policeStationAuthorisedBy: 'Insp Lowe' }));
    expect(authorised.legal.placeOfSafety).toMatchObject({ kind: 'police_station', policeStationAuthorisedBy: 'Insp Lowe' });
    expect(authorised.timeline[0]).toMatchObject({ policeStationAuthorised: true });
    expect(JSON.stringify(authorised.timeline)).not.toContain('Lowe');
  });
});

describe('transfer between places of safety', () => {
  const arrived = () => after(enRoute(), arrival(hoursAgo(3), { placeKind: 'police_station', policeStationAuthorisedBy: 'Insp Lowe' }));

  it('keeps the s136 clock running across a transfer', () => {
    const before = arrived();
    const change = recorded(before, { type: 'transferred', at: hoursAgo(1), placeKind: 'health_based', postcode: 'LS2 7UE' });
    expect(change.clocks).toEqual(before.clocks);
    expect(change.armed).toEqual([]);
    expect(change.timeline[0]).toMatchObject({ type: 'transferred', clockContinues: true, district: 'LS2' });
  });

  it('makes the new place the one an s136B extension asks about (s136B(3))', () => {
    const change = recorded(arrived(), { type: 'transferred', at: hoursAgo(1), placeKind: 'health_based', postcode: 'LS2 7UE' });
    expect(change.legal.placeOfSafety).toEqual({ kind: 'health_based', arrivedAt: hoursAgo(3) });
  });

  it('refuses a transfer before any arrival is recorded', () => {
    expect(record(enRoute(), { type: 'transferred', at: hoursAgo(1), placeKind: 'health_based', postcode: 'LS2 7UE' })).toMatchObject({ status: 409, error: 'not_arrived' });
  });

  it('refuses a transfer after the permitted period has ended (s136(3): "before the end of the permitted period")', () => {
    const late = after(enRoute(), arrival(hoursAgo(26)));
    expect(record(late, { type: 'transferred', at: hoursAgo(1), placeKind: 'health_based', postcode: 'LS2 7UE' })).toMatchObject({ status: 409, error: 'period_ended' });
  });

  it('refuses a transfer of a child to a police station: s136A(1) says "taken to" as well as "removed to"', () => {
    const child = after(referral({ status: 's136' }, { subjectUnder18: true }), arrival(hoursAgo(2)));
    expect(record(child, { type: 'transferred', at: hoursAgo(1), placeKind: 'police_station', postcode: 'LS2 7UE', policeStationAuthorisedBy: 'Insp Lowe' })).toMatchObject({
      status: 400,
      issues: [{ path: 'placeKind' }],
    });
  });

  it('refuses an event dated before the last legal event recorded', () => {
    const moved = after(arrived(), { type: 'transferred', at: hoursAgo(1), placeKind: 'health_based', postcode: 'LS2 7UE' });
    expect(record(moved, { type: 'transferred', at: hoursAgo(2), placeKind: 'other', postcode: 'LS3 1AA' })).toMatchObject({ status: 409, error: 'before_earlier_event' });
  });
});

describe('change of legal status', () => {
  const s54 = () => referral({ status: 's5_4', recordMadeAt: hoursAgo(4) });

  it('runs s5(2) after s5(4) for 72 hours from the nurse\u2019s record (s5(5))', () => {
    const change = recorded(s54(), { type: 'status_changed', at: hoursAgo(1), status: 's5_2', reportFurnishedAt: hoursAgo(1) });
    const s52 = change.clocks.find((c) => c.kind === 's5_2');
    expect(s52).toMatchObject({ startEvent: 's5_4_record_made', startedAt: hoursAgo(4), expiresAt: hoursAgo(4 - 72) });
    expect(change.legal).toEqual({ status: 's5_2', reportFurnishedAt: hoursAgo(1), s5_4RecordMadeAt: hoursAgo(4) });
  });

  it('ends the old status\u2019s clock when the status changes', () => {
    const change = recorded(s54(), { type: 'status_changed', at: hoursAgo(1), status: 's5_2' });
    expect(change.clocks.find((c) => c.kind === 's5_4')).toMatchObject({ endedAt: hoursAgo(1), endReason: 'status_changed' });
    expect(change.armed.map((c) => c.kind)).toEqual(['s5_2']);
    expect(change.timeline.map((e) => e.type)).toEqual(['status_changed', 'clock_ended', 'clock_started']);
  });

  it('reads a v1 s5(4) detentionStart as the record for s5(5)', () => {
    const change = recorded(referral({ status: 's5_4', detentionStart: hoursAgo(3) }), { type: 'status_changed', at: hoursAgo(1), status: 's5_2' });
    expect(change.clocks.find((c) => c.kind === 's5_2')).toMatchObject({ startedAt: hoursAgo(3) });
  });

  it('takes the new status\u2019s start field from the event time when it is left out', () => {
    const change = recorded(referral({ status: 'none' }), { type: 'status_changed', at: hoursAgo(2), status: 's5_4' });
    expect(change.clocks).toEqual([expect.objectContaining({ kind: 's5_4', startedAt: hoursAgo(2), expiresAt: hoursAgo(-4) })]);
  });

  it('leaves a new s136 pending until arrival (s136(2A))', () => {
    const change = recorded(referral({ status: 'none' }), { type: 'status_changed', at: hoursAgo(1), status: 's136' });
    expect(change.clocks).toEqual([]);
    expect(change.timeline.at(-1)).toMatchObject({ type: 'clock_started', state: 'pending', awaits: 'arrived_at_place_of_safety' });
  });

  it('refuses a change to the status the referral already has', () => {
    expect(record(s54(), { type: 'status_changed', status: 's5_4' })).toMatchObject({ status: 409, error: 'same_status' });
  });

  it('names a start field that does not belong to the new status', () => {
    expect(parseReferralEvent({ type: 'status_changed', status: 's5_4', admittedAt: hoursAgo(1) }, NOW)).toMatchObject({ ok: false, issues: [{ path: 'admittedAt' }] });
  });
});

describe('admission and release', () => {
  const arrived = () => after(enRoute(), arrival(hoursAgo(3)));

  it('ends the place of safety clock on admission and starts s2\u2019s 28 days (s2(4))', () => {
    const change = recorded(arrived(), { type: 'admitted', at: hoursAgo(1), section: 's2' });
    expect(change.clocks.find((c) => c.kind === 's136')).toMatchObject({ endedAt: hoursAgo(1), endReason: 'admitted' });
    expect(change.clocks.find((c) => c.kind === 's2')).toMatchObject({ startEvent: 'admitted', startedAt: hoursAgo(1) });
    expect(change.legal).toEqual({ status: 's2', admittedAt: hoursAgo(1) });
  });

  it('starts s4\u2019s 72 hours from admission (s4(4))', () => {
    const change = recorded(arrived(), { type: 'admitted', at: hoursAgo(1), section: 's4' });
    expect(change.clocks.find((c) => c.kind === 's4')).toMatchObject({ expiresAt: hoursAgo(1 - 72) });
  });

  it('starts no clock for s3', () => {
    const change = recorded(arrived(), { type: 'admitted', at: hoursAgo(1), section: 's3' });
    expect(change.clocks.filter((c) => !c.endedAt)).toEqual([]);
    expect(change.armed).toEqual([]);
  });

  it('counts s2 after s4 from the s4 admission (s4(4): the detention continues under s2)', () => {
    const s4 = referral({ status: 's4', admittedAt: hoursAgo(30) });
    const change = recorded(s4, { type: 'admitted', at: hoursAgo(1), section: 's2' });
    expect(change.clocks.find((c) => c.kind === 's2')).toMatchObject({ startedAt: hoursAgo(30) });
    expect(change.timeline[0]).toMatchObject({ convertedFromS4: true });
  });

  it('refuses s2 after an s4 that has ceased to have effect (s4(4))', () => {
    expect(record(referral({ status: 's4', admittedAt: hoursAgo(80) }), { type: 'admitted', at: hoursAgo(1), section: 's2' })).toMatchObject({ status: 409, error: 's4_expired' });
  });

  it('ends the clock on release', () => {
    const change = recorded(arrived(), { type: 'released', at: hoursAgo(1) });
    expect(change.clocks[0]).toMatchObject({ endedAt: hoursAgo(1), endReason: 'released' });
    expect(change.legal.releasedAt).toBe(hoursAgo(1));
  });

  it('lets a pending clock never start once the person is released', () => {
    const released = after(enRoute(), { type: 'released', at: hoursAgo(1) });
    expect(record(released, arrival(hoursAgo(0))).ok).toBe(false);
    expect(record(released, { type: 'released' })).toMatchObject({ status: 409, error: 'already_ended' });
  });

  it('refuses a release when no power with a time limit holds the person', () => {
    expect(record(referral({ status: 's3' }), { type: 'released' })).toMatchObject({ status: 409, error: 'no_clock' });
  });
});

describe('any legal event', () => {
  it('refuses anything on a closed referral', () => {
    expect(record(referral({ status: 's136' }, { status: 'closed' }), arrival(hoursAgo(1)))).toMatchObject({ status: 409, error: 'closed' });
  });

  it('happens now when at is left out', () => {
    const change = recorded(enRoute(), { type: 'arrived_at_place_of_safety', placeKind: 'health_based', postcode: 'LS1 4AP' });
    expect(change.clocks[0]?.startedAt).toBe(NOW.toISOString());
  });

  it('refuses an event in the future beyond the clock skew, naming at', () => {
    expect(parseReferralEvent(arrival(hoursAgo(-1)), NOW)).toMatchObject({ ok: false, issues: [{ path: 'at', message: 'must not be in the future' }] });
    expect(parseReferralEvent(arrival(new Date(NOW.getTime() + 60_000).toISOString()), NOW).ok).toBe(true);
  });

  it('names an unknown type, and a bad field of a known one', () => {
    expect(parseReferralEvent({ type: 'teleported' }, NOW)).toMatchObject({ ok: false, issues: [{ path: 'type' }] });
    expect(parseReferralEvent(arrival(hoursAgo(1), { postcode: 'nowhere' }), NOW)).toMatchObject({ ok: false, issues: [{ path: 'postcode' }] });
  });

  it('lets the referrer report an arrival or a transfer, and nothing else', () => {
    const parsed = (type: string, extra: Record<string, unknown> = {}) => {
      const result = parseReferralEvent({ type, placeKind: 'health_based', postcode: 'LS1 4AP', ...extra }, NOW);
      if (!result.ok) throw new Error('expected a valid body');
      return result.value;
    };
    expect(mayRecord(parsed('arrived_at_place_of_safety'), 'referrer')).toBe(true);
    expect(mayRecord(parsed('transferred'), 'referrer')).toBe(true);
    const released = parseReferralEvent({ type: 'released' }, NOW);
    if (!released.ok) throw new Error('expected a valid body');
    expect(mayRecord(released.value, 'referrer')).toBe(false);
    expect(mayRecord(released.value, 'accepting_amhp')).toBe(true);
    expect(mayRecord(released.value, 'manager')).toBe(true);
    expect(mayRecord(released.value, null)).toBe(false);
  });
});
