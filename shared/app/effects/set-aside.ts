import { effectSetAsideText } from '../../domain/sms.ts';
import type { ServiceSettings, TimelineEntry } from '../../domain/types.ts';
import { SmsDeliveryError, type Dependencies, type PendingEffect, type Referral } from '../../ports.ts';
import { managerPhone } from '../team-contacts.ts';
import type { EffectContext } from './effect-kind.ts';
import { kindOf } from './index.ts';

/** One effect that failed in a flush, with what it threw. */
export interface Failure {
  effectId: string;
  effect: PendingEffect;
  error: unknown;
}

/** A refusal no retry can cure: set aside at once. */
const refusedForGood = (error: unknown) => error instanceof SmsDeliveryError && error.permanent;

/**
 * Counts each failure against its effect; returns those to set aside now: refused for good, or
 * failed as often as their kind allows. A count that cannot be stored leaves the effect for a retry.
 */
export async function countFailures({ deps, referral }: EffectContext, failed: readonly Failure[]): Promise<Failure[]> {
  const setAside: Failure[] = [];
  for (const failure of failed) {
    if (refusedForGood(failure.error)) {
      setAside.push(failure);
      continue;
    }
    const attempts = await deps.referrals.recordEffectFailure(referral.id, failure.effectId).catch(() => 0);
    if (attempts >= kindOf(failure.effect).maxAttempts) setAside.push(failure);
  }
  return setAside;
}

const errorName = (error: unknown) => (error instanceof Error ? error.name : 'unknown');

/** Who hears of an effect set aside: the team's manager on duty, else the team's fallback, else the service's; never the number that failed. */
async function alertRecipient(deps: Dependencies, referral: Referral, now: Date, failedPhone: string | undefined): Promise<string | null> {
  const team = await managerPhone(deps, referral.teamId, now).catch(() => null);
  const teamFallback = referral.teamId ? ((await deps.directory.getTeam(referral.teamId).catch(() => null))?.fallbackPhone ?? null) : null;
  // The service's fallback phone (PUT /api/service, SPEC v1.1), where the deployment has one.
  const service = ((await deps.directory.getServiceSettings().catch(() => ({}))) as ServiceSettings & { fallbackPhone?: string }).fallbackPhone ?? null;
  return [team, teamFallback, service].find((phone): phone is string => typeof phone === 'string' && phone !== '' && phone !== failedPhone) ?? null;
}

/**
 * What setting an effect aside leaves behind: an `effect_set_aside` timeline entry (its kind, its
 * purpose, why; never a number or a name), the EffectsSetAside metric (its alarm), and either what
 * its kind does instead (a page moves the chain on) or a text to a person. An alert that is itself
 * set aside alerts nobody further: its timeline entry and the alarm are what is left.
 */
export async function setAsideEffect(
  deps: Dependencies,
  referral: Referral,
  failure: Failure,
  now: Date,
): Promise<{ entry: TimelineEntry; effects: PendingEffect[] }> {
  const kind = kindOf(failure.effect);
  const purpose = kind.purpose(failure.effect);
  const reason = refusedForGood(failure.error) ? 'refused' : 'attempts_exhausted';
  deps.metrics.count('EffectsSetAside');
  deps.log.error('effect set aside', { referralId: referral.id, effectId: failure.effectId, kind: failure.effect.kind, reason, error: errorName(failure.error) });
  const entry: TimelineEntry = { at: now.toISOString(), type: 'effect_set_aside', kind: failure.effect.kind, purpose, reason, error: errorName(failure.error) };
  const context: EffectContext = { deps, referral, now, followUps: { timeline: [], effects: [] } };
  if (kind.onSetAside) return { entry, effects: kind.onSetAside(context, failure.effect) };
  if (failure.effect.kind === 'sms' && failure.effect.purpose === 'set-aside-alert') return { entry: { ...entry, alerted: false }, effects: [] };
  const to = await alertRecipient(deps, referral, now, failure.effect.kind === 'sms' ? failure.effect.to : undefined);
  if (!to) return { entry: { ...entry, alerted: false }, effects: [] };
  return {
    entry: { ...entry, alerted: true },
    effects: [{ kind: 'sms', to, purpose: 'set-aside-alert', text: effectSetAsideText({ reference: referral.reference, purpose }) }],
  };
}
