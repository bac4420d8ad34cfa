/**
 * The escalation state machine. Pure: each function takes the state and the time, and returns
 * the next state with the actions for the shell to carry out (page, start a timer, alert the
 * fallback, tell the referrer) and the entries for the referral's timeline. Inputs are never
 * mutated, so a caller can retry a conditional write with the same decision.
 */
import type {
  EscalationAction,
  EscalationChain,
  EscalationDecision,
  EscalationState,
  OnCall,
  PageRecord,
  Position,
  Team,
  TimelineEntry,
} from './types.ts';
import type { Match } from './matching.ts';

export type DeclineOutcome = { ok: true; decision: EscalationDecision } | { ok: false; error: 'not-paged' | 'closed' };
export type AcceptOutcome = { ok: true; decision: EscalationDecision } | { ok: false; error: 'not-paged' | 'declined' | 'already-accepted' };

/** The order people are paged in, whatever order `positions` is listed in elsewhere. */
const chainOrder: readonly Position[] = ['primary', 'secondary', 'manager'];

const unchanged = (state: EscalationState): EscalationDecision => ({ state, actions: [], timeline: [] });

/**
 * Built once at routing time, so a rota change later does not re-route a referral in flight.
 * From a match (matching.ts) the chain keeps the reason for every step and every skip; from a
 * bare `OnCall` it is one step per position in chain order.
 */
export function buildChain(team: Team, duty: OnCall | Match): EscalationChain {
  const policy = {
    ackTimeoutSeconds: team.escalation.ackTimeoutSeconds,
    repeat: team.escalation.repeat,
    fallbackPhone: team.fallbackPhone ?? null,
  };
  if (isMatch(duty)) {
    return {
      steps: duty.steps.map(({ position, staffId }) => ({ position, staffId })),
      reasons: duty.steps.map((step) => step.reason),
      skipped: duty.skipped,
      ackTimeoutSeconds: policy.ackTimeoutSeconds,
      repeat: policy.repeat,
      managerStaffId: duty.managerStaffId,
      fallbackPhone: policy.fallbackPhone,
    };
  }
  return {
    steps: chainOrder.map((position) => ({ position, staffId: duty[position] ?? null })),
    ackTimeoutSeconds: policy.ackTimeoutSeconds,
    repeat: policy.repeat,
    managerStaffId: duty.manager ?? null,
    fallbackPhone: policy.fallbackPhone,
  };
}

const isMatch = (duty: OnCall | Match): duty is Match => Array.isArray((duty as Match).steps);

export function startEscalation(chain: EscalationChain, now: Date): EscalationDecision {
  const initial: EscalationState = { status: 'paging', round: 0, step: -1, pageSeq: 0, pages: [], declinedBy: [] };
  return advance(initial, chain, now, []);
}

/**
 * Pages the next pageable step after the current one, recording every step skipped on the way;
 * wraps into the next round while rounds remain; alerts the fallback when they are spent.
 */
function advance(state: EscalationState, chain: EscalationChain, now: Date, earlier: TimelineEntry[]): EscalationDecision {
  const at = now.toISOString();
  const timeline = [...earlier];
  let round = state.round;
  let from = state.step + 1;
  for (;;) {
    for (const [step, { position, staffId }] of chain.steps.entries()) {
      if (step < from) continue;
      if (staffId === null) {
        timeline.push({ at, type: 'no_one_on_duty', position, round });
        continue;
      }
      if (state.declinedBy.includes(staffId)) {
        timeline.push({ at, type: 'skipped', position, staffId, round, reason: 'declined' });
        continue;
      }
      const pageSeq = state.pageSeq + 1;
      const page: PageRecord = { staffId, position, pageSeq, round, at };
      const actions: EscalationAction[] = [
        { kind: 'page', staffId, position, pageSeq, round },
        { kind: 'start-timer', pageSeq, dueAt: new Date(now.getTime() + chain.ackTimeoutSeconds * 1000).toISOString() },
      ];
      return {
        state: { ...state, status: 'paging', round, step, pageSeq, pages: [...state.pages, page] },
        actions,
        timeline: [...timeline, { at, type: 'paged', staffId, position, round, pageSeq }],
      };
    }
    // A round walked from the top that found nobody to page means later rounds would find nobody
    // either (the chain and the decliners do not change while walking): stop rather than spin.
    if (round >= chain.repeat || from === 0) break;
    round += 1;
    from = 0;
  }
  return {
    state: { ...state, status: 'exhausted', round, step: chain.steps.length - 1 },
    actions: [{ kind: 'alert-fallback', managerStaffId: chain.managerStaffId, fallbackPhone: chain.fallbackPhone }],
    timeline: [
      ...timeline,
      { at, type: 'chain_exhausted', rounds: round + 1 },
      // Whether the fallback number was alerted, not the number: referrers read this timeline.
      { at, type: 'fallback_alerted', managerStaffId: chain.managerStaffId, fallbackPhone: chain.fallbackPhone !== null },
    ],
  };
}

/** A timer for anything but the page in hand (a duplicate, or one overtaken by an answer) does nothing. */
export function onAckTimeout(state: EscalationState, chain: EscalationChain, pageSeq: number, now: Date): EscalationDecision {
  if (state.status !== 'paging' || pageSeq !== state.pageSeq) return unchanged(state);
  const page = state.pages.at(-1);
  const entry: TimelineEntry = { at: now.toISOString(), type: 'ack_timeout', staffId: page?.staffId ?? null, position: page?.position ?? null, pageSeq };
  return advance(state, chain, now, [entry]);
}

/**
 * The decliner is never paged for this referral again. Only a decline of the page in hand moves
 * the chain on at once; an earlier page's decline is recorded and the current page keeps running.
 * The reason is free text that may name the subject, so only whether one was given is recorded.
 */
export function onDecline(
  state: EscalationState,
  chain: EscalationChain,
  staffId: string,
  reason: string | undefined,
  now: Date,
): DeclineOutcome {
  const own = state.pages.filter((page) => page.staffId === staffId).at(-1);
  if (!own) return { ok: false, error: 'not-paged' };
  if (state.status === 'accepted') return { ok: false, error: 'closed' };
  if (state.declinedBy.includes(staffId)) return { ok: true, decision: unchanged(state) };
  const declined: EscalationState = { ...state, declinedBy: [...state.declinedBy, staffId] };
  const entry: TimelineEntry = {
    at: now.toISOString(),
    type: 'declined',
    staffId,
    round: own.round,
    pageSeq: own.pageSeq,
    reasonGiven: Boolean(reason?.trim()),
  };
  const holdsCurrentPage = state.status === 'paging' && state.pages.at(-1)?.staffId === staffId;
  return {
    ok: true,
    decision: holdsCurrentPage ? advance(declined, chain, now, [entry]) : { state: declined, actions: [], timeline: [entry] },
  };
}

/** Anyone paged who has not declined may accept, even after the chain is exhausted; the first accept wins. */
export function onAccept(state: EscalationState, staffId: string, now: Date): AcceptOutcome {
  const own = state.pages.filter((page) => page.staffId === staffId).at(-1);
  if (!own) return { ok: false, error: 'not-paged' };
  if (state.status === 'accepted') {
    return state.acceptedBy === staffId ? { ok: true, decision: unchanged(state) } : { ok: false, error: 'already-accepted' };
  }
  if (state.declinedBy.includes(staffId)) return { ok: false, error: 'declined' };
  const at = now.toISOString();
  return {
    ok: true,
    decision: {
      state: { ...state, status: 'accepted', acceptedBy: staffId, acceptedAt: at },
      actions: [{ kind: 'notify-referrer-accepted', staffId }],
      timeline: [
        { at, type: 'accepted', staffId, round: own.round, pageSeq: own.pageSeq, afterExhaustion: state.status === 'exhausted' },
      ],
    },
  };
}
