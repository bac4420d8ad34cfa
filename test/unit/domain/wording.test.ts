import { describe, expect, it } from 'vitest';
import { count, declinesOfPages, fieldsNeedAttention, gapsInCover, stepsSkippedOnReferrals } from '../../../shared/domain/wording.ts';

describe('counts in words', () => {
  it('uses the singular for one and the plural for none and many', () => {
    expect([0, 1, 2].map((n) => count(n, 'gap'))).toEqual(['0 gaps', '1 gap', '2 gaps']);
    expect(count(2, 'person', 'people')).toBe('2 people');
  });

  it('agrees the verb with the count of fields', () => {
    expect(fieldsNeedAttention(1)).toBe('1 field needs attention');
    expect(fieldsNeedAttention(3)).toBe('3 fields need attention');
  });

  it('says "1 decline of 11 pages", not "1 declines of 11 pages"', () => {
    expect(declinesOfPages(1, 11)).toBe('1 decline of 11 pages');
    expect(declinesOfPages(2, 1)).toBe('2 declines of 1 page');
    expect(stepsSkippedOnReferrals(1, 1)).toBe('1 step skipped, on 1 referral');
    expect(gapsInCover(1)).toBe('1 gap in the out-of-hours cover');
  });
});
