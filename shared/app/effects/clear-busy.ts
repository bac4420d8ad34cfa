import { MAX_ATTEMPTS, type EffectKind } from './effect-kind.ts';

/** The referral is closed: its AMHP holds it no longer. */
export const clearBusy: EffectKind<'clear-busy'> = {
  kind: 'clear-busy',
  order: 0,
  repeatable: true,
  grants: ['table:directory'],
  maxAttempts: MAX_ATTEMPTS,
  purpose: () => 'clearing the busy marker',
  perform: ({ deps, referral }, effect) => deps.directory.clearBusy(effect.staffId, referral.id),
};
