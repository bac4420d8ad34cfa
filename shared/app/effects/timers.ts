import type { PendingEffect, Referral, TimerMessage } from '../../ports.ts';
import type { EffectOf, Together } from './effect-kind.ts';

type TimerEffect = EffectOf<'timer' | 'clock-timer' | 'overrun-timer'>;

export function timerMessage(referral: Referral, effect: TimerEffect): TimerMessage {
  if (effect.kind === 'timer') return { referralId: referral.id, pageSeq: effect.pageSeq, dueAt: effect.dueAt, ...(effect.reason ? { reason: effect.reason } : {}) };
  if (effect.kind === 'overrun-timer') return { kind: 'overrun', referralId: referral.id, overrun: effect.overrun, dueAt: effect.dueAt };
  const { kind: _kind, ...warning } = effect;
  return { kind: 'clock-warning', referralId: referral.id, ...warning };
}

/** Acknowledgement and clock timers of one write go in one batch (a write often starts more than one). */
export const timersTogether: Together = {
  key: 'timers',
  performAll: ({ deps, referral, now }, effects: readonly PendingEffect[]) =>
    deps.timers.scheduleAll(
      effects.filter((effect): effect is TimerEffect => effect.kind === 'timer' || effect.kind === 'clock-timer' || effect.kind === 'overrun-timer').map((effect) => timerMessage(referral, effect)),
      now,
    ),
};
