import { describe, expect, it } from 'vitest';
import { applyReferralEvent, mayRecord, parseReferralEvent, type EventReferral, type EventResult } from '../../../shared/domain/referral-events/index.ts';
import { statutoryClocks } from '../../../shared/domain/clocks.ts';

/**
 * The events after the accept (SPEC "Contract v1.1": assessment, delays, relatives). Each rule of
 * their order is a row: what has happened, what is asked, and the refusal (or not).
 */

const NOW = new Date('2026-11-25T03:00:00Z');
const MIN = 60_000;
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * MIN).toISOString();
const context = { now: NOW, by: 'amhp-asha' };

type Body = Record<string, unknown>;

function accepted(extra: Partial<EventReferral> = {}): EventReferral {
  const legal = { status: 's136' as const };
  return { status: 'accepted', legal, clocks: statutoryClocks(legal), timeline: [{ at: minutesAgo(180), type: 'accepted', staffId: 'asha' }], ...extra };
}

function record(target: EventReferral, body: Body): EventResult {
  const parsed = parseReferralEvent(body, NOW);
  if (!parsed.ok) throw new Error(`expected a valid body: ${JSON.stringify(parsed.issues)}`);
  return applyReferralEvent(target, parsed.value, context);
}

/** Records each event in turn, as the use case stores them; throws at the first refusal. */
function after(...bodies: Body[]): EventReferral {
  return bodies.reduce<EventReferral>((target, body) => {
    const change = record(target, body);
    if (!change.ok) throw new Error(`expected ${String(body.type)} recorded: ${JSON.stringify(change)}`);
    return { ...target, legal: change.legal, clocks: change.clocks, timeline: [...target.timeline, ...change.timeline] };
  }, accepted());
}

const at = (type: string, minutes: number, fields: Body = {}) => ({ type, at: minutesAgo(minutes), ...fields });
const attending = at('attending', 170, { etaMinutes: 40 });
const s12Asked = at('doctor_requested', 165, { role: 's12' });
const started = at('assessment_started', 120);
const decided = (outcome: string, fields: Body = {}) => at('decision', 90, { outcome, ...fields });
const bedAsked = at('bed_requested', 80);
const bedFound = at('bed_identified', 60);
const ambulanceAsked = at('conveyance_requested', 50, { by: 'ambulance' });

describe('the order of the assessment', () => {
  const refusals: [string, Body[], Body, string][] = [
    ['an assessment cannot start before the AMHP is attending (s13(2): they interview the person)', [], at('assessment_started', 10), 'not_attending'],
    ['an assessment starts once', [attending, started], at('assessment_started', 10), 'already_started'],
    ['attending is over once the assessment has started', [attending, started], at('attending', 10), 'already_started'],
    ['a decision needs the assessment started', [attending], decided('application_s2'), 'not_started'],
    ['a decision is recorded once', [attending, started, decided('community_plan')], at('decision', 10, { outcome: 'application_s2' }), 'already_decided'],
    ['a doctor arrives after they were asked for', [], at('doctor_arrived', 10, { role: 's12' }), 'not_requested'],
    ['a doctor of one role is asked for once while awaited', [s12Asked], at('doctor_requested', 10, { role: 's12' }), 'already_requested'],
    ['a bed needs a decision', [attending, started], bedAsked, 'not_decided'],
    ['no bed is needed for a plan in the community', [attending, started, decided('community_plan')], bedAsked, 'no_admission'],
    ['no bed is needed after no further action', [attending, started, decided('no_further_action')], bedAsked, 'no_admission'],
    ['a bed is asked for once while none is found', [attending, started, decided('application_s2'), bedAsked], at('bed_requested', 10), 'already_requested'],
    ['a bed is found after it was asked for', [attending, started, decided('application_s2')], at('bed_identified', 10), 'not_requested'],
    ['a conveyance needs a bed found', [attending, started, decided('application_s2'), bedAsked], at('conveyance_requested', 10, { by: 'police' }), 'no_bed'],
    ['a conveyance is asked for once while awaited', [attending, started, decided('application_s2'), bedAsked, bedFound, ambulanceAsked], at('conveyance_requested', 10, { by: 'police' }), 'already_requested'],
    ['conveyed needs a conveyance asked for', [attending, started, decided('application_s2'), bedAsked, bedFound], at('conveyed', 10), 'not_requested'],
    ['conveyed is recorded once', [attending, started, decided('application_s2'), bedAsked, bedFound, ambulanceAsked, at('conveyed', 40)], at('conveyed', 10), 'already_conveyed'],
    ['an event cannot be dated before the one it follows', [attending], at('assessment_started', 175), 'before_earlier_event'],
    ['a decision cannot be dated before the assessment started', [attending, started], at('decision', 130, { outcome: 'application_s2' }), 'before_earlier_event'],
  ];

  it.each(refusals)('%s', (_rule, before, body, error) => {
    expect(record(after(...before), body)).toMatchObject({ ok: false, status: 409, error, message: expect.any(String) });
  });

  const allowed: [string, Body[], Body][] = [
    ['the referrer may be called back at any point', [attending, started], at('referrer_contacted', 10)],
    ['doctors may be asked for before the AMHP sets off', [], s12Asked],
    ['a new ETA may be sent while on the way', [attending], at('attending', 100, { etaMinutes: 20 })],
    ['a doctor arrives once asked for', [s12Asked], at('doctor_arrived', 100, { role: 's12' })],
    ['a doctor of the same role may be asked for again once the first arrived', [s12Asked, at('doctor_arrived', 150, { role: 's12' })], at('doctor_requested', 100, { role: 's12' })],
    ['an informal admission needs a bed', [attending, started, decided('informal_admission')], bedAsked],
    ['a bed that fell through is asked for again', [attending, started, decided('application_s2'), bedAsked, bedFound], at('bed_requested', 10)],
    ['a handover may happen at any stage', [attending], at('handed_over', 10, { to: 'day_service' })],
  ];

  it.each(allowed)('%s', (_rule, before, body) => {
    expect(record(after(...before), body)).toMatchObject({ ok: true });
  });

  it('records who, when it happened and the closed-list fields only, and leaves the clocks as they are', () => {
    const target = after();
    const change = record(target, attending);
    expect(change).toMatchObject({ ok: true, clocks: target.clocks, legal: target.legal, armed: [] });
    expect(change.ok && change.timeline).toEqual([{ at: NOW.toISOString(), type: 'attending', eventAt: minutesAgo(170), by: 'amhp-asha', etaMinutes: 40 }]);
  });

  it.each(['attending', 'delay_started', 'relative_consulted'])('refuses %s before anyone has accepted', (type) => {
    const body = { type, ...(type === 'delay_started' ? { reason: 'bed' } : type === 'relative_consulted' ? { role: 'nearest_relative', action: 'informed' } : {}) };
    expect(record(accepted({ status: 'paging', timeline: [] }), body)).toMatchObject({ status: 409, error: 'not_accepted' });
  });

  it('refuses anything on a closed referral', () => {
    expect(record(accepted({ status: 'closed' }), attending)).toMatchObject({ status: 409, error: 'closed' });
  });
});

describe('the nearest relative and the nominated person (MHA 1983 s11(4))', () => {
  const assessed = [attending, started];
  const relative = (role: string, action: string) => at('relative_consulted', 100, { role, action });
  const rows: [string, Body[], Body, string | null][] = [
    ["refuses an s3 application after the nearest relative's objection (s11(4)(a))", [relative('nearest_relative', 'objected')], decided('application_s3'), 'nearest_relative_objected'],
    ['keeps the objection after a later consultation (it stands without a clear change of mind)', [relative('nearest_relative', 'objected'), relative('nearest_relative', 'consulted')], decided('application_s3'), 'nearest_relative_objected'],
    ["does not bar an s2 application (s11(3): the relative is informed)", [relative('nearest_relative', 'objected')], decided('application_s2'), null],
    ['allows an s3 application after a consultation with no objection', [relative('nearest_relative', 'consulted')], decided('application_s3'), null],
    ["refuses an s3 after the nominated person's objection without the s11(4C) report (MHA 2025)", [relative('nominated_person', 'objected')], decided('application_s3'), 'nominated_person_objected'],
    ["allows it with the AMHP's report that the person would be likely to act dangerously (s11(4C))", [relative('nominated_person', 'objected')], decided('application_s3', { dangerReport: true }), null],
    ['the s11(4C) report does not lift a nearest relative\'s objection', [relative('nearest_relative', 'objected')], decided('application_s3', { dangerReport: true }), 'nearest_relative_objected'],
  ];

  it.each(rows)('%s', (_rule, relatives, body, error) => {
    const result = record(after(...assessed, ...relatives), body);
    if (error) expect(result).toMatchObject({ ok: false, status: 409, error });
    else expect(result).toMatchObject({ ok: true });
  });

  it('says why and cites the section', () => {
    const result = record(after(...assessed, relative('nearest_relative', 'objected')), decided('application_s3'));
    expect(result.ok ? '' : 'message' in result ? result.message : '').toMatch(/objected.*s11\(4\)/);
  });

  it('keeps only the role and the action, never who the relative is', () => {
    const result = record(after(), relative('nearest_relative', 'consulted'));
    expect(result.ok && result.timeline[0]).toEqual({ at: NOW.toISOString(), type: 'relative_consulted', eventAt: minutesAgo(100), by: 'amhp-asha', role: 'nearest_relative', action: 'consulted' });
    expect(parseReferralEvent({ type: 'relative_consulted', role: 'nearest_relative', action: 'consulted', name: 'Pat' }, NOW)).toMatchObject({ ok: false, issues: [{ path: 'name' }] });
  });
});

describe('delays', () => {
  const bedDelay = at('delay_started', 60, { reason: 'bed' });
  const rows: [string, Body[], Body, string | null][] = [
    ['a delay starts for a reason', [], bedDelay, null],
    ['a second open delay of the same reason is refused', [bedDelay], at('delay_started', 30, { reason: 'bed' }), 'delay_open'],
    ['delays of different reasons may be open together', [bedDelay], at('delay_started', 30, { reason: 'ambulance' }), null],
    ['a delay ends once it has started', [bedDelay], at('delay_ended', 10, { reason: 'bed' }), null],
    ['ending a delay no one started is refused', [], at('delay_ended', 10, { reason: 'bed' }), 'no_open_delay'],
    ['ending a delay of another reason is refused', [bedDelay], at('delay_ended', 10, { reason: 'police' }), 'no_open_delay'],
    ['a delay cannot end before it started', [bedDelay], at('delay_ended', 70, { reason: 'bed' }), 'before_earlier_event'],
    ['the same reason may start again once ended', [bedDelay, at('delay_ended', 40, { reason: 'bed' })], at('delay_started', 10, { reason: 'bed' }), null],
  ];

  it.each(rows)('%s', (_rule, before, body, error) => {
    const result = record(after(...before), body);
    if (error) expect(result).toMatchObject({ ok: false, status: 409, error });
    else expect(result).toMatchObject({ ok: true });
  });

  it('names the field of an unknown reason', () => {
    expect(parseReferralEvent({ type: 'delay_started', reason: 'traffic' }, NOW)).toMatchObject({ ok: false, issues: [{ path: 'reason' }] });
  });
});

describe('who may record them', () => {
  const types = ['attending', 'decision', 'handed_over', 'delay_started', 'relative_consulted'];
  const bodies: Record<string, Body> = {
    attending: {},
    decision: { outcome: 'application_s2' },
    handed_over: { to: 'day_service' },
    delay_started: { reason: 'bed' },
    relative_consulted: { role: 'nearest_relative', action: 'informed' },
  };
  it.each(types)('the accepting AMHP and the managers record %s; the referrer does not', (type) => {
    const parsed = parseReferralEvent({ type, ...bodies[type] }, NOW);
    if (!parsed.ok) throw new Error('expected a valid body');
    expect([mayRecord(parsed.value, 'accepting_amhp'), mayRecord(parsed.value, 'manager'), mayRecord(parsed.value, 'referrer'), mayRecord(parsed.value, null)]).toEqual([true, true, false, false]);
  });
});

describe('the bodies', () => {
  const issues: [string, Body, string][] = [
    ['an ETA past 10 hours', { type: 'attending', etaMinutes: 601 }, 'etaMinutes'],
    ['an ETA that is not whole minutes', { type: 'attending', etaMinutes: 12.5 }, 'etaMinutes'],
    ['a doctor of no known role', { type: 'doctor_requested', role: 'gp' }, 'role'],
    ['a decision with no outcome', { type: 'decision' }, 'outcome'],
    ['a conveyance by nobody', { type: 'conveyance_requested' }, 'by'],
    ['a handover to a team with no team', { type: 'handed_over', to: 'team' }, 'teamId'],
    ['a handover to the day service naming a team', { type: 'handed_over', to: 'day_service', teamId: 'leeds' }, 'teamId'],
    ['an event in the future', { type: 'assessment_started', at: '2026-11-25T04:00:00Z' }, 'at'],
  ];
  it.each(issues)('name the field of %s', (_what, body, path) => {
    expect(parseReferralEvent(body, NOW)).toMatchObject({ ok: false, issues: [expect.objectContaining({ path })] });
  });

  it('default the time to now', () => {
    expect(parseReferralEvent({ type: 'referrer_contacted' }, NOW)).toMatchObject({ ok: true, value: { event: { at: NOW.toISOString() } } });
  });
});
