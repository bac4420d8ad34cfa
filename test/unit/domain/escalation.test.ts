import { describe, it, expect } from 'vitest';
import { buildChain, onAccept, onAckTimeout, onDecline, onHandedOver, pageByHand, startEscalation } from '../../../shared/domain/escalation.ts';
import type { EscalationChain, EscalationDecision, EscalationState, OnCall, Team } from '../../../shared/domain/types.ts';

const team: Team = {
  id: 'leeds',
  name: 'Leeds EDT',
  areas: ['LS1'],
  escalation: { ackTimeoutSeconds: 600, repeat: 1 },
  continuity: 'ignore',
  fallbackPhone: '+441134960000',
};

const t0 = new Date('2025-11-26T02:00:00Z');
const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const everyone: OnCall = { primary: 'amy', secondary: 'ben', manager: 'mo' };

const chainOf = (onCall: OnCall, policy: Partial<Team['escalation']> = {}) =>
  buildChain({ ...team, escalation: { ...team.escalation, ...policy } }, onCall);

/** Deep-frozen, so any mutation of an input throws. */
function frozen<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) frozen(inner);
    Object.freeze(value);
  }
  return value;
}

const paged = (d: EscalationDecision) => d.actions.flatMap((a) => (a.kind === 'page' ? [a.staffId] : []));
const types = (d: EscalationDecision) => d.timeline.map((e) => e.type);

function ok<T extends { ok: boolean }>(outcome: T): Extract<T, { ok: true }> {
  if (!outcome.ok) throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  return outcome as Extract<T, { ok: true }>;
}

describe('buildChain', () => {
  it('steps through primary, secondary and manager with who held each at routing time', () => {
    expect(buildChain(team, everyone)).toEqual({
      steps: [
        { position: 'primary', staffId: 'amy' },
        { position: 'secondary', staffId: 'ben' },
        { position: 'manager', staffId: 'mo' },
      ],
      ackTimeoutSeconds: 600,
      repeat: 1,
      managerStaffId: 'mo',
      fallbackPhone: '+441134960000',
    });
  });

  it('records an empty position as a null step and no fallback as null', () => {
    const { fallbackPhone: _, ...noFallback } = team;
    const chain = buildChain(noFallback, { secondary: 'ben' });
    expect(chain.steps.map((s) => s.staffId)).toEqual([null, 'ben', null]);
    expect(chain).toMatchObject({ managerStaffId: null, fallbackPhone: null });
  });
});

describe('startEscalation', () => {
  it('pages the first step and starts its acknowledgement timer', () => {
    const decision = startEscalation(chainOf(everyone), t0);
    expect(decision.state).toEqual({
      status: 'paging',
      round: 0,
      step: 0,
      pageSeq: 1,
      pages: [{ staffId: 'amy', position: 'primary', pageSeq: 1, round: 0, at: t0.toISOString() }],
      declinedBy: [],
    });
    expect(decision.actions).toEqual([
      { kind: 'page', staffId: 'amy', position: 'primary', pageSeq: 1, round: 0 },
      { kind: 'start-timer', pageSeq: 1, dueAt: '2025-11-26T02:10:00.000Z' },
    ]);
    expect(decision.timeline).toEqual([{ at: t0.toISOString(), type: 'paged', staffId: 'amy', position: 'primary', round: 0, pageSeq: 1 }]);
  });

  it('skips a step with no one on duty and records it', () => {
    const decision = startEscalation(chainOf({ secondary: 'ben', manager: 'mo' }), t0);
    expect(paged(decision)).toEqual(['ben']);
    expect(decision.timeline[0]).toEqual({ at: t0.toISOString(), type: 'no_one_on_duty', position: 'primary', round: 0 });
    expect(decision.state.step).toBe(1);
  });

  it('alerts the manager and fallback at once when nobody is on duty, saying nobody was paged, without repeating empty rounds', () => {
    const decision = startEscalation(chainOf({}, { repeat: 5 }), t0);
    expect(decision.state.status).toBe('exhausted');
    expect(types(decision)).toEqual(['no_one_on_duty', 'no_one_on_duty', 'no_one_on_duty', 'nobody_to_page', 'chain_exhausted', 'fallback_alerted']);
    expect(decision.actions).toEqual([{ kind: 'alert-fallback', managerStaffId: null, fallbackPhone: '+441134960000', nobodyPaged: true }]);
  });

  it('does not put the fallback number on the timeline, which referrers can read', () => {
    const decision = startEscalation(chainOf({}), t0);
    expect(JSON.stringify(decision.timeline)).not.toContain('+44');
    expect(decision.timeline.at(-1)).toMatchObject({ type: 'fallback_alerted', fallbackPhone: true });
  });

  it('exhausts an empty chain', () => {
    const chain: EscalationChain = { steps: [], ackTimeoutSeconds: 60, repeat: 3, managerStaffId: null, fallbackPhone: null };
    expect(startEscalation(chain, t0).state.status).toBe('exhausted');
  });
});

describe('onAckTimeout', () => {
  const chain = chainOf(everyone);
  const first = startEscalation(chain, t0);

  it('records the timeout and pages the next step', () => {
    const decision = onAckTimeout(first.state, chain, 1, later(10));
    expect(types(decision)).toEqual(['ack_timeout', 'paged']);
    expect(decision.timeline[0]).toMatchObject({ staffId: 'amy', pageSeq: 1 });
    expect(paged(decision)).toEqual(['ben']);
    expect(decision.state.pageSeq).toBe(2);
    expect(decision.actions[1]).toEqual({ kind: 'start-timer', pageSeq: 2, dueAt: '2025-11-26T02:20:00.000Z' });
  });

  it('ignores a stale timer: a duplicate or late timer never pages twice', () => {
    const second = onAckTimeout(first.state, chain, 1, later(10));
    const again = onAckTimeout(second.state, chain, 1, later(11));
    expect(again).toEqual({ state: second.state, actions: [], timeline: [] });
  });

  it('ignores a timer once the referral is accepted', () => {
    const accepted = ok(onAccept(first.state, 'amy', later(1))).decision.state;
    expect(onAckTimeout(accepted, chain, 1, later(10))).toEqual({ state: accepted, actions: [], timeline: [] });
  });

  it('walks the chain again for each repeat, then alerts manager and fallback', () => {
    let state = first.state;
    const pagedInOrder = ['amy'];
    let decision: EscalationDecision = first;
    for (let minute = 10; state.status === 'paging'; minute += 10) {
      decision = onAckTimeout(state, chain, state.pageSeq, later(minute));
      pagedInOrder.push(...paged(decision));
      state = decision.state;
    }
    expect(pagedInOrder).toEqual(['amy', 'ben', 'mo', 'amy', 'ben', 'mo']);
    expect(state).toMatchObject({ status: 'exhausted', round: 1, pageSeq: 6 });
    expect(types(decision)).toEqual(['ack_timeout', 'chain_exhausted', 'fallback_alerted']);
    expect(decision.actions).toEqual([{ kind: 'alert-fallback', managerStaffId: 'mo', fallbackPhone: '+441134960000' }]);
  });

  it('marks the round on every page', () => {
    const noRepeat = chainOf({ primary: 'amy' }, { repeat: 2 });
    let state = startEscalation(noRepeat, t0).state;
    state = onAckTimeout(state, noRepeat, 1, later(10)).state;
    expect(state.pages.map((p) => p.round)).toEqual([0, 1]);
  });

  it('ignores a timer after the chain is exhausted', () => {
    const lone = chainOf({ primary: 'amy' }, { repeat: 0 });
    const exhausted = onAckTimeout(startEscalation(lone, t0).state, lone, 1, later(10)).state;
    expect(exhausted.status).toBe('exhausted');
    expect(onAckTimeout(exhausted, lone, 1, later(20)).actions).toEqual([]);
  });
});

describe('onHandedOver', () => {
  const chain = chainOf(everyone);
  const first = startEscalation(chain, t0);

  it('stops a chain still paging: nobody more is paged, no alert, and whoever holds a page is stood down', () => {
    const decision = onHandedOver(frozen(first.state), 'day_service');
    expect(decision.state).toEqual({ ...first.state, status: 'exhausted' });
    expect(decision.actions).toEqual([{ kind: 'stand-down-handed-over', to: 'day_service' }]);
    expect(decision.timeline).toEqual([]);
    // Its timer, when it fires, finds the chain over.
    expect(onAckTimeout(decision.state, chain, first.state.pageSeq, later(10))).toEqual({ state: decision.state, actions: [], timeline: [] });
    // Someone paged may still accept, and a manager may still page by hand.
    expect(ok(onAccept(decision.state, 'amy', later(11))).decision.state).toMatchObject({ status: 'accepted', acceptedBy: 'amy' });
    expect(ok(pageByHand(decision.state, chain, 'ben', later(11), 'mo')).decision.actions.some((a) => a.kind === 'start-timer')).toBe(false);
  });

  it('changes nothing once someone has accepted, or the chain has run out', () => {
    const accepted = ok(onAccept(first.state, 'amy', later(1))).decision.state;
    expect(onHandedOver(accepted, 'team')).toEqual({ state: accepted, actions: [], timeline: [] });
    const lone = chainOf({ primary: 'amy' }, { repeat: 0 });
    const exhausted = onAckTimeout(startEscalation(lone, t0).state, lone, 1, later(10)).state;
    expect(onHandedOver(exhausted, 'day_service')).toEqual({ state: exhausted, actions: [], timeline: [] });
  });
});

describe('onDecline', () => {
  const chain = chainOf(everyone);
  const first = startEscalation(chain, t0);

  it('pages the next step at once when the current page is declined', () => {
    const { decision } = ok(onDecline(first.state, chain, 'amy', 'on leave', later(2)));
    expect(types(decision)).toEqual(['declined', 'paged']);
    expect(paged(decision)).toEqual(['ben']);
    expect(decision.state.declinedBy).toEqual(['amy']);
  });

  it('records only that a reason was given, never the reason itself', () => {
    const withReason = ok(onDecline(first.state, chain, 'amy', 'I know Alex from school', later(2))).decision;
    expect(withReason.timeline[0]).toEqual({ at: later(2).toISOString(), type: 'declined', staffId: 'amy', round: 0, pageSeq: 1, reasonGiven: true });
    expect(JSON.stringify(withReason)).not.toContain('Alex');
    const without = ok(onDecline(first.state, chain, 'amy', '  ', later(2))).decision;
    expect(without.timeline[0]).toMatchObject({ reasonGiven: false });
  });

  it('skips a decliner in later rounds and records why', () => {
    const lone = chainOf({ primary: 'amy', secondary: 'ben' }, { repeat: 1 });
    const afterDecline = ok(onDecline(startEscalation(lone, t0).state, lone, 'amy', undefined, later(1))).decision;
    const nextRound = onAckTimeout(afterDecline.state, lone, afterDecline.state.pageSeq, later(11));
    expect(nextRound.timeline).toContainEqual({ at: later(11).toISOString(), type: 'skipped', position: 'primary', staffId: 'amy', round: 1, reason: 'declined' });
    expect(paged(nextRound)).toEqual(['ben']);
  });

  it('records a decline of an earlier page without paging anyone new', () => {
    const second = onAckTimeout(first.state, chain, 1, later(10));
    const { decision } = ok(onDecline(second.state, chain, 'amy', undefined, later(12)));
    expect(decision.actions).toEqual([]);
    expect(types(decision)).toEqual(['declined']);
    expect(decision.state).toEqual({ ...second.state, declinedBy: ['amy'] });
  });

  it('exhausts the chain when the last pageable person declines', () => {
    const lone = chainOf({ primary: 'amy' }, { repeat: 3 });
    const { decision } = ok(onDecline(startEscalation(lone, t0).state, lone, 'amy', undefined, later(1)));
    expect(decision.state.status).toBe('exhausted');
    expect(decision.actions.map((a) => a.kind)).toEqual(['alert-fallback']);
  });

  it('refuses someone who was never paged for the referral', () => {
    expect(onDecline(first.state, chain, 'ben', undefined, later(1))).toEqual({ ok: false, error: 'not-paged' });
  });

  it('refuses a decline once the referral is accepted', () => {
    const second = onAckTimeout(first.state, chain, 1, later(10));
    const accepted = ok(onAccept(second.state, 'ben', later(11))).decision.state;
    expect(onDecline(accepted, chain, 'amy', undefined, later(12))).toEqual({ ok: false, error: 'closed' });
  });

  it('treats a repeated decline as done, with nothing new', () => {
    const once = ok(onDecline(first.state, chain, 'amy', undefined, later(1))).decision.state;
    expect(onDecline(once, chain, 'amy', undefined, later(2))).toEqual({ ok: true, decision: { state: once, actions: [], timeline: [] } });
  });
});

describe('onAccept', () => {
  const chain = chainOf(everyone);
  const first = startEscalation(chain, t0);

  it('accepts, stops escalation and tells the referrer', () => {
    const { decision } = ok(onAccept(first.state, 'amy', later(3)));
    expect(decision.state).toMatchObject({ status: 'accepted', acceptedBy: 'amy', acceptedAt: later(3).toISOString() });
    expect(decision.actions).toEqual([{ kind: 'notify-referrer-accepted', staffId: 'amy' }]);
    expect(decision.timeline).toEqual([
      { at: later(3).toISOString(), type: 'accepted', staffId: 'amy', round: 0, pageSeq: 1, afterExhaustion: false },
    ]);
  });

  it('lets someone paged earlier accept after the chain moved on', () => {
    const second = onAckTimeout(first.state, chain, 1, later(10));
    expect(ok(onAccept(second.state, 'amy', later(12))).decision.state.acceptedBy).toBe('amy');
  });

  it('counts a late accept after the chain is exhausted', () => {
    const lone = chainOf({ primary: 'amy' }, { repeat: 0 });
    const exhausted = onAckTimeout(startEscalation(lone, t0).state, lone, 1, later(10)).state;
    const { decision } = ok(onAccept(exhausted, 'amy', later(30)));
    expect(decision.state.status).toBe('accepted');
    expect(decision.timeline[0]).toMatchObject({ afterExhaustion: true });
  });

  it('refuses someone who was never paged', () => {
    expect(onAccept(first.state, 'mo', later(1))).toEqual({ ok: false, error: 'not-paged' });
  });

  it('refuses someone who declined', () => {
    const declined = ok(onDecline(first.state, chain, 'amy', undefined, later(1))).decision.state;
    expect(onAccept(declined, 'amy', later(2))).toEqual({ ok: false, error: 'declined' });
  });

  it('refuses a second person once someone has accepted', () => {
    const second = onAckTimeout(first.state, chain, 1, later(10));
    const accepted = ok(onAccept(second.state, 'ben', later(11))).decision.state;
    expect(onAccept(accepted, 'amy', later(12))).toEqual({ ok: false, error: 'already-accepted' });
  });

  it('is idempotent for the person who accepted', () => {
    const accepted = ok(onAccept(first.state, 'amy', later(1))).decision.state;
    expect(onAccept(accepted, 'amy', later(2))).toEqual({ ok: true, decision: { state: accepted, actions: [], timeline: [] } });
  });
});

describe('purity', () => {
  it('never mutates the state or chain it is given', () => {
    const chain = frozen(chainOf(everyone));
    const start = startEscalation(chain, t0);
    const state: EscalationState = frozen(start.state);
    expect(() => {
      onAckTimeout(state, chain, 1, later(10));
      onDecline(state, chain, 'amy', 'busy', later(1));
      onAccept(state, 'amy', later(1));
    }).not.toThrow();
    expect(state.pages).toHaveLength(1);
    expect(state.declinedBy).toEqual([]);
  });
});

describe('pageByHand (a manager pages someone now)', () => {
  it('makes the page the one in hand, with its timer, and the chain goes on from where it was when unanswered', () => {
    const chain = chainOf({ primary: 'amy', secondary: 'ben' });
    const first = startEscalation(chain, t0);
    const byHand = ok(pageByHand(frozen(first.state), chain, 'cat', later(1), 'mo')).decision;
    expect(byHand.actions.map((a) => a.kind)).toEqual(['page', 'start-timer']);
    expect(byHand.timeline).toEqual([expect.objectContaining({ type: 'paged', staffId: 'cat', position: 'named', byHand: true, by: 'mo', pageSeq: 2 })]);
    expect(byHand.state).toMatchObject({ status: 'paging', pageSeq: 2, step: first.state.step });
    expect(paged(onAckTimeout(byHand.state, chain, 1, later(11)))).toEqual([]);
    expect(paged(onAckTimeout(byHand.state, chain, 2, later(11)))).toEqual(['ben']);
    expect(ok(onAccept(byHand.state, 'cat', later(2))).decision.state).toMatchObject({ status: 'accepted', acceptedBy: 'cat' });
  });

  it('pages with no timer after the chain ran out, leaving it exhausted until someone accepts', () => {
    const chain = chainOf({}, { repeat: 0 });
    const exhausted = startEscalation(chain, t0);
    const byHand = ok(pageByHand(exhausted.state, chain, 'cat', later(5), 'mo')).decision;
    expect(byHand.actions.map((a) => a.kind)).toEqual(['page']);
    expect(byHand.state.status).toBe('exhausted');
    expect(ok(onAccept(byHand.state, 'cat', later(6))).decision.state.status).toBe('accepted');
  });

  it('refuses once accepted, and for someone who declined or declared a conflict', () => {
    const chain = chainOf({ primary: 'amy', secondary: 'ben' });
    const first = startEscalation(chain, t0);
    const declined = ok(onDecline(first.state, chain, 'amy', undefined, later(1), { conflict: true })).decision.state;
    expect(pageByHand(declined, chain, 'amy', later(2), 'mo')).toEqual({ ok: false, error: 'conflict' });
    const plain = ok(onDecline(first.state, chain, 'amy', undefined, later(1))).decision.state;
    expect(pageByHand(plain, chain, 'amy', later(2), 'mo')).toEqual({ ok: false, error: 'declined' });
    const accepted = ok(onAccept(first.state, 'amy', later(1))).decision.state;
    expect(pageByHand(accepted, chain, 'ben', later(2), 'mo')).toEqual({ ok: false, error: 'accepted' });
  });
});
