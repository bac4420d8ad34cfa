import type { Dependencies, PendingEffect, Referral } from '../ports.ts';
import { kindOf, type EffectContext } from './effects/index.ts';
import { countFailures, setAsideEffect, type Failure } from './effects/set-aside.ts';
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
      // The canary's referrals are not the service's work: CloudWatch's figures leave them out.
      if (!stored.synthetic) recordTimelineMetrics(deps.metrics, stored, stored.timeline.slice(current.timeline.length));
      try {
        await flushOutbox(deps, stored, { group: writeGroup(stored.version), storedAt: deps.clock.now() });
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

/**
 * Carries out pending effects (only those of one write, with `group`) under a claim, ticking each
 * off. Every effect is attempted even when another fails. A failure is counted against the effect;
 * one refused for good (an opted-out or invalid number), or failed `maxAttempts` times, is set
 * aside: taken out of the outbox, with a timeline entry, a metric (its alarm) and a text to a
 * person (shared/app/effects/set-aside.ts). The rest that failed are left for a retry, and the
 * first failure is thrown so the caller's platform retries (or the reconciler's alarm sounds).
 */
export async function flushOutbox(deps: Dependencies, referral: Referral, options: { group?: string; storedAt?: Date } = {}): Promise<void> {
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
    if (entries.every(([effectId, effect]) => effectGroup(effectId) !== group || kindOf(effect).repeatable)) {
      for (const effectId of effectIds) owed.add(effectId);
      continue;
    }
    const ours = await deps.referrals.claimEffects(referral.id, group, effectIds, until);
    if (ours.length > 0) claimed.push(group);
    for (const effectId of ours) owed.add(effectId);
  }
  const pending = entries
    .filter(([effectId]) => owed.has(effectId))
    .sort(([idA, a], [idB, b]) => kindOf(a).order - kindOf(b).order || idA.localeCompare(idB));

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
  const context: EffectContext = { deps, referral, now: deps.clock.now(), ...(options.storedAt ? { storedAt: options.storedAt } : {}), followUps: { timeline: [], effects: [] } };
  const failed: Failure[] = [];
  try {
    const together = new Set<string>();
    for (const [effectId, effect] of pending) {
      const kind = kindOf(effect);
      if (kind.together) {
        // Effects done together (the timers, in one batch) go in the place of the first of them.
        const { key, performAll } = kind.together;
        if (together.has(key)) continue;
        together.add(key);
        const batch = pending.filter(([, other]) => kindOf(other).together?.key === key);
        try {
          await performAll(context, batch.map(([, other]) => other));
          done.push(...batch.map(([id]) => id));
        } catch (error) {
          failed.push(...batch.map(([id, other]) => ({ effectId: id, effect: other, error })));
        }
        continue;
      }
      try {
        await kind.perform(context, effect);
      } catch (error) {
        failed.push({ effectId, effect, error });
        continue;
      }
      done.push(effectId);
      if (!kind.repeatable) await tickOff();
    }
    const setAside = await countFailures(context, failed);
    // Before the set-aside effects leave the outbox: if this write fails they are set aside (and told) again later.
    await recordFollowUps(context, setAside);
    done.push(...setAside.map(({ effectId }) => effectId));
    await tickOff();
    const left = failed.filter((failure) => !setAside.includes(failure));
    if (left.length > 0) {
      deps.log.warn('effects failed; left for a retry', {
        referralId: referral.id,
        effects: left.map(({ effectId, effect, error }) => ({ effectId, kind: effect.kind, error: errorName(error) })),
      });
      throw left[0]!.error;
    }
  } catch (error) {
    // What was done stays done; the rest is given back for the retry.
    await tickOff().catch(() => undefined);
    await Promise.all(claimed.map((group) => deps.referrals.releaseEffects(referral.id, group, until))).catch(() => undefined);
    throw error;
  }
}

const errorName = (error: unknown) => (error instanceof Error ? error.name : 'unknown');

/** Stores what the effects left to do (timeline entries, set-aside alerts, page-failed timers) in one write of its own. */
async function recordFollowUps(context: EffectContext, setAside: readonly Failure[]): Promise<void> {
  const { deps, referral, now } = context;
  const timeline = [...context.followUps.timeline];
  const effects = [...context.followUps.effects];
  for (const failure of setAside) {
    const { entry, effects: instead } = await setAsideEffect(deps, referral, failure, now);
    timeline.push(entry);
    effects.push(...instead);
  }
  if (timeline.length === 0 && effects.length === 0) return;
  await changeReferral(
    deps,
    referral.id,
    (current) => ({ ...current, timeline: [...current.timeline, ...timeline], outbox: addEffects(current, effects) }),
    { leavePendingEffects: true },
  );
}
