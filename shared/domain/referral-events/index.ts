/**
 * The events a referral takes after intake (`POST /api/referrals/{id}/events`), one group per
 * module. Adding a group (issue 13: assessment, delays, relatives): its module and its line in
 * `groups`; the endpoint, the OpenAPI document and the fuzzing follow from here.
 */
import type * as z from 'zod';
import type { ValidationIssue } from '../types.ts';
import { isRecord, validateWith } from '../validation.ts';
import { refuse, type EventContext, type EventGroup, type EventRecorder, type EventReferral, type EventResult } from './event-group.ts';
import { withParseTime } from './instant.ts';
import { assessmentEvents } from './assessment.ts';
import { delaysEvents } from './delays.ts';
import { legalEvents } from './legal.ts';
import { relativesEvents } from './relatives.ts';

export type { EventChange, EventContext, EventRecorder, EventReferral, EventResult } from './event-group.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each group has its own event type; a parsed event goes back to its own group
type AnyGroup = EventGroup<any>;

export const eventGroups: readonly AnyGroup[] = [legalEvents, assessmentEvents, delaysEvents, relativesEvents];

export const eventTypes: readonly string[] = eventGroups.flatMap((group) => group.types);

/** An event as parsed: its group, which alone applies it. */
export interface ParsedEvent {
  group: AnyGroup;
  event: { type: string; at: string } & Record<string, unknown>;
}

/** Each group's body schemas, for the OpenAPI document. */
export const eventSchemas: readonly z.ZodType[] = eventGroups.map((group) => group.schema);

/**
 * The body as an event of a known type, with `at` (when it happened) defaulting to now. Issues
 * name the field (`placeKind`, `at`), never repeat the value.
 */
export function parseReferralEvent(body: unknown, now: Date): { ok: true; value: ParsedEvent } | { ok: false; issues: ValidationIssue[] } {
  if (!isRecord(body)) return { ok: false, issues: [{ path: '', message: 'must be an object with a type' }] };
  const group = eventGroups.find((g) => typeof body.type === 'string' && g.types.includes(body.type));
  if (!group) return { ok: false, issues: [{ path: 'type', message: `must be one of: ${eventTypes.join(', ')}` }] };
  const withAt = body.at === undefined || body.at === null || body.at === '' ? { ...body, at: now.toISOString() } : body;
  const parsed = withParseTime(now, () => validateWith(group.schema, withAt));
  return parsed.ok ? { ok: true, value: { group, event: parsed.value as ParsedEvent['event'] } } : parsed;
}

export const mayRecord = (parsed: ParsedEvent, recorder: EventRecorder | null) => recorder !== null && parsed.group.mayRecord(parsed.event.type, recorder);

/** What the event does to the referral, or why it cannot happen now. Nothing happens to a closed referral. */
export function applyReferralEvent(referral: EventReferral, parsed: ParsedEvent, context: EventContext): EventResult {
  if (referral.status === 'closed') return refuse('closed', 'the referral is closed: its outcome is recorded, and nothing more can be added to it');
  return parsed.group.apply(referral, parsed.event, context);
}
