import { SmsDeliveryError, type Dependencies, type PendingEffect, type Referral, type TimerMessage } from '../ports.ts';
import { smsLimits } from './sms-policy.ts';
import { recordTimelineMetrics } from './timeline-metrics.ts';

/**
 * A state change and the work it causes (SMS, timers, queueing) are stored together in one
 * conditional write; the work is then done and ticked off one effect at a time. A crash between
 * the two leaves the effect in the outbox, and the retried message (or the reconciler) finishes it.
 */

const MAX_CONFLICT_RETRIES = 8;
/**
 * Longer than the longest function timeout (60 s, infra/definition.ts; a test holds the two
 * together), so a claim cannot lapse while its holder may still be sending: a stalled holder and
 * a second flusher never both send. A claim left by a crash lapses after it, for a retry or the
 * reconciler.
 */
export const EFFECT_CLAIM_SECONDS = 90;

/**
 * Queueing for routing goes first: it is what the referrer is waiting on. Then timers, so that a
 * page whose SMS fails still escalates when its time is up.
 */
const order: Record<PendingEffect['kind'], number> = {
  'queue-referral': 0,
  timer: 1,
  'clock-timer': 1,
  page: 2,
  sms: 3,
  'close-pages': 4,
  'mark-busy': 4,
  'clear-busy': 4,
  'expire-details': 4,
};

/**
 * Effects that do no harm done twice (a timer is checked against the page it is for, a queued
 * referral against its status, markers are overwritten): they are ticked off together. An SMS is
 * ticked off as soon as it is sent, so that a crash can repeat at most the one in flight.
 */
const repeatable = new Set<PendingEffect['kind']>(['queue-referral', 'timer', 'clock-timer', 'close-pages', 'mark-busy', 'clear-busy', 'expire-details']);

/** The effects one state write added share the prefix of their ids (`e000005-…`): one claim covers them. */
const effectGroup = (effectId: string) => effectId.split('-')[0] ?? effectId;
const writeGroup = (version: number) => `e${String(version).padStart(6, '0')}`;

export function addEffects(referral: Referral, effects: PendingEffect[]): Record<string, PendingEffect> {
  const outbox = { ...referral.outbox };
  effects.forEach((effect, index) => {
    outbox[`${writeGroup(referral.version + 1)}-${String(index).padStart(3, '0')}`] = effect;
  });
  return outbox;
}

export type Change = (referral: Referral, now: Date) => Promise<Referral | null> | Referral | null;

export interface ChangeOptions {
  /**
   * For callers that cannot retry (a person at an HTTP request): once the change is stored, a
   * failing effect is left pending for the reconciler instead of failing the request. Queue
   * consumers leave this off, so their message is retried sooner.
   */
  leavePendingEffects?: boolean;
}

/**
 * Loads the referral, applies the change and writes it if nobody else wrote in between (retrying
 * on a conflict with the fresh copy), then carries out the effects that write added. Effects an
 * earlier run left pending are not this run's: their own flusher may still be at them, so they are
 * left to it or to the reconciler. `null` from the change means "nothing to do": then every pending
 * effect is flushed, which is what finishes an interrupted run when its message is redelivered.
 */
export async function changeReferral(
  deps: Dependencies,
  referralId: string,
  change: Change,
  options: ChangeOptions = {},
): Promise<{ referral: Referral; changed: boolean } | null> {
  for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
    const current = await deps.referrals.get(referralId);
    if (!current) return null;
    const next = await change(current, deps.clock.now());
    if (!next) {
      await flushOutbox(deps, current);
      return { referral: current, changed: false };
    }
    const stored = { ...next, version: current.version + 1 };
    if (await deps.referrals.replace(stored, current)) {
      recordTimelineMetrics(deps.metrics, stored, stored.timeline.slice(current.timeline.length));
      try {
        await flushOutbox(deps, stored, { group: writeGroup(stored.version) });
      } catch (error) {
        if (!options.leavePendingEffects) throw error;
        // The change is stored, which is what the caller asked for; the reconciler finishes the rest.
        deps.log.warn('effects left pending for the reconciler', { referralId, error: error instanceof Error ? error.name : 'unknown' });
      }
      return { referral: stored, changed: true };
    }
  }
  throw new Error(`referral ${referralId} kept changing under us; giving up for a retry`);
}

/** Carries out pending effects (only those of one write, with `group`) under a claim, ticking each off. */
export async function flushOutbox(deps: Dependencies, referral: Referral, options: { group?: string } = {}): Promise<void> {
  const entries = Object.entries(referral.outbox).filter(([effectId]) => options.group === undefined || effectGroup(effectId) === options.group);
  if (entries.length === 0) return;
  // Two deliveries of one message may flush the same outbox at once: only the claim holder sends.
  const until = new Date(deps.clock.now().getTime() + EFFECT_CLAIM_SECONDS * 1000);
  const groups = new Map<string, string[]>();
  for (const [effectId] of entries) groups.set(effectGroup(effectId), [...(groups.get(effectGroup(effectId)) ?? []), effectId]);
  const owed = new Set<string>();
  const claimed: string[] = [];
  for (const [group, effectIds] of groups) {
    // A claim is there to stop an SMS going twice: a write whose effects are all repeatable needs none.
    if (effectIds.every((effectId) => repeatable.has(referral.outbox[effectId]?.kind ?? 'sms'))) {
      for (const effectId of effectIds) owed.add(effectId);
      continue;
    }
    const ours = await deps.referrals.claimEffects(referral.id, group, effectIds, until);
    if (ours.length > 0) claimed.push(group);
    for (const effectId of ours) owed.add(effectId);
  }
  const pending = entries
    .filter(([effectId]) => owed.has(effectId))
    .sort(([idA, a], [idB, b]) => order[a.kind] - order[b.kind] || idA.localeCompare(idB));

  let remaining = pending.length;
  let done: string[] = [];
  const tickOff = async () => {
    const effectIds = done;
    done = [];
    // The last of these usually empties the outbox (other runs' effects are done by now): say so,
    // so the referral leaves the pending index in the same write when it does.
    await deps.referrals.completeEffects(referral.id, effectIds, { emptiesOutbox: effectIds.length === remaining });
    remaining -= effectIds.length;
  };
  try {
    // The timers (sorted together) go in one batch, in their place; everything else one at a time.
    const timers = pending.filter((entry): entry is [string, TimerEffect] => isTimer(entry[1]));
    for (const [effectId, effect] of pending) {
      if (isTimer(effect)) {
        if (effectId !== timers[0]?.[0]) continue;
        await deps.timers.scheduleAll(timers.map(([, timer]) => timerMessage(referral, timer)), deps.clock.now());
        done.push(...timers.map(([timerId]) => timerId));
        continue;
      }
      await perform(deps, referral, effect);
      done.push(effectId);
      if (!repeatable.has(effect.kind)) await tickOff();
    }
    await tickOff();
  } catch (error) {
    // What was done stays done; the rest is given back for the retry.
    await tickOff().catch(() => undefined);
    await Promise.all(claimed.map((group) => deps.referrals.releaseEffects(referral.id, group, until))).catch(() => undefined);
    throw error;
  }
}

type TimerEffect = Extract<PendingEffect, { kind: 'timer' | 'clock-timer' }>;
const isTimer = (effect: PendingEffect): effect is TimerEffect => effect.kind === 'timer' || effect.kind === 'clock-timer';

function timerMessage(referral: Referral, effect: TimerEffect): TimerMessage {
  if (effect.kind === 'timer') return { referralId: referral.id, pageSeq: effect.pageSeq, dueAt: effect.dueAt };
  const { kind: _kind, ...warning } = effect;
  return { kind: 'clock-warning', referralId: referral.id, ...warning };
}

/** Every effect but the timers, which `flushOutbox` sends together. */
async function perform(deps: Dependencies, referral: Referral, effect: Exclude<PendingEffect, TimerEffect>): Promise<void> {
  const now = deps.clock.now();
  switch (effect.kind) {
    case 'queue-referral':
      return deps.referralQueue.enqueue(referral.id);
    case 'page':
      await deps.referrals.recordPage(
        { id: effect.linkId, referralId: referral.id, staffId: effect.staffId, expiresAt: effect.linkExpiresAt },
        now.toISOString(),
      );
      return sendPage(deps, referral, effect, now);
    case 'sms':
      if (effect.purpose === 'reply' && !(await withinReplyLimits(deps, effect.to, now))) {
        deps.log.warn('reply SMS withheld: over its limit', { referralId: referral.id });
        return;
      }
      return sendCounted(deps, effect.to, effect.text);
    case 'close-pages':
      await Promise.all(effect.staffIds.map((staffId) => deps.referrals.unindexPage(staffId, referral.id)));
      return;
    case 'mark-busy':
      return deps.directory.markBusy(effect.staffId, referral.id, now);
    case 'clear-busy':
      return deps.directory.clearBusy(effect.staffId, referral.id);
    case 'expire-details':
      return deps.referrals.expireDetails(referral.id, new Date(effect.at));
  }
}

/** An SMS that fails every retry is counted (the SmsFailures alarm) before the platform retries the whole effect. */
async function sendCounted(deps: Dependencies, to: string, text: string): Promise<void> {
  try {
    await deps.sms.send(to, text);
  } catch (error) {
    if (error instanceof SmsDeliveryError) deps.metrics.count('SmsFailures');
    throw error;
  }
}

const { pagesPerPhone, repliesPerPhone, repliesPerDay } = smsLimits;

/**
 * A page that cannot be delivered (the provider refused it after retries, or the phone is over
 * its page limit) must not hold up the chain: an immediate `page-failed` timer moves it on and
 * the escalator tells the manager.
 */
async function sendPage(deps: Dependencies, referral: Referral, effect: Extract<PendingEffect, { kind: 'page' }>, now: Date) {
  let failure: string | null = null;
  if (!(await deps.smsQuota.take(`page:${effect.to}`, pagesPerPhone.limit, pagesPerPhone.windowSeconds, now))) {
    failure = 'rate-limited';
  } else {
    try {
      await deps.sms.send(effect.to, effect.text);
    } catch (error) {
      if (!(error instanceof SmsDeliveryError)) throw error;
      failure = error.causeName;
    }
  }
  if (failure === null) {
    deps.metrics.count('PagesSent');
    return;
  }
  deps.metrics.count('SmsFailures');
  deps.log.warn('page not delivered; moving the chain on', { referralId: referral.id, pageSeq: effect.pageSeq, failure });
  await deps.timers.schedule(
    { referralId: referral.id, pageSeq: effect.pageSeq, dueAt: now.toISOString(), reason: 'page-failed' },
    now,
  );
}

async function withinReplyLimits(deps: Dependencies, to: string, now: Date): Promise<boolean> {
  return (
    (await deps.smsQuota.take(`reply:${to}`, repliesPerPhone.limit, repliesPerPhone.windowSeconds, now)) &&
    (await deps.smsQuota.take('replies', repliesPerDay.limit, repliesPerDay.windowSeconds, now))
  );
}
