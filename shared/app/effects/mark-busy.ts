import { MAX_ATTEMPTS, type EffectKind } from './effect-kind.ts';

/** The accepting AMHP holds an open referral: routing prefers a free AMHP while one is on duty. */
export const markBusy: EffectKind<'mark-busy'> = {
  kind: 'mark-busy',
  order: 0,
  repeatable: true,
  grants: ['table:directory'],
  maxAttempts: MAX_ATTEMPTS,
  purpose: () => 'marking the AMHP busy',
  perform: ({ deps, referral, now }, effect) => deps.directory.markBusy(effect.staffId, referral.id, now),
};
