import { MAX_ATTEMPTS, type EffectKind } from './effect-kind.ts';

/** Queues a stored referral for routing: what the referrer is waiting on. */
export const queueReferral: EffectKind<'queue-referral'> = {
  kind: 'queue-referral',
  order: 1,
  repeatable: true,
  grants: ['queue:referrals'],
  maxAttempts: MAX_ATTEMPTS,
  purpose: () => 'queueing the referral for routing',
  perform: ({ deps, referral }) => deps.referralQueue.enqueue(referral.id),
};
