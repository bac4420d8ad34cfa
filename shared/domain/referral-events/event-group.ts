/**
 * One group of referral events (SPEC "Contract v1.1", `POST /api/referrals/{id}/events`): its types,
 * the schema of their bodies, who may record each, and what each does to the referral. The legal
 * group is `legal.ts`; the assessment, delays and relatives groups are one module each beside it,
 * and each is one line in `index.ts`.
 */
import type * as z from 'zod';
import type { StoredLegal } from '../referral-details.ts';
import type { ReferralStatus, StatutoryClock, TimelineEntry, ValidationIssue } from '../types.ts';

/** Who is recording the event, as far as the rules care. */
export type EventRecorder = 'accepting_amhp' | 'manager' | 'referrer';

/** The part of a referral an event reads. */
export interface EventReferral {
  status: ReferralStatus;
  legal: StoredLegal;
  clocks: readonly StatutoryClock[];
  timeline: readonly TimelineEntry[];
  /** Under 18 at intake (age from the date of birth); absent when no date of birth was given (a phone referral). */
  subjectUnder18?: boolean;
}

export interface EventContext {
  /** When it is recorded (the request's time). */
  now: Date;
  /** The user id of who recorded it. */
  by: string;
  /** How it came, when not the API or a page: a stage texted by the AMHP. */
  via?: 'sms';
}

/** What an event changes: the legal facts, the clocks, the timeline entries it adds, and the clocks whose warnings must be armed. */
export interface EventChange {
  legal: StoredLegal;
  clocks: StatutoryClock[];
  timeline: TimelineEntry[];
  /** Clocks started or changed by the event: their warnings are planned again. */
  armed: StatutoryClock[];
}

export type EventRefusal =
  /** The body is well formed but a field is wrong for this referral (an under-18 at a police station). */
  | { ok: false; status: 400; issues: ValidationIssue[] }
  /** The referral's state does not allow it: `error` a code, `message` why, in words. */
  | { ok: false; status: 409; error: string; message: string };

export type EventResult = ({ ok: true } & EventChange) | EventRefusal;

export interface EventGroup<E extends { type: string; at: string }> {
  name: string;
  types: readonly E['type'][];
  /** A discriminated union on `type`; `at` is filled in (now) before it is parsed. */
  schema: z.ZodType<E>;
  mayRecord(type: E['type'], recorder: EventRecorder): boolean;
  apply(referral: EventReferral, event: E, context: EventContext): EventResult;
}

export const refuse = (error: string, message: string): EventRefusal => ({ ok: false, status: 409, error, message });
export const invalidField = (path: string, message: string): EventRefusal => ({ ok: false, status: 400, issues: [{ path, message }] });
