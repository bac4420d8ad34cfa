/**
 * When a referral next needs attention, from its state alone: the timer of the page (or
 * fallback-phone step) in hand, the statutory clock warnings not yet given, or, while it waits to
 * be routed, its routing. Pure: `now` is the time of the write (or the reconciler's run). Every state write
 * keeps the earliest of these in a sparse index, so the reconciler can find a referral whose
 * timer SQS lost (a dead letter, a dropped message) and arm it again.
 */
import { clockWarnings } from './clocks.ts';
import { delayOf } from './escalation.ts';
import { owedOverruns, type OverrunKind } from './overruns.ts';
import type { EscalationChain, EscalationState, ReferralStatus, StatutoryClock, StatutoryClockKind, TimelineEntry } from './types.ts';

/** A referral waits this long for routing after it became `received` (its last state entry). */
export const ROUTING_GRACE_SECONDS = 60;
/** After the reconciler arms an action again, it waits this long before doing so once more. */
export const REARM_RETRY_SECONDS = 300;

export type NextAction =
  | { kind: 'route'; at: string }
  | { kind: 'ack-timer'; at: string; pageSeq: number }
  | { kind: 'clock-warning'; at: string; clockKind: StatutoryClockKind; hoursBefore: number; expiresAt: string }
  | { kind: 'overrun'; at: string; overrun: OverrunKind };

export interface NextActionInput {
  status: ReferralStatus;
  createdAt: string;
  clocks: readonly StatutoryClock[];
  chain?: EscalationChain | undefined;
  escalation?: EscalationState | undefined;
  timeline: readonly TimelineEntry[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** When the step in hand started: its page, or the fallback-phone text of that step. */
function stepStartedAt(state: EscalationState, timeline: readonly TimelineEntry[]): string | undefined {
  const page = state.pages.at(-1);
  if (page?.pageSeq === state.pageSeq) return page.at;
  return timeline.findLast((entry) => entry.type === 'fallback_phone_alerted' && entry.pageSeq === state.pageSeq)?.at;
}

function ackTimer(referral: NextActionInput): NextAction[] {
  const { escalation: state, chain } = referral;
  if (referral.status !== 'paging' || !state || !chain || state.status !== 'paging') return [];
  const started = stepStartedAt(state, referral.timeline);
  if (!started) return [];
  const at = Date.parse(started) + delayOf(chain, chain.steps[state.step]) * 1000;
  return [{ kind: 'ack-timer', at: iso(at), pageSeq: state.pageSeq }];
}

/** Routing is owed from when the referral became `received`: its receipt, or a later entry that sent it back. */
function routing(referral: NextActionInput): NextAction[] {
  const since = referral.timeline.findLast((entry) => entry.type !== 'timers_rearmed' && entry.type !== 'viewed')?.at ?? referral.createdAt;
  return [{ kind: 'route', at: iso(Date.parse(since) + ROUTING_GRACE_SECONDS * 1000) }];
}

/**
 * The warnings still to give, each due at its threshold (never before the referral or the
 * extension that planned it): a warning is given when its entry, or a later one's for the same
 * expiry, is on the timeline (shared/app/clock-warnings.ts).
 */
function clockActions(referral: NextActionInput, now: Date): NextAction[] {
  return clockWarnings(referral.clocks, now).flatMap((warning): NextAction[] => {
    const given = referral.timeline.some(
      (e) => e.type === 'clock_warning' && e.clockKind === warning.clockKind && e.expiresAt === warning.expiresAt && Number(e.hoursBefore) <= warning.hoursBefore,
    );
    if (given) return [];
    const clock = referral.clocks.find((c) => c.kind === warning.clockKind);
    // Planned at intake, at the extension, or when an event (a reported arrival, a change of status) started the clock.
    const startedEntry = referral.timeline.findLast((e) => e.type === 'clock_started' && e.clockKind === warning.clockKind && e.expiresAt === clock?.expiresAt && !clock?.extension);
    const planned = Math.max(Date.parse(referral.createdAt), clock?.extension ? Date.parse(clock.extension.recordedAt) : 0, startedEntry ? Date.parse(startedEntry.at) : 0);
    const threshold = Date.parse(warning.expiresAt) - warning.hoursBefore * 3_600_000;
    const { clockKind, hoursBefore, expiresAt } = warning;
    return [{ kind: 'clock-warning', at: iso(Math.max(threshold, planned)), clockKind, hoursBefore, expiresAt }];
  });
}

/**
 * Every action the referral waits on, earliest first. One the reconciler armed again (its last
 * `timers_rearmed` entry is after the action's time) is due once more only `REARM_RETRY_SECONDS`
 * after that, so a timer that is slow rather than lost is not armed every minute.
 */
export function nextActions(referral: NextActionInput, now: Date): NextAction[] {
  if (referral.status === 'closed') return [];
  // Until routed there is no team to warn: routing comes first, and the warnings follow it.
  const overruns = owedOverruns(referral).map((overrun): NextAction => ({ kind: 'overrun', at: overrun.dueAt, overrun: overrun.kind }));
  const actions = referral.status === 'received' ? routing(referral) : [...ackTimer(referral), ...clockActions(referral, now), ...overruns];
  const rearmed = referral.timeline.findLast((entry) => entry.type === 'timers_rearmed')?.at;
  const retryAt = rearmed ? Date.parse(rearmed) + REARM_RETRY_SECONDS * 1000 : null;
  return actions
    .map((action) => (retryAt !== null && rearmed && Date.parse(action.at) <= Date.parse(rearmed) ? { ...action, at: iso(Math.max(Date.parse(action.at), retryAt)) } : action))
    .sort((a, b) => a.at.localeCompare(b.at));
}

/** The earliest action, or null when none is owed (a closed referral, an accepted one with no clock). */
export function nextAction(referral: NextActionInput, now: Date): NextAction | null {
  return nextActions(referral, now)[0] ?? null;
}
