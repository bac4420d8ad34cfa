import { SmsDeliveryError, type PendingEffect, type Referral } from '../../ports.ts';
import { smsLimits } from '../sms-policy.ts';
import type { EffectContext, EffectKind, EffectOf } from './effect-kind.ts';

const { pagesPerPhone } = smsLimits;

/**
 * Why a page pending in the outbox is no longer worth sending: someone accepted, the referral was
 * closed, or the chain has moved past it (its timer fired before the page went). A page after the
 * chain ran out is still sent: a late accept still counts (shared/domain/escalation.ts onAccept).
 */
export function withdrawnBecause(referral: Referral, pageSeq: number): 'accepted' | 'closed' | 'superseded' | null {
  if (!referral.escalation || referral.status === 'closed') return 'closed';
  if (referral.status === 'accepted' || referral.escalation.status === 'accepted') return 'accepted';
  return referral.escalation.pageSeq === pageSeq ? null : 'superseded';
}

/**
 * A page that goes out within this long of the write that decided it is checked against that
 * write: the referral was current then, and a read now would find the same but for the same few
 * milliseconds' race a read leaves before the send anyway (an accept landing in them stands the
 * page down: shared/domain/escalation.ts onAccept). Later (a slow flush, a retry, the reconciler),
 * the stored copy is read first.
 */
export const CURRENT_FOR_MS = 1_000;

/** The chain moves on at once: the escalator records the page as failed and tells the manager. */
const pageFailedTimer = (effect: EffectOf<'page'>, now: Date): PendingEffect => ({
  kind: 'timer',
  pageSeq: effect.pageSeq,
  dueAt: now.toISOString(),
  reason: 'page-failed',
});

/**
 * One page: checked against the stored referral first (still current?), then the accept link and
 * the page index are stored, then the SMS goes. A page that cannot be delivered (refused after
 * retries, or the phone over its page limit) must not hold up the chain: a `page-failed` timer
 * moves it on. Three failed attempts at the rest (the store, the timer) set it aside the same way.
 */
export const page: EffectKind<'page'> = {
  kind: 'page',
  order: 3,
  repeatable: false,
  grants: ['table:referrals', 'sms:send', 'queue:escalationTimers'],
  maxAttempts: 3,
  purpose: () => 'a page',
  perform: async (context, effect) => {
    const { deps, referral, now, followUps, storedAt } = context;
    const justStored = storedAt !== undefined && deps.clock.now().getTime() - storedAt.getTime() < CURRENT_FOR_MS;
    // The newer of the stored copy and the flusher's own decides (a referral is never deleted).
    const stored = justStored ? referral : await deps.referrals.get(referral.id);
    const withdrawn = withdrawnBecause(stored && stored.version >= referral.version ? stored : referral, effect.pageSeq);
    if (withdrawn) {
      deps.log.info('page withdrawn before it was sent', { referralId: referral.id, pageSeq: effect.pageSeq, reason: withdrawn });
      followUps.timeline.push({ at: now.toISOString(), type: 'page_withdrawn', staffId: effect.staffId, pageSeq: effect.pageSeq, reason: withdrawn });
      return;
    }
    await deps.referrals.recordPage({ id: effect.linkId, referralId: referral.id, staffId: effect.staffId, expiresAt: effect.linkExpiresAt }, now.toISOString());
    await sendPage(context, effect);
  },
  onSetAside: ({ now }, effect) => [pageFailedTimer(effect, now)],
};

async function sendPage({ deps, referral, now }: EffectContext, effect: EffectOf<'page'>) {
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
  await deps.timers.schedule({ referralId: referral.id, pageSeq: effect.pageSeq, dueAt: now.toISOString(), reason: 'page-failed' }, now);
}
