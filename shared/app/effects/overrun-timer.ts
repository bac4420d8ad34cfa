import { MAX_ATTEMPTS, type EffectKind } from './effect-kind.ts';
import { timerMessage, timersTogether } from './timers.ts';

/** A stage's overrun timer (shared/domain/overruns.ts): the manager is told if the stage is still overdue when it fires. */
export const overrunTimer: EffectKind<'overrun-timer'> = {
  kind: 'overrun-timer',
  order: 2,
  repeatable: true,
  grants: ['queue:escalationTimers'],
  maxAttempts: MAX_ATTEMPTS,
  purpose: (effect) => `the ${effect.overrun.replaceAll('_', ' ')} overrun timer`,
  perform: ({ deps, referral, now }, effect) => deps.timers.schedule(timerMessage(referral, effect), now),
  together: timersTogether,
};
