import type { Dependencies, PendingEffect, Referral } from '../../ports.ts';
import type { TimelineEntry } from '../../domain/types.ts';

/**
 * What an effect needs the function carrying it out to be allowed: a name the infrastructure can
 * map to IAM (infra/definition.ts `reads`/`writes`/`sendsTo`/`sendsSms`/`placesCalls`).
 */
export type Grant = 'table:referrals' | 'table:directory' | 'queue:referrals' | 'queue:escalationTimers' | 'sms:send' | 'voice:call';

export type EffectOf<K extends PendingEffect['kind']> = Extract<PendingEffect, { kind: K }>;

/** What carrying out an effect may leave for the referral: timeline entries and more effects, stored in one write after the flush. */
export interface FollowUps {
  timeline: TimelineEntry[];
  effects: PendingEffect[];
}

export interface EffectContext {
  deps: Dependencies;
  /** The referral as the flusher read it (its outbox may be older than the stored one). */
  referral: Referral;
  now: Date;
  /**
   * When `referral` is the copy this very run just stored (the write that added these effects):
   * until a moment after, it is as current as a fresh read would be.
   */
  storedAt?: Date;
  followUps: FollowUps;
}

/** Effects of kinds with the same `together` key are carried out in one call (the timers: one SendMessageBatch per ten). */
export interface Together {
  key: string;
  performAll(context: EffectContext, effects: readonly PendingEffect[]): Promise<void>;
}

/**
 * One kind of effect: where it goes in a flush, whether doing it twice is harmless, what it needs
 * to be allowed, how many failed attempts it gets before it is set aside, and how it is done.
 */
export interface EffectKind<K extends PendingEffect['kind']> {
  kind: K;
  /**
   * Lower first. State effects (busy markers, the page index, details expiry) go before anything
   * that tells a person, so a failing text cannot leave the state behind.
   */
  order: number;
  /**
   * Harmless done twice (a timer is checked against the page it is for, a queued referral against
   * its status, markers are overwritten): ticked off together, and a write holding only these
   * needs no claim. Anything else (a text) is ticked off as soon as it is done.
   */
  repeatable: boolean;
  grants: readonly Grant[];
  /** Failed attempts before the effect is set aside (a person is told instead). */
  maxAttempts: number;
  /** What it was for, in words with no personal data, for the `effect_set_aside` timeline entry. */
  purpose(effect: EffectOf<K>): string;
  perform(context: EffectContext, effect: EffectOf<K>): Promise<void>;
  together?: Together;
  /**
   * Instead of the usual alert: what setting this effect aside leaves to do (a page moves the
   * chain on). Absent: the manager on duty, else a fallback, is texted.
   */
  onSetAside?(context: EffectContext, effect: EffectOf<K>): PendingEffect[];
}

/** The usual number of attempts before an effect is set aside. */
export const MAX_ATTEMPTS = 5;
