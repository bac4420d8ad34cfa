import { MAX_ATTEMPTS, type EffectKind } from './effect-kind.ts';
import { timerMessage, timersTogether } from './timers.ts';

/** A statutory clock warning, due before the clock runs out. */
export const clockTimer: EffectKind<'clock-timer'> = {
  kind: 'clock-timer',
  order: 2,
  repeatable: true,
  grants: ['queue:escalationTimers'],
  maxAttempts: MAX_ATTEMPTS,
  purpose: (effect) => `the ${effect.clockKind} clock warning timer`,
  perform: ({ deps, referral, now }, effect) => deps.timers.schedule(timerMessage(referral, effect), now),
  together: timersTogether,
};
