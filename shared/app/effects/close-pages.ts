import { MAX_ATTEMPTS, type EffectKind } from './effect-kind.ts';

/** Takes the referral off the open pages of those paged for it, so a bare `1` by SMS no longer finds it. */
export const closePages: EffectKind<'close-pages'> = {
  kind: 'close-pages',
  order: 0,
  repeatable: true,
  grants: ['table:referrals'],
  maxAttempts: MAX_ATTEMPTS,
  purpose: () => 'closing the open pages',
  perform: async ({ deps, referral }, effect) => {
    await Promise.all(effect.staffIds.map((staffId) => deps.referrals.unindexPage(staffId, referral.id)));
  },
};
