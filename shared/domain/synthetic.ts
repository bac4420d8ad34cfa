import type { Role } from './roles.ts';

/**
 * Synthetic referrals: the ones the canary and `npm run smoke` send to test the line. They are
 * routed, paged, accepted and closed like any other, but never shown on a manager's board, counted
 * in the response-time statistics or the CloudWatch figures, nor sent to the service fallback.
 *
 * A referral is synthetic only when both hold: the referrer signed in with the `synthetic` role
 * (the canary's and the smoke test's users, nobody else), and its postcode district is in the ZY
 * area, which no real postcode has (Shetland is ZE). So a real referral is never hidden, even one
 * typed by a test user, and a real referrer can never hide one.
 */
export const SYNTHETIC_ROLE = 'synthetic' satisfies Role;

/** The postcode area of the test teams' districts (the smoke test's ZY9, the canary's ZY8). */
export const SYNTHETIC_AREA = 'ZY';

export const isSyntheticDistrict = (district: string) => new RegExp(`^${SYNTHETIC_AREA}\\d`).test(district.trim().toUpperCase());

export const isSyntheticReferral = (referrerRoles: readonly Role[], district: string) => referrerRoles.includes(SYNTHETIC_ROLE) && isSyntheticDistrict(district);

/** What boards and statistics keep: everything but the synthetic referrals. */
export const withoutSynthetic = <T extends { synthetic?: boolean }>(referrals: readonly T[]): T[] => referrals.filter((referral) => referral.synthetic !== true);
