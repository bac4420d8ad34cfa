import { MAX_ATTEMPTS, type EffectKind } from './effect-kind.ts';
import { timerMessage, timersTogether } from './timers.ts';

/** A page's acknowledgement timer: before the page, so that a page whose SMS fails still escalates. */
export const timer: EffectKind<'timer'> = {
  kind: 'timer',
  order: 2,
  repeatable: true,
  grants: ['queue:escalationTimers'],
  maxAttempts: MAX_ATTEMPTS,
  purpose: () => 'the acknowledgement timer',
  perform: ({ deps, referral, now }, effect) => deps.timers.schedule(timerMessage(referral, effect), now),
  together: timersTogether,
};
