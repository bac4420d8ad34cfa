import { createHash, randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import { clockIntakeTimeline, statutoryClocks } from '../domain/clocks.ts';
import { policeStationRefusal } from '../domain/mha-2025.ts';
import { postcodeDistrict } from '../domain/postcode.ts';
import { newReference } from '../domain/reference.ts';
import { splitSubmission } from '../domain/referral-details.ts';
import { londonDate, referralPostcode, validateReferral } from '../domain/referral-schema.ts';
import { detailsExpiryAtIntake } from '../domain/retention.ts';
import type { Role } from '../domain/roles.ts';
import { isSyntheticReferral } from '../domain/synthetic.ts';
import type { Dependencies, Referral } from '../ports.ts';
import { clockTimerEffects } from './clock-warnings.ts';
import { overrunTimerEffects } from './overruns.ts';
import { addEffects, flushOutbox } from './outbox.ts';

export type Issue = { path: string; message: string };

export type SubmitResult =
  | { kind: 'accepted'; referral: Referral; replayed: boolean }
  | { kind: 'invalid'; issues: Issue[] }
  | { kind: 'idempotency-conflict' };

/** Keys are opaque to us, but bounded so they cannot be abused as storage. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;
/** How long a used Idempotency-Key is remembered: far longer than any client retries a request. */
export const IDEMPOTENCY_KEY_DAYS = 7;

export function checkIdempotencyKey(key: string | undefined): Issue | null {
  if (key === undefined || IDEMPOTENCY_KEY.test(key)) return null;
  return { path: 'headers.idempotency-key', message: 'must be 1 to 128 printable ASCII characters without spaces' };
}

/**
 * Stores the person's details, then the referral with its queueing as a pending effect, then
 * queues it. Details first, so that a stored referral always has them (a crash in between leaves
 * details with no referral, which their backstop expiry removes). Once `create` returns, the
 * referral is durable: if queueing fails the caller still answers 202, and the pending effect is
 * finished by a retry or the reconciler.
 */
export async function submitReferral(
  deps: Dependencies,
  input: { userId: string; body: unknown; idempotencyKey?: string; referrerRoles?: readonly Role[] },
): Promise<SubmitResult> {
  const now = deps.clock.now();
  const validation = validateReferral(input.body, now);
  if (!validation.ok) return { kind: 'invalid', issues: validation.issues };
  const submission = validation.value;
  // From the date the service sets, a police station is no place of safety for anyone (MHA 2025).
  if (submission.legal.placeOfSafety?.kind === 'police_station') {
    const ended = policeStationRefusal((await deps.directory.getServiceSettings()).settings, now);
    if (ended) return { kind: 'invalid', issues: [{ path: 'legal.placeOfSafety.kind', message: ended }] };
  }

  let id = ulid(now.getTime());
  if (input.idempotencyKey) {
    const fingerprint = createHash('sha256').update(JSON.stringify(input.body)).digest('base64url');
    const keepUntil = new Date(now.getTime() + IDEMPOTENCY_KEY_DAYS * 86_400_000);
    const earlier = await deps.referrals.claimIdempotencyKey(input.userId, input.idempotencyKey, { referralId: id, fingerprint }, keepUntil);
    if (earlier) {
      if (earlier.fingerprint !== fingerprint) return { kind: 'idempotency-conflict' };
      const existing = await deps.referrals.get(earlier.referralId);
      if (existing) {
        await finishQueueing(deps, existing);
        return { kind: 'accepted', referral: existing, replayed: true };
      }
      // The earlier request claimed the key but died before storing: finish its work under its id.
      id = earlier.referralId;
    }
  }

  const { facts, details } = splitSubmission(submission, londonDate(now));
  const district = postcodeDistrict(referralPostcode(submission));
  const detailsExpireAt = detailsExpiryAtIntake(now, deps.retention);
  const draft: Referral = {
    ...facts,
    ...(isSyntheticReferral(input.referrerRoles ?? [], district) ? { synthetic: true as const } : {}),
    id,
    reference: newReference((n) => randomBytes(n)),
    status: 'received',
    createdAt: now.toISOString(),
    createdBy: input.userId,
    district,
    detailsExpireAt,
    clocks: statutoryClocks(facts.legal),
    timeline: [
      {
        at: now.toISOString(),
        type: 'received',
        channel: facts.channel,
        urgency: facts.urgency,
        legalStatus: facts.legal.status,
        district,
      },
      ...clockIntakeTimeline(facts.legal, statutoryClocks(facts.legal), now),
    ],
    outbox: {},
    version: 0,
  };
  const referral: Referral = {
    ...draft,
    outbox: addEffects(draft, [{ kind: 'queue-referral' }, ...clockTimerEffects(draft.clocks, now), ...overrunTimerEffects(null, draft)]),
    version: 1,
  };
  await deps.referrals.createDetails(id, details, new Date(detailsExpireAt));
  // Not created: a request with the same Idempotency-Key stored it first; finish that one.
  const stored = (await deps.referrals.create(referral)) ? referral : ((await deps.referrals.get(id)) ?? referral);
  if (!stored.synthetic) deps.metrics.count('ReferralsReceived');
  await finishQueueing(deps, stored);
  return { kind: 'accepted', referral: stored, replayed: false };
}

/** Stored is enough to answer 202: if queueing fails, the effect stays pending for the reconciler. */
async function finishQueueing(deps: Dependencies, referral: Referral): Promise<void> {
  try {
    await flushOutbox(deps, referral);
  } catch (error) {
    deps.log.warn('queueing a stored referral failed; left pending', {
      referralId: referral.id,
      error: error instanceof Error ? error.name : 'unknown',
    });
  }
}
