/**
 * The escalation state machine. Pure: each function takes the state and the time, and returns
 * the next state with the actions for the shell to carry out (page, start a timer, alert the
 * fallback, tell the referrer) and the entries for the referral's timeline. Inputs are never
 * mutated, so a caller can retry a conditional write with the same decision.
 *
 * The chain is walked step by step, each step waiting its own delay (the team policy's
 * `delaySeconds`, else `ackTimeoutSeconds`): a person is paged, a fallback-phone step texts the
 * team's fallback phone and simply waits, an empty step is skipped at once. With `repageOnce` an
 * unanswered page goes once more to the same person before the chain moves on. After the last
 * step the chain is walked again `repeat` times, then the manager and fallback phone are alerted.
 */
import type {
  ChainStep,
  EscalationChain,
  EscalationDecision,
  EscalationState,
  OnCall,
  PageRecord,
  Position,
  StepPosition,
  Team,
  TimelineEntry,
} from './types.ts';
import { matchPolicy, type Match } from './matching.ts';

export type DeclineOutcome = { ok: true; decision: EscalationDecision } | { ok: false; error: 'not-paged' | 'closed' };
export type AcceptOutcome = { ok: true; decision: EscalationDecision } | { ok: false; error: 'not-paged' | 'declined' | 'already-accepted' };

/** The order people are paged in, whatever order `positions` is listed in elsewhere. */
const chainOrder: readonly Position[] = ['primary', 'secondary', 'manager'];

const unchanged = (state: EscalationState): EscalationDecision => ({ state, actions: [], timeline: [] });

/**
 * Built once at routing time, so a rota change later does not re-route a referral in flight.
 * From a match (matching.ts) the chain keeps the reason for every step and every skip; from a
 * bare `OnCall` it is one step per position in chain order, or the team's policy steps.
 */
export function buildChain(team: Team, duty: OnCall | Match): EscalationChain {
  const { ackTimeoutSeconds, repeat, steps: policySteps, repageOnce, callAfterSeconds } = team.escalation;
  const policy = {
    ackTimeoutSeconds,
    repeat,
    ...(repageOnce ? { repageOnce: true } : {}),
    // Absent: the default (shared/domain/voice.ts) applies when the page is sent.
    ...(callAfterSeconds === undefined ? {} : { callAfterSeconds }),
    fallbackPhone: team.fallbackPhone ?? null,
  };
  if (isMatch(duty)) {
    return {
      ...policy,
      steps: duty.steps.map(({ position, staffId, delaySeconds }) => ({ position, staffId, ...(delaySeconds === undefined ? {} : { delaySeconds }) })),
      reasons: duty.steps.map((step) => step.reason),
      skipped: duty.skipped,
      managerStaffId: duty.managerStaffId,
    };
  }
  if (policySteps && policySteps.length > 0) {
    const onDuty = chainOrder.flatMap((position) => (duty[position] ? [{ position, staffId: duty[position] }] : []));
    return buildChain(team, matchPolicy({ continuity: 'ignore', onDuty, conflicts: [], busy: new Set(), lastChosenAt: {} }, policySteps));
  }
  return {
    ...policy,
    steps: chainOrder.map((position) => ({ position, staffId: duty[position] ?? null })),
    managerStaffId: duty.manager ?? null,
  };
}

const isMatch = (duty: OnCall | Match): duty is Match => Array.isArray((duty as Match).steps);

/** How long a step waits for an answer (the policy step's own delay, else the team's). */
export const delayOf = (chain: EscalationChain, step: ChainStep | undefined) => step?.delaySeconds ?? chain.ackTimeoutSeconds;
const dueAfter = (now: Date, seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();

/**
 * The longest a referral can go unaccepted under the chain's policy before it is exhausted: every
 * step that pages someone or texts the fallback phone waits its delay (twice, for a person, with
 * `repageOnce`), in every round. For the managers' board, which alarms past it.
 */
export function acceptanceWindowSeconds(chain: EscalationChain): number {
  const round = chain.steps.reduce((total, step) => {
    if (step.position === 'fallback_phone') return total + (chain.fallbackPhone === null ? 0 : delayOf(chain, step));
    if (step.staffId === null) return total;
    return total + delayOf(chain, step) * (chain.repageOnce ? 2 : 1);
  }, 0);
  return Math.max(round, chain.ackTimeoutSeconds) * (chain.repeat + 1);
}

export function startEscalation(chain: EscalationChain, now: Date): EscalationDecision {
  const initial: EscalationState = { status: 'paging', round: 0, step: -1, pageSeq: 0, pages: [], declinedBy: [] };
  return advance(initial, chain, now, []);
}

/** One page to one person for the step in hand, with its acknowledgement timer. */
function pageOnce(
  state: EscalationState,
  chain: EscalationChain,
  now: Date,
  timeline: TimelineEntry[],
  target: { staffId: string; position: StepPosition; step: number; round: number; repage?: boolean },
): EscalationDecision {
  const at = now.toISOString();
  const { staffId, position, step, round } = target;
  const pageSeq = state.pageSeq + 1;
  const repage = target.repage ? { repage: true as const } : {};
  const page: PageRecord = { staffId, position, pageSeq, round, at, ...repage };
  return {
    state: { ...state, status: 'paging', round, step, pageSeq, pages: [...state.pages, page] },
    actions: [
      { kind: 'page', staffId, position, pageSeq, round, ...repage },
      { kind: 'start-timer', pageSeq, dueAt: dueAfter(now, delayOf(chain, chain.steps[step])) },
    ],
    timeline: [...timeline, { at, type: 'paged', staffId, position, round, pageSeq, ...repage }],
  };
}

/**
 * Pages the next pageable step after the current one, recording every step skipped on the way;
 * wraps into the next round while rounds remain; alerts the fallback when they are spent.
 */
function advance(state: EscalationState, chain: EscalationChain, now: Date, earlier: TimelineEntry[]): EscalationDecision {
  const at = now.toISOString();
  const timeline = [...earlier];
  const conflicted = state.conflicted ?? [];
  let round = state.round;
  let from = state.step + 1;
  for (;;) {
    for (const [step, chainStep] of chain.steps.entries()) {
      if (step < from) continue;
      const { position, staffId } = chainStep;
      if (position === 'fallback_phone') {
        if (chain.fallbackPhone === null) {
          timeline.push({ at, type: 'skipped', position, staffId: null, round, reason: 'no_fallback_phone' });
          continue;
        }
        // Nobody can answer a fallback text through dutyline: the step just waits its delay.
        const pageSeq = state.pageSeq + 1;
        return {
          state: { ...state, status: 'paging', round, step, pageSeq },
          actions: [
            { kind: 'alert-fallback-phone', fallbackPhone: chain.fallbackPhone },
            { kind: 'start-timer', pageSeq, dueAt: dueAfter(now, delayOf(chain, chainStep)) },
          ],
          // Whether, not which number: referrers read this timeline.
          timeline: [...timeline, { at, type: 'fallback_phone_alerted', round, pageSeq }],
        };
      }
      if (staffId === null) {
        timeline.push({ at, type: 'no_one_on_duty', position, round });
        continue;
      }
      if (conflicted.includes(staffId)) {
        timeline.push({ at, type: 'skipped', position, staffId, round, reason: 'conflict' });
        continue;
      }
      if (state.declinedBy.includes(staffId)) {
        timeline.push({ at, type: 'skipped', position, staffId, round, reason: 'declined' });
        continue;
      }
      return pageOnce(state, chain, now, timeline, { staffId, position, step, round });
    }
    // A round walked from the top that found nobody to page means later rounds would find nobody
    // either (the chain and the decliners do not change while walking): stop rather than spin.
    if (round >= chain.repeat || from === 0) break;
    round += 1;
    from = 0;
  }
  // Nothing paged or texted in any step (pageSeq counts both): nobody is on duty to page at all,
  // which the alert must say rather than "everyone has been paged".
  const nobodyPaged = state.pageSeq === 0;
  return {
    state: { ...state, status: 'exhausted', round, step: chain.steps.length - 1 },
    actions: [{ kind: 'alert-fallback', managerStaffId: chain.managerStaffId, fallbackPhone: chain.fallbackPhone, ...(nobodyPaged ? { nobodyPaged: true as const } : {}) }],
    timeline: [
      ...timeline,
      ...(nobodyPaged ? [{ at, type: 'nobody_to_page' as const }] : []),
      { at, type: 'chain_exhausted', rounds: round + 1 },
      // Whether the fallback number was alerted, not the number: referrers read this timeline.
      { at, type: 'fallback_alerted', managerStaffId: chain.managerStaffId, fallbackPhone: chain.fallbackPhone !== null },
    ],
  };
}

/** The page the chain is waiting on, if the step in hand is a person's (not a fallback-phone step). */
function pageInHand(state: EscalationState): PageRecord | undefined {
  const page = state.pages.at(-1);
  return state.status === 'paging' && page?.pageSeq === state.pageSeq ? page : undefined;
}

/**
 * A timer for anything but the page in hand (a duplicate, or one overtaken by an answer) does
 * nothing. With the policy's `repageOnce`, a first page that went unanswered is sent again to the
 * same person before the chain moves on; a page that could not be delivered (`delivered: false`)
 * is not, since the phone cannot be reached.
 */
export function onAckTimeout(
  state: EscalationState,
  chain: EscalationChain,
  pageSeq: number,
  now: Date,
  options: { delivered?: boolean } = {},
): EscalationDecision {
  if (state.status !== 'paging' || pageSeq !== state.pageSeq) return unchanged(state);
  const page = pageInHand(state);
  // A fallback-phone step has had its delay: on to the next step.
  if (!page) return advance(state, chain, now, []);
  const entry: TimelineEntry = { at: now.toISOString(), type: 'ack_timeout', staffId: page.staffId, position: page.position, pageSeq };
  if (chain.repageOnce && !page.repage && options.delivered !== false) {
    return pageOnce(state, chain, now, [entry], { staffId: page.staffId, position: page.position, step: state.step, round: state.round, repage: true });
  }
  return advance(state, chain, now, [entry]);
}

/**
 * The decliner is never paged for this referral again. Only a decline of the page in hand moves
 * the chain on at once; an earlier page's decline is recorded and the current page keeps running.
 * The reason is free text that may name the subject, so only whether one was given is recorded.
 * A declared conflict of interest is kept in the state, so later rounds skip the person for it;
 * it may also be declared after a plain decline.
 */
export function onDecline(
  state: EscalationState,
  chain: EscalationChain,
  staffId: string,
  reason: string | undefined,
  now: Date,
  options: { conflict?: boolean } = {},
): DeclineOutcome {
  const own = state.pages.filter((page) => page.staffId === staffId).at(-1);
  if (!own) return { ok: false, error: 'not-paged' };
  if (state.status === 'accepted') return { ok: false, error: 'closed' };
  const conflicted = state.conflicted ?? [];
  const declaresConflict = options.conflict === true && !conflicted.includes(staffId);
  const withConflict = declaresConflict ? { conflicted: [...conflicted, staffId] } : {};
  if (state.declinedBy.includes(staffId)) {
    return { ok: true, decision: declaresConflict ? { state: { ...state, ...withConflict }, actions: [], timeline: [] } : unchanged(state) };
  }
  const declined: EscalationState = { ...state, declinedBy: [...state.declinedBy, staffId], ...withConflict };
  const entry: TimelineEntry = {
    at: now.toISOString(),
    type: 'declined',
    staffId,
    round: own.round,
    pageSeq: own.pageSeq,
    reasonGiven: Boolean(reason?.trim()),
    ...(options.conflict ? { conflictOfInterest: true } : {}),
  };
  const holdsCurrentPage = pageInHand(state)?.staffId === staffId;
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

/**
 * Handed over (the morning handover's day service marked it received, or it went to another team)
 * before anyone accepted: the chain stops, since the people on it are the night's and the referral
 * is someone else's now. Nobody more is paged, and no "nobody has accepted" alert follows, which
 * would be a false alarm; whoever holds a page is stood down. The state is `exhausted` (the chain
 * is over, nobody accepted it), so a manager may still page someone by hand and anyone paged may
 * still accept; the board and the referrer's page say it was handed over.
 */
export function onHandedOver(state: EscalationState, to: 'day_service' | 'team'): EscalationDecision {
  if (state.status !== 'paging') return unchanged(state);
  return { state: { ...state, status: 'exhausted' }, actions: [{ kind: 'stand-down-handed-over', to }], timeline: [] };
}

export type PageByHandOutcome = { ok: true; decision: EscalationDecision } | { ok: false; error: 'accepted' | 'declined' | 'conflict' };

/**
 * A manager pages someone now (`POST /api/referrals/{id}/page`). While the chain is paging, this
 * page becomes the one in hand, with its own timer: unanswered, the chain goes on from where it
 * was. After the chain has run out, the page goes with no timer, since nothing is left to
 * escalate to; either way the person may accept. Someone who declined or declared a conflict of
 * interest is not paged again for it.
 */
export function pageByHand(state: EscalationState, chain: EscalationChain, staffId: string, now: Date, by: string): PageByHandOutcome {
  if (state.status === 'accepted') return { ok: false, error: 'accepted' };
  if ((state.conflicted ?? []).includes(staffId)) return { ok: false, error: 'conflict' };
  if (state.declinedBy.includes(staffId)) return { ok: false, error: 'declined' };
  const target = { staffId, position: 'named' as const, step: state.step, round: state.round };
  const paged = pageOnce(state, chain, now, [], target);
  const timeline = paged.timeline.map((entry) => (entry.type === 'paged' ? { ...entry, byHand: true, by } : entry));
  if (state.status === 'paging') return { ok: true, decision: { ...paged, timeline } };
  return {
    ok: true,
    decision: {
      state: { ...paged.state, status: state.status, step: state.step },
      actions: paged.actions.filter((action) => action.kind !== 'start-timer'),
      timeline,
    },
  };
}
