/**
 * How long the person's details are kept. The referral itself (its timeline, which is the audit
 * trail, its clocks, outcome and the statistics drawn from them) is kept; only the details that
 * identify the person and the referrer (shared/domain/referral-details.ts) are removed.
 */
import type { ReferralDetails } from './referral-details.ts';

export interface RetentionPolicy {
  /** Days the details are kept after the referral is closed (its outcome recorded). */
  detailsDaysAfterClose: number;
  /** Days from receipt after which the details go even if the referral was never closed. */
  detailsDaysUnclosed: number;
}

export const defaultRetention: RetentionPolicy = { detailsDaysAfterClose: 30, detailsDaysUnclosed: 90 };

/** Ten years: a longer setting is a typo, not a policy. */
const MAX_DAYS = 3650;
const DAY_MS = 86_400_000;
/** Details may go as soon as the referral is closed, but a referral is never received without them. */
const MIN_DAYS: RetentionPolicy = { detailsDaysAfterClose: 0, detailsDaysUnclosed: 1 };

/**
 * A deployment setting (CDK context or environment variable) as a whole number of days; absent
 * or blank means the default. Throws naming the setting, so a bad value stops a synth or a start
 * rather than keeping data for longer (or shorter) than meant.
 */
export function retentionSetting(setting: keyof RetentionPolicy, value: unknown, name: string): number {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return defaultRetention[setting];
  const days = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  const min = MIN_DAYS[setting];
  if (typeof days !== 'number' || !Number.isInteger(days) || days < min || days > MAX_DAYS) {
    throw new Error(`${name} must be a whole number of days from ${min} to ${MAX_DAYS}`);
  }
  return days;
}

const plusDays = (at: Date, days: number) => new Date(at.getTime() + days * DAY_MS).toISOString();

/** At intake: a backstop, so that details of a referral never closed do not live for ever. */
export const detailsExpiryAtIntake = (receivedAt: Date, policy: RetentionPolicy): string =>
  plusDays(receivedAt, policy.detailsDaysUnclosed);

/**
 * On closing: the closing time plus the retention. Details already gone (the backstop passed
 * before anyone closed the referral) stay gone, from when they went.
 */
export function detailsExpiryOnClose(current: string, closedAt: Date, policy: RetentionPolicy): string {
  if (Date.parse(current) <= closedAt.getTime()) return current;
  return plusDays(closedAt, policy.detailsDaysAfterClose);
}

/** Whether the details are still kept at `now`, from the referral alone (no read of the details). */
export type DetailsRetention = { status: 'held'; removeAt: string } | { status: 'removed'; removedAt: string | null };

export function detailsRetention(detailsExpireAt: string, now: Date): DetailsRetention {
  return Date.parse(detailsExpireAt) > now.getTime()
    ? { status: 'held', removeAt: detailsExpireAt }
    : { status: 'removed', removedAt: detailsExpireAt };
}

/** The details as stored beside the referral, until `expiresAt`. */
export interface StoredDetails {
  details: ReferralDetails;
  expiresAt: string;
}

export type PersonalDetails = { status: 'held'; removeAt: string; details: ReferralDetails } | { status: 'removed'; removedAt: string | null };

/**
 * What a reader may show at `now`. DynamoDB's TTL deletes an expired item lazily (up to days
 * later) and the local emulator never does, so an expiry in the past means gone, whether it is
 * the details item's or the referral's own (the two differ only until closing has updated the
 * details item). `removedAt` is null only if the details went missing before any expiry.
 */
export function personalDetails(detailsExpireAt: string, stored: StoredDetails | null, now: Date): PersonalDetails {
  const expiry = stored && Date.parse(stored.expiresAt) < Date.parse(detailsExpireAt) ? stored.expiresAt : detailsExpireAt;
  if (stored && Date.parse(expiry) > now.getTime()) return { status: 'held', removeAt: expiry, details: stored.details };
  return { status: 'removed', removedAt: Date.parse(expiry) <= now.getTime() ? expiry : null };
}
