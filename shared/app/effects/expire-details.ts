import { MAX_ATTEMPTS, type EffectKind } from './effect-kind.ts';

/** The referral is closed: its details item gets the retention expiry, by which DynamoDB's TTL deletes it. */
export const expireDetails: EffectKind<'expire-details'> = {
  kind: 'expire-details',
  order: 0,
  repeatable: true,
  grants: ['table:referrals'],
  maxAttempts: MAX_ATTEMPTS,
  purpose: () => 'setting the details expiry',
  perform: ({ deps, referral }, effect) => deps.referrals.expireDetails(referral.id, new Date(effect.at)),
};
