/**
 * Counts in words, in one place, so that no page says "1 declines" or "1 field need attention".
 * English only: a noun's plural is its singular plus `s` unless given.
 */

/** `1 gap`, `2 gaps`, `1 person`/`2 people` with `plural` given. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** The verb that agrees with a count: `needs` for one, `need` for none or many. */
export const agrees = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** The summary of a refused request: `1 field needs attention`, `3 fields need attention`. */
export const fieldsNeedAttention = (n: number) => `${count(n, 'field')} ${agrees(n, 'needs', 'need')} attention`;

/** The decline figure beside a decline rate: `1 decline of 11 pages`. */
export const declinesOfPages = (declines: number, pages: number) => `${count(declines, 'decline')} of ${count(pages, 'page')}`;

/** `1 step skipped, on 1 referral`. */
export const stepsSkippedOnReferrals = (steps: number, referrals: number) =>
  `${count(steps, 'step')} skipped, on ${count(referrals, 'referral')}`;

/** `1 gap in the out-of-hours cover`: the same words on the rota and coverage pages. */
export const gapsInCover = (n: number) => `${count(n, 'gap')} in the out-of-hours cover`;
