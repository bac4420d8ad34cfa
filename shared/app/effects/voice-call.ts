import type { Referral } from '../../ports.ts';
import { smsLimits } from '../sms-policy.ts';
import type { EffectContext, EffectKind, EffectOf } from './effect-kind.ts';
import { withdrawnBecause } from './page.ts';

const { callsPerPhone } = smsLimits;

/**
 * Why a voice call planned for a page is no longer worth making: the page's own reasons
 * (accepted, closed, superseded), or the page has had its answer or its timeout already (after
 * the last page the chain runs out without a new page, so the sequence alone cannot tell).
 */
export function callWithdrawnBecause(referral: Referral, pageSeq: number, staffId: string): 'accepted' | 'closed' | 'superseded' | 'declined' | null {
  const withdrawn = withdrawnBecause(referral, pageSeq);
  if (withdrawn) return withdrawn;
  if (referral.escalation?.declinedBy.includes(staffId)) return 'declined';
  const ended = referral.timeline.some((entry) => entry.pageSeq === pageSeq && (entry.type === 'ack_timeout' || entry.type === 'page_failed'));
  return ended ? 'superseded' : null;
}

/**
 * A voice call to the phone of a page still unanswered. Checked against the stored referral
 * first, as a page is. A call that cannot be placed (refused, over its per-phone limit, or the
 * provider failing) is recorded and counted, never retried into a storm and never a reason to
 * hold the chain: the acknowledgement timer moves it on whatever happens here.
 */
export const voiceCall: EffectKind<'voice-call'> = {
  kind: 'voice-call',
  order: 5,
  repeatable: false,
  grants: ['table:referrals', 'voice:call'],
  maxAttempts: 2,
  purpose: () => 'a voice call after an unanswered page',
  perform: async (context, effect) => {
    const { deps, referral, now, followUps } = context;
    const stored = await deps.referrals.get(referral.id);
    const withdrawn = callWithdrawnBecause(stored && stored.version >= referral.version ? stored : referral, effect.pageSeq, effect.staffId);
    if (withdrawn) {
      deps.log.info('voice call withdrawn before it was placed', { referralId: referral.id, pageSeq: effect.pageSeq, reason: withdrawn });
      return;
    }
    const failure = await placeCall(context, effect);
    const at = now.toISOString();
    if (failure === null) {
      deps.metrics.count('VoiceCallsPlaced');
      followUps.timeline.push({ at, type: 'voice_call', staffId: effect.staffId, pageSeq: effect.pageSeq });
      return;
    }
    deps.metrics.count('VoiceCallFailures');
    deps.log.warn('voice call not placed; the chain goes on', { referralId: referral.id, pageSeq: effect.pageSeq, failure });
    followUps.timeline.push({ at, type: 'voice_call_failed', staffId: effect.staffId, pageSeq: effect.pageSeq, reason: failure });
  },
  // Set aside (the store kept failing): the page's own timer still moves the chain; nobody need be texted.
  onSetAside: () => [],
};

/** Null when the call was placed, else why not (a provider's error name, or `rate_limited`). */
async function placeCall({ deps, now }: EffectContext, effect: EffectOf<'voice-call'>): Promise<string | null> {
  if (!deps.voice) return 'no_voice_channel';
  if (!(await deps.smsQuota.take(`call:${effect.to}`, callsPerPhone.limit, callsPerPhone.windowSeconds, now))) return 'rate_limited';
  try {
    await deps.voice.call(effect.to, effect.ssml);
    return null;
  } catch (error) {
    return (error as { causeName?: string }).causeName ?? (error instanceof Error ? error.name : 'unknown');
  }
}
