/**
 * How a referral ends. An AMHP or a manager records the outcome; the referral then leaves the
 * board, its holder is free for the next one, and late answers to its pages are refused. The
 * outcome is a closed list with no free text, so nothing said about the person can land here.
 */
import * as z from 'zod';
import type { ReferralStatus, TimelineEntry, ValidationResult } from './types.ts';

export const closeOutcomes = ['assessed', 'not_required', 'withdrawn', 'transferred'] as const;
export type CloseOutcome = (typeof closeOutcomes)[number];

/** What the MHA assessment decided; required when, and only when, the outcome is `assessed`. */
export const assessmentResults = [
  'detained_s2',
  'detained_s3',
  'informal_admission',
  'community_follow_up',
  'no_further_action',
] as const;
export type AssessmentResult = (typeof assessmentResults)[number];

export type ReferralOutcome =
  | { outcome: 'assessed'; result: AssessmentResult }
  | { outcome: Exclude<CloseOutcome, 'assessed'> };

export const outcomeLabel: Record<CloseOutcome, string> = {
  assessed: 'Assessed',
  not_required: 'Assessment not required',
  withdrawn: 'Referral withdrawn',
  transferred: 'Transferred to another service',
};

export const resultLabel: Record<AssessmentResult, string> = {
  detained_s2: 'Detained under section 2',
  detained_s3: 'Detained under section 3',
  informal_admission: 'Informal admission',
  community_follow_up: 'Community follow-up',
  no_further_action: 'No further action',
};

const outcomeSchema = z.discriminatedUnion('outcome', [
  z.strictObject({
    outcome: z.literal('assessed'),
    result: z.enum(assessmentResults, { error: `must be one of ${assessmentResults.join(', ')}` }),
  }),
  z.strictObject({ outcome: z.literal('not_required') }),
  z.strictObject({ outcome: z.literal('withdrawn') }),
  z.strictObject({ outcome: z.literal('transferred') }),
]);

/**
 * `{ "outcome": "assessed", "result": "detained_s2" }` and the like. Errors name the field, never
 * the value given.
 */
export function validateOutcome(body: unknown): ValidationResult<ReferralOutcome> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, issues: [{ path: '', message: 'must be an object with an outcome' }] };
  }
  const record = body as Record<string, unknown>;
  if (!(closeOutcomes as readonly unknown[]).includes(record.outcome)) {
    return { ok: false, issues: [{ path: 'outcome', message: `must be one of ${closeOutcomes.join(', ')}` }] };
  }
  if (record.outcome !== 'assessed' && 'result' in record) {
    return { ok: false, issues: [{ path: 'result', message: 'is only given when the outcome is assessed' }] };
  }
  if (record.outcome === 'assessed' && (record.result === undefined || record.result === '')) {
    return { ok: false, issues: [{ path: 'result', message: 'is required when the outcome is assessed' }] };
  }
  const parsed = outcomeSchema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      message: issue.code === 'unrecognized_keys' ? `has fields that are not allowed: ${issue.keys.join(', ')}` : issue.message,
    })),
  };
}

/** How a referral was closed, kept on the referral. */
export interface Closure {
  outcome: CloseOutcome;
  result?: AssessmentResult;
  /** The user who closed it. */
  closedBy: string;
  closedAt: string;
}

/**
 * An accepted referral (assessment done or not needed), an exhausted one (handled outside the
 * chain), or an unrouted one (no team covers the area; a manager sent it on) can be closed.
 * A referral still paging cannot: someone must accept it first, or the chain must run out.
 */
export const closableStatuses: readonly ReferralStatus[] = ['accepted', 'exhausted', 'unrouted'];

export type CloseDecision =
  | { ok: true; closure: Closure; entry: TimelineEntry }
  | { ok: false; error: 'already-closed' | 'not-closable'; message: string };

export function closeReferral(status: ReferralStatus, outcome: ReferralOutcome, closedBy: string, now: Date): CloseDecision {
  if (status === 'closed') return { ok: false, error: 'already-closed', message: 'the referral is already closed' };
  if (!closableStatuses.includes(status)) {
    return {
      ok: false,
      error: 'not-closable',
      message: `a referral that is ${status} cannot be closed: it must be accepted, exhausted or unrouted first`,
    };
  }
  const closedAt = now.toISOString();
  const closure: Closure = { ...outcome, closedBy, closedAt };
  return {
    ok: true,
    closure,
    entry: { at: closedAt, type: 'closed', outcome: outcome.outcome, ...(outcome.outcome === 'assessed' ? { result: outcome.result } : {}), by: closedBy, fromStatus: status },
  };
}
