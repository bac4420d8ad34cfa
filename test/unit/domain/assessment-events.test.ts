import { describe, expect, it } from 'vitest';
import { statutoryClocks } from '../../../shared/domain/clocks.ts';
import { applyReferralEvent, mayRecord, parseReferralEvent, type EventReferral, type EventResult } from '../../../shared/domain/referral-events/index.ts';
import { referralDelays, referralStage } from '../../../shared/domain/stage.ts';
import type { TimelineEntry } from '../../../shared/domain/types.ts';

/** The assessment, delay and relatives events (SPEC "Contract v1.1"): order, stage, delays and s11(4). */

const NOW = new Date('2026-12-03T03:00:00Z');
const MINUTE = 60_000;
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * MINUTE).toISOString();
const context = { now: NOW, by: 'amhp-asha' };
const ACCEPTED_AT = minutesAgo(120);

function accepted(extra: Partial<EventReferral> = {}): EventReferral {
  const legal = { status: 's136' as const, placeOfSafety: { kind: 'health_based' as const, arrivedAt: minutesAgo(150) } };
  const timeline: TimelineEntry[] = [
    { at: minutesAgo(140), type: 'received' },
    { at: minutesAgo(139), type: 'routed' },
    { at: minutesAgo(138), type: 'paged' },
    { at: ACCEPTED_AT, type: 'accepted', staffId: 'amhp-asha' },
  ];
  return { status: 'accepted', legal, clocks: statutoryClocks(legal), timeline, ...extra };
}

function record(target: EventReferral, body: Record<string, unknown>): EventResult {
  const parsed = parseReferralEvent(body, NOW);
  if (!parsed.ok) throw new Error(`expected a valid body: ${JSON.stringify(parsed.issues)}`);
  return applyReferralEvent(target, parsed.value, context);
}

/** Applies each event in turn, as the use case stores it; throws at the first refusal. */
function after(target: EventReferral, ...bodies: Record<string, unknown>[]): EventReferral {
  return bodies.reduce((current, body) => {
    const change = record(current, body);
    if (!change.ok) throw new Error(`expected ${String(body.type)} recorded: ${JSON.stringify(change)}`);
    return { ...current, legal: change.legal, clocks: change.clocks, timeline: [...current.timeline, ...change.timeline] };
  }, target);
}

const refusal = (target: EventReferral, body: Record<string, unknown>) => {
  const result = record(target, body);
  if (result.ok) throw new Error(`expected ${String(body.type)} refused`);
  return result;
};

const ev = (type: string, minutes: number, extra: Record<string, unknown> = {}) => ({ type, at: minutesAgo(minutes), ...extra });
const assessed = () => after(accepted(), ev('attending', 100, { etaMinutes: 30 }), ev('assessment_started', 60));
const admitting = () => after(assessed(), ev('decision', 40, { outcome: 'application_s2' }));

describe('the stage follows the events', () => {
  it.each([
    [[], 'accepted', ACCEPTED_AT],
    [[ev('referrer_contacted', 110)], 'referrer_contacted', minutesAgo(110)],
    [[ev('attending', 100, { etaMinutes: 30 })], 'attending', minutesAgo(100)],
    [[ev('attending', 100), ev('doctor_requested', 90, { role: 's12' })], 'awaiting_doctors', minutesAgo(90)],
    [[ev('attending', 100), ev('doctor_arrived', 70, { role: 's12' })], 'attending', minutesAgo(100)],
    [[ev('assessment_started', 60), ev('doctor_requested', 55, { role: 'second' })], 'assessing', minutesAgo(60)],
    [[ev('assessment_started', 60), ev('decision', 40, { outcome: 'application_s2' })], 'decided', minutesAgo(40)],
    [[ev('assessment_started', 60), ev('decision', 40, { outcome: 'application_s2' }), ev('bed_requested', 35), ev('bed_identified', 20)], 'bed_identified', minutesAgo(20)],
    [[ev('handed_over', 5, { to: 'day_service' })], 'handed_over', minutesAgo(5)],
  ])('%j → %s since the event happened', (events, stage, since) => {
    expect(referralStage('accepted', after(accepted(), ...events).timeline)).toEqual({ stage, stageSince: since });
  });

  it('is the status before the accept: paging since the first page of the current routing', () => {
    const timeline: TimelineEntry[] = [
      { at: minutesAgo(10), type: 'received' },
      { at: minutesAgo(9), type: 'routed' },
      { at: minutesAgo(8), type: 'paged' },
      { at: minutesAgo(2), type: 'paged' },
    ];
    expect(referralStage('paging', timeline)).toEqual({ stage: 'paging', stageSince: minutesAgo(8) });
    expect(referralStage('received', timeline.slice(0, 1))).toEqual({ stage: 'received', stageSince: minutesAgo(10) });
  });

  it('reaches admitted through the legal admission, which also ends the s136 clock', () => {
    const conveyed = after(
      admitting(),
      ev('bed_requested', 35),
      ev('bed_identified', 25),
      ev('conveyance_requested', 20, { by: 'ambulance' }),
      ev('conveyed', 10),
      ev('admitted', 5, { section: 's2' }),
    );
    expect(referralStage('accepted', conveyed.timeline)).toEqual({ stage: 'admitted', stageSince: minutesAgo(5) });
    expect(conveyed.clocks.find((clock) => clock.kind === 's136')).toMatchObject({ endedAt: minutesAgo(5), endReason: 'admitted' });
  });
});

describe('events out of order are refused with the reason', () => {
  it.each([
    ['a decision before the assessment started', () => accepted(), ev('decision', 10, { outcome: 'community_plan' }), 'assessment_not_started', /s13\(2\)/],
    ['a second decision', () => admitting(), ev('decision', 10, { outcome: 'community_plan' }), 'already_recorded', /decision is already recorded/],
    ['the assessment started twice', () => assessed(), ev('assessment_started', 10), 'already_recorded', /assessment started is already recorded/],
    ['attending once the assessment has started', () => assessed(), ev('attending', 10), 'assessment_started', /already there/],
    ['a bed for a community plan', () => after(assessed(), ev('decision', 30, { outcome: 'community_plan' })), ev('bed_requested', 10), 'no_admission_decided', /decision to apply/],
    ['a bed before any decision', () => assessed(), ev('bed_requested', 10), 'no_admission_decided', /decision to apply/],
    ['a bed identified before it was requested', () => admitting(), ev('bed_identified', 10), 'bed_not_requested', /bed request first/],
    ['conveyance with no bed', () => after(admitting(), ev('bed_requested', 30)), ev('conveyance_requested', 10, { by: 'ambulance' }), 'no_bed', /s11\(2\)/],
    ['conveyed before conveyance was requested', () => admitting(), ev('conveyed', 10), 'conveyance_not_requested', /conveyance request first/],
    ['a doctor requested after the decision', () => admitting(), ev('doctor_requested', 10, { role: 's12' }), 'already_decided', /decision is recorded/],
    ['the same doctor requested twice', () => after(accepted(), ev('doctor_requested', 90, { role: 's12' })), ev('doctor_requested', 10, { role: 's12' }), 'already_requested', /s12-approved doctor has already been requested/],
    ['the same doctor arriving twice', () => after(accepted(), ev('doctor_arrived', 90, { role: 'second' })), ev('doctor_arrived', 10, { role: 'second' }), 'already_arrived', /second doctor has already arrived/],
    ['an event dated before the last one', () => assessed(), ev('referrer_contacted', 80), 'before_earlier_event', /assessment started was recorded as happening at/],
    ['an event dated before the accept', () => accepted(), ev('attending', 130), 'before_accept', /accepted at/],
    ['the referrer contacted twice', () => after(accepted(), ev('referrer_contacted', 100)), ev('referrer_contacted', 90), 'already_recorded', /referrer contacted is already recorded/],
  ])('%s', (_name, target, body, error, message) => {
    const result = refusal(target(), body);
    expect(result).toMatchObject({ status: 409, error });
    expect(result.status === 409 && result.message).toMatch(message);
  });

  it('refuses every assessment event before the referral is accepted', () => {
    const paging = { ...accepted(), status: 'paging' as const, timeline: accepted().timeline.slice(0, 3) };
    for (const body of [ev('attending', 10), ev('delay_started', 10, { reason: 'bed' }), ev('relative_consulted', 10, { role: 'nearest_relative', action: 'informed' })]) {
      expect(refusal(paging, body)).toMatchObject({ status: 409, error: 'not_accepted' });
    }
  });

  it('takes a new estimate from a second attending before the assessment', () => {
    const later = after(accepted(), ev('attending', 100, { etaMinutes: 30 }), ev('attending', 80, { etaMinutes: 20 }));
    expect(later.timeline.filter((entry) => entry.type === 'attending').map((entry) => entry.etaMinutes)).toEqual([30, 20]);
  });

  it('records who and when on each entry, and nothing of the person', () => {
    const [attending] = after(accepted(), ev('attending', 100, { etaMinutes: 30 })).timeline.slice(-1);
    expect(attending).toEqual({ at: NOW.toISOString(), type: 'attending', eventAt: minutesAgo(100), by: 'amhp-asha', etaMinutes: 30 });
  });
});

describe('delays', () => {
  it('lists each delay with its reason, start and end; one still open has no end', () => {
    const delayed = after(accepted(), ev('delay_started', 100, { reason: 's12_doctor' }), ev('delay_started', 90, { reason: 'bed' }), ev('delay_ended', 50, { reason: 's12_doctor' }));
    expect(referralDelays(delayed.timeline)).toEqual([
      { reason: 's12_doctor', startedAt: minutesAgo(100), endedAt: minutesAgo(50) },
      { reason: 'bed', startedAt: minutesAgo(90) },
    ]);
  });

  it('refuses a second open delay of the same reason, an end with none open, and an end before the start', () => {
    const delayed = after(accepted(), ev('delay_started', 100, { reason: 'ambulance' }));
    expect(refusal(delayed, ev('delay_started', 90, { reason: 'ambulance' }))).toMatchObject({ status: 409, error: 'delay_open' });
    expect(refusal(accepted(), ev('delay_ended', 90, { reason: 'police' }))).toMatchObject({ status: 409, error: 'no_open_delay' });
    expect(refusal(delayed, ev('delay_ended', 110, { reason: 'ambulance' }))).toMatchObject({ status: 409, error: 'before_delay_start' });
  });

  it('allows the same reason again once the first delay has ended', () => {
    const again = after(accepted(), ev('delay_started', 100, { reason: 'bed' }), ev('delay_ended', 80, { reason: 'bed' }), ev('delay_started', 60, { reason: 'bed' }));
    expect(referralDelays(again.timeline)).toHaveLength(2);
  });
});

describe('the nearest relative and an s3 application (MHA 1983 s11(4))', () => {
  const objected = (role: string) => after(assessed(), ev('relative_consulted', 50, { role, action: 'objected' }));

  it('refuses an s3 decision after the nearest relative objected, saying why and what may be done', () => {
    const result = refusal(objected('nearest_relative'), ev('decision', 10, { outcome: 'application_s3' }));
    expect(result).toMatchObject({ status: 409, error: 'nearest_relative_objected' });
    expect(result.status === 409 && result.message).toMatch(/s11\(4\).*s2 application.*displace.*s29/);
  });

  it('still refuses it after a later consultation: an objection stands until withdrawn', () => {
    const consultedAgain = after(objected('nearest_relative'), ev('relative_consulted', 30, { role: 'nearest_relative', action: 'consulted' }));
    expect(refusal(consultedAgain, ev('decision', 10, { outcome: 'application_s3' }))).toMatchObject({ error: 'nearest_relative_objected' });
  });

  it('does not bar an s2 application, nor an s3 one after informing or consulting', () => {
    expect(record(objected('nearest_relative'), ev('decision', 10, { outcome: 'application_s2' }))).toMatchObject({ ok: true });
    const consulted = after(assessed(), ev('relative_consulted', 50, { role: 'nearest_relative', action: 'consulted' }));
    expect(record(consulted, ev('decision', 10, { outcome: 'application_s3' }))).toMatchObject({ ok: true });
  });

  it("lets a nominated person's objection be overridden only with the AMHP's danger report (s11(4C), MHA 2025)", () => {
    expect(refusal(objected('nominated_person'), ev('decision', 10, { outcome: 'application_s3' }))).toMatchObject({ error: 'nominated_person_objected' });
    expect(record(objected('nominated_person'), ev('decision', 10, { outcome: 'application_s3', dangerReport: true }))).toMatchObject({ ok: true });
  });

  it('refuses an objection dated after the decision was made', () => {
    const decided = after(assessed(), ev('decision', 40, { outcome: 'application_s3' }));
    expect(refusal(decided, ev('relative_consulted', 10, { role: 'nearest_relative', action: 'objected' }))).toMatchObject({ status: 409, error: 'already_decided' });
  });
});

describe('who records them, and bad bodies', () => {
  it('lets the accepting AMHP and managers record them, never the referrer', () => {
    for (const body of [ev('attending', 10), ev('delay_started', 10, { reason: 'bed' }), ev('relative_consulted', 10, { role: 'nearest_relative', action: 'informed' })]) {
      const parsed = parseReferralEvent(body, NOW);
      if (!parsed.ok) throw new Error('expected a valid body');
      expect([mayRecord(parsed.value, 'accepting_amhp'), mayRecord(parsed.value, 'manager'), mayRecord(parsed.value, 'referrer'), mayRecord(parsed.value, null)]).toEqual([true, true, false, false]);
    }
  });

  it.each([
    [{ type: 'doctor_requested', role: 'vet' }, 'role'],
    [{ type: 'decision', outcome: 'maybe' }, 'outcome'],
    [{ type: 'attending', etaMinutes: -5 }, 'etaMinutes'],
    [{ type: 'delay_started', reason: 'traffic' }, 'reason'],
    [{ type: 'relative_consulted', role: 'nearest_relative', action: 'shrugged' }, 'action'],
    [{ type: 'handed_over', to: 'team' }, 'teamId'],
    [{ type: 'conveyance_requested', by: 'taxi' }, 'by'],
    [{ type: 'assessment_started', at: new Date(NOW.getTime() + 3_600_000).toISOString() }, 'at'],
  ])('%j → 400 naming %s', (body, path) => {
    const parsed = parseReferralEvent(body, NOW);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.issues.map((issue) => issue.path)).toContain(path);
  });
});
