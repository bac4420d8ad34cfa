/**
 * Every kind of effect, one module each (order, repeatable, grants, attempts, how it is done).
 * Adding a kind: its module, its line here, its shape in PendingEffect (shared/ports.ts).
 */
import type { PendingEffect } from '../../ports.ts';
import { clearBusy } from './clear-busy.ts';
import { clockTimer } from './clock-timer.ts';
import { closePages } from './close-pages.ts';
import type { EffectKind, Grant } from './effect-kind.ts';
import { expireDetails } from './expire-details.ts';
import { markBusy } from './mark-busy.ts';
import { overrunTimer } from './overrun-timer.ts';
import { page } from './page.ts';
import { queueReferral } from './queue-referral.ts';
import { sms } from './sms.ts';
import { timer } from './timer.ts';
import { voiceCall } from './voice-call.ts';

type Kinds = { [K in PendingEffect['kind']]: EffectKind<K> };

export const effectKinds: Kinds = {
  'queue-referral': queueReferral,
  timer,
  'clock-timer': clockTimer,
  'overrun-timer': overrunTimer,
  page,
  sms,
  'voice-call': voiceCall,
  'close-pages': closePages,
  'mark-busy': markBusy,
  'clear-busy': clearBusy,
  'expire-details': expireDetails,
};

/** The module for an effect's kind, typed loosely so the outbox can treat every kind alike. */
export const kindOf = (effect: PendingEffect): EffectKind<PendingEffect['kind']> => effectKinds[effect.kind] as unknown as EffectKind<PendingEffect['kind']>;

/** What a function must be allowed in order to carry out effects of this kind. */
export const grantFor = (kind: PendingEffect['kind']): readonly Grant[] => effectKinds[kind].grants;

export type { EffectContext, EffectKind, FollowUps, Grant } from './effect-kind.ts';
