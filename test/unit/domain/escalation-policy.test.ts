import { describe, expect, it } from 'vitest';
import { acceptanceWindowSeconds, buildChain, onAccept, onAckTimeout, onDecline, startEscalation } from '../../../shared/domain/escalation.ts';
import type { EscalationChain, EscalationDecision, EscalationPolicy, EscalationState, OnCall, Team } from '../../../shared/domain/types.ts';

/**
 * A team's own escalation policy: ordered steps (positions, named people, the fallback phone),
 * a delay per step, repeats, and optionally a second page to the same person before moving on.
 */

const team: Team = {
  id: 'leeds',
  name: 'Leeds EDT',
  areas: ['LS1'],
  escalation: { ackTimeoutSeconds: 600, repeat: 0 },
  continuity: 'ignore',
  fallbackPhone: '+441134960000',
};
const everyone: OnCall = { primary: 'amy', secondary: 'ben', manager: 'mo' };

const t0 = new Date('2026-11-26T02:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const iso = (seconds: number) => at(seconds).toISOString();

const withPolicy = (policy: Partial<EscalationPolicy>, onCall: OnCall = everyone, overrides: Partial<Team> = {}) =>
  buildChain({ ...team, ...overrides, escalation: { ...team.escalation, ...policy } }, onCall);

const paged = (d: EscalationDecision) => d.actions.flatMap((a) => (a.kind === 'page' ? [a.staffId] : []));
const timers = (d: EscalationDecision) => d.actions.flatMap((a) => (a.kind === 'start-timer' ? [a.dueAt] : []));
const types = (d: EscalationDecision) => d.timeline.map((e) => e.type);

function ok<T extends { ok: boolean }>(outcome: T): Extract<T, { ok: true }> {
  if (!outcome.ok) throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  return outcome as Extract<T, { ok: true }>;
}

/** Lets every timer run out in turn, from `decision`, and lists what each one did. */
function runOut(chain: EscalationChain, decision: EscalationDecision) {
  const steps: { at: number; paged: string[]; actions: string[]; types: string[]; timeline: EscalationDecision['timeline'] }[] = [];
  let state: EscalationState = decision.state;
  let current = decision;
  while (state.status === 'paging') {
    const due = timers(current)[0];
    if (!due) break;
    const seconds = (Date.parse(due) - t0.getTime()) / 1000;
    current = onAckTimeout(state, chain, state.pageSeq, at(seconds));
    steps.push({ at: seconds, paged: paged(current), actions: current.actions.map((a) => a.kind), types: types(current), timeline: current.timeline });
    state = current.state;
  }
  return { steps, state };
}

describe('a team escalation policy', () => {
  it('keeps today’s chain when the team gives no steps', () => {
    expect(withPolicy({})).toEqual({
      steps: [
        { position: 'primary', staffId: 'amy' },
        { position: 'secondary', staffId: 'ben' },
        { position: 'manager', staffId: 'mo' },
      ],
      ackTimeoutSeconds: 600,
      repeat: 0,
      managerStaffId: 'mo',
      fallbackPhone: '+441134960000',
    });
  });

  it('pages a named person at their step whatever the rota says, though they are not on duty', () => {
    const chain = withPolicy({ steps: [{ position: 'primary' }, { staffId: 'senior-sue' }, { position: 'manager' }] });
    expect(chain.steps).toEqual([
      { position: 'primary', staffId: 'amy' },
      { position: 'named', staffId: 'senior-sue' },
      { position: 'manager', staffId: 'mo' },
    ]);
    const first = startEscalation(chain, t0);
    const second = onAckTimeout(first.state, chain, 1, at(600));
    expect(paged(second)).toEqual(['senior-sue']);
    expect(second.timeline.at(-1)).toMatchObject({ type: 'paged', staffId: 'senior-sue', position: 'named' });
  });

  it('waits each step’s own delay, and the policy’s ackTimeoutSeconds where a step gives none', () => {
    const chain = withPolicy({ steps: [{ position: 'primary', delaySeconds: 120 }, { position: 'secondary' }, { position: 'manager', delaySeconds: 300 }] });
    const first = startEscalation(chain, t0);
    expect(timers(first)).toEqual([iso(120)]);
    const { steps } = runOut(chain, first);
    expect(steps.map((s) => [s.at, s.paged])).toEqual([
      [120, ['ben']],
      [720, ['mo']],
      [1020, []],
    ]);
    expect(steps.at(-1)?.types).toEqual(['ack_timeout', 'chain_exhausted', 'fallback_alerted']);
  });

  describe('a fallback-phone step', () => {
    const chain = withPolicy({ steps: [{ position: 'primary', delaySeconds: 300 }, { fallbackPhone: true, delaySeconds: 60 }, { position: 'secondary' }] });

    it('texts the fallback phone, then moves on after its delay without waiting for an answer', () => {
      const first = startEscalation(chain, t0);
      const fallback = onAckTimeout(first.state, chain, 1, at(300));
      expect(fallback.actions).toEqual([
        { kind: 'alert-fallback-phone', fallbackPhone: '+441134960000' },
        { kind: 'start-timer', pageSeq: 2, dueAt: iso(360) },
      ]);
      expect(fallback.timeline).toEqual([
        { at: iso(300), type: 'ack_timeout', staffId: 'amy', position: 'primary', pageSeq: 1 },
        { at: iso(300), type: 'fallback_phone_alerted', round: 0, pageSeq: 2 },
      ]);
      expect(JSON.stringify(fallback.timeline)).not.toContain('+44');
      const next = onAckTimeout(fallback.state, chain, 2, at(360));
      expect(paged(next)).toEqual(['ben']);
      // Nobody was paged at the fallback step, so no "no answer from" is recorded for it.
      expect(types(next)).toEqual(['paged']);
    });

    it('is not cut short by a late decline of the page before it', () => {
      const first = startEscalation(chain, t0);
      const fallback = onAckTimeout(first.state, chain, 1, at(300));
      const { decision } = ok(onDecline(fallback.state, chain, 'amy', undefined, at(320)));
      expect(decision.actions).toEqual([]);
      expect(decision.state.pageSeq).toBe(2);
      expect(paged(onAckTimeout(decision.state, chain, 2, at(360)))).toEqual(['ben']);
    });

    it('still lets the person paged before it accept', () => {
      const fallback = onAckTimeout(startEscalation(chain, t0).state, chain, 1, at(300));
      expect(ok(onAccept(fallback.state, 'amy', at(330))).decision.state.status).toBe('accepted');
    });

    it('is skipped and recorded when the team has no fallback phone', () => {
      const { fallbackPhone: _, ...noPhone } = team;
      const bare = buildChain({ ...noPhone, escalation: { ...team.escalation, steps: [{ fallbackPhone: true }, { position: 'primary' }] } }, everyone);
      const first = startEscalation(bare, t0);
      expect(paged(first)).toEqual(['amy']);
      expect(first.timeline[0]).toMatchObject({ type: 'skipped', position: 'fallback_phone', reason: 'no_fallback_phone' });
    });
  });

  it('walks the policy’s steps again for each repeat, fallback step included, then alerts manager and fallback', () => {
    const chain = withPolicy({ repeat: 1, ackTimeoutSeconds: 60, steps: [{ staffId: 'sue' }, { fallbackPhone: true }] });
    const first = startEscalation(chain, t0);
    const { steps, state } = runOut(chain, first);
    expect([paged(first), ...steps.map((s) => [...s.paged, ...s.actions.filter((a) => a.startsWith('alert'))])]).toEqual([
      ['sue'],
      ['alert-fallback-phone'],
      ['sue'],
      ['alert-fallback-phone'],
      ['alert-fallback'],
    ]);
    expect(state).toMatchObject({ status: 'exhausted', round: 1 });
    expect(state.pages.map((p) => p.round)).toEqual([0, 1]);
  });

  describe('repageOnce', () => {
    const chain = withPolicy({ repageOnce: true, steps: [{ position: 'primary', delaySeconds: 120 }, { position: 'secondary' }] });

    it('pages the same person once more before moving on, as a reminder', () => {
      const first = startEscalation(chain, t0);
      const again = onAckTimeout(first.state, chain, 1, at(120));
      expect(again.actions).toEqual([
        { kind: 'page', staffId: 'amy', position: 'primary', pageSeq: 2, round: 0, repage: true },
        { kind: 'start-timer', pageSeq: 2, dueAt: iso(240) },
      ]);
      expect(again.timeline).toEqual([
        { at: iso(120), type: 'ack_timeout', staffId: 'amy', position: 'primary', pageSeq: 1 },
        { at: iso(120), type: 'paged', staffId: 'amy', position: 'primary', round: 0, pageSeq: 2, repage: true },
      ]);
      expect(again.state.step).toBe(0);
      const next = onAckTimeout(again.state, chain, 2, at(240));
      expect(paged(next)).toEqual(['ben']);
    });

    it('pages each person twice at most per round', () => {
      const { steps } = runOut(chain, startEscalation(chain, t0));
      expect(steps.map((s) => s.paged)).toEqual([['amy'], ['ben'], ['ben'], []]);
    });

    it('does not page again a phone the page could not be delivered to', () => {
      const first = startEscalation(chain, t0);
      expect(paged(onAckTimeout(first.state, chain, 1, at(5), { delivered: false }))).toEqual(['ben']);
    });

    it('ignores the first page’s timer once the reminder is out, so nobody is paged twice by a duplicate', () => {
      const again = onAckTimeout(startEscalation(chain, t0).state, chain, 1, at(120));
      expect(onAckTimeout(again.state, chain, 1, at(121))).toEqual({ state: again.state, actions: [], timeline: [] });
    });

    it('stops when either page is answered', () => {
      const again = onAckTimeout(startEscalation(chain, t0).state, chain, 1, at(120));
      const accepted = ok(onAccept(again.state, 'amy', at(130))).decision;
      expect(accepted.timeline[0]).toMatchObject({ type: 'accepted', staffId: 'amy', pageSeq: 2 });
      expect(onAckTimeout(accepted.state, chain, 2, at(240)).actions).toEqual([]);
      const declined = ok(onDecline(again.state, chain, 'amy', undefined, at(130))).decision;
      expect(paged(declined)).toEqual(['ben']);
    });

    it('is off unless the team sets it', () => {
      const plain = withPolicy({ steps: [{ position: 'primary' }, { position: 'secondary' }] });
      expect(plain).not.toHaveProperty('repageOnce');
      expect(paged(onAckTimeout(startEscalation(plain, t0).state, plain, 1, at(600)))).toEqual(['ben']);
    });
  });

  describe('acceptanceWindowSeconds', () => {
    it('is every pageable step’s delay, in every round, as today for a chain with no policy', () => {
      expect(acceptanceWindowSeconds(withPolicy({ repeat: 1 }))).toBe(600 * 3 * 2);
    });

    it('counts each step’s own delay, the fallback step, and the reminder pages', () => {
      const chain = withPolicy({ repageOnce: true, steps: [{ position: 'primary', delaySeconds: 120 }, { fallbackPhone: true, delaySeconds: 60 }, { position: 'secondary' }] });
      expect(acceptanceWindowSeconds(chain)).toBe(120 * 2 + 60 + 600 * 2);
    });
  });
});

describe('a declared conflict of interest', () => {
  const chain = withPolicy({ repeat: 2, steps: [{ position: 'primary' }, { staffId: 'sue' }, { position: 'secondary' }] });
  const first = startEscalation(chain, t0);

  it('declines at once, is recorded on the decline, and never carries the reason', () => {
    const { decision } = ok(onDecline(first.state, chain, 'amy', 'I am her neighbour, Alex Smith', at(30), { conflict: true }));
    expect(decision.timeline[0]).toEqual({ at: iso(30), type: 'declined', staffId: 'amy', round: 0, pageSeq: 1, reasonGiven: true, conflictOfInterest: true });
    expect(JSON.stringify(decision)).not.toContain('Alex');
    expect(decision.state).toMatchObject({ declinedBy: ['amy'], conflicted: ['amy'] });
    expect(paged(decision)).toEqual(['sue']);
  });

  it('skips the person for the conflict in every later round, and never pages them again', () => {
    const declined = ok(onDecline(first.state, chain, 'amy', undefined, at(30), { conflict: true })).decision;
    const { steps, state } = runOut(chain, declined);
    expect(state.status).toBe('exhausted');
    expect(state.pages.map((p) => p.staffId)).toEqual(['amy', 'sue', 'ben', 'sue', 'ben', 'sue', 'ben']);
    const skips = steps.flatMap((s) => s.timeline).filter((e) => e.type === 'skipped');
    expect(skips).toEqual([
      expect.objectContaining({ staffId: 'amy', round: 1, reason: 'conflict' }),
      expect.objectContaining({ staffId: 'amy', round: 2, reason: 'conflict' }),
    ]);
  });

  it('gives the skip reason as the conflict, not the decline', () => {
    const lone = withPolicy({ repeat: 1, steps: [{ position: 'primary' }, { position: 'secondary' }] });
    const declined = ok(onDecline(startEscalation(lone, t0).state, lone, 'amy', undefined, at(10), { conflict: true })).decision;
    const nextRound = onAckTimeout(declined.state, lone, declined.state.pageSeq, at(610));
    expect(nextRound.timeline).toContainEqual({ at: iso(610), type: 'skipped', position: 'primary', staffId: 'amy', round: 1, reason: 'conflict' });
    expect(paged(nextRound)).toEqual(['ben']);
  });

  it('may be declared after a plain decline, changing the state but paging nobody', () => {
    const plain = ok(onDecline(first.state, chain, 'amy', undefined, at(10))).decision;
    const late = ok(onDecline(plain.state, chain, 'amy', undefined, at(20), { conflict: true })).decision;
    expect(late).toEqual({ state: { ...plain.state, conflicted: ['amy'] }, actions: [], timeline: [] });
    expect(ok(onDecline(late.state, chain, 'amy', undefined, at(30), { conflict: true })).decision).toEqual({ state: late.state, actions: [], timeline: [] });
  });

  it('keeps the conflicted person from accepting afterwards', () => {
    const declined = ok(onDecline(first.state, chain, 'amy', undefined, at(10), { conflict: true })).decision;
    expect(onAccept(declined.state, 'amy', at(20))).toEqual({ ok: false, error: 'declined' });
  });

  it('cannot be declared once the referral is accepted', () => {
    const accepted = ok(onAccept(first.state, 'amy', at(10))).decision;
    expect(onDecline(accepted.state, chain, 'amy', undefined, at(20), { conflict: true })).toEqual({ ok: false, error: 'closed' });
  });
});
