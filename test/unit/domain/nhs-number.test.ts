import { describe, it, expect } from 'vitest';
import { formatNhsNumber, isValidNhsNumber, normaliseNhsNumber } from '../../../shared/domain/nhs-number.ts';

describe('NHS number check digit', () => {
  it('accepts a number whose check digit matches (943 476 5919)', () => {
    expect(isValidNhsNumber('9434765919')).toBe(true);
  });

  it('rejects a number whose check digit does not match', () => {
    expect(isValidNhsNumber('9434765918')).toBe(false);
  });

  it('uses check digit 0 when 11 − remainder is 11', () => {
    // 9 8 7 6 5 4 3 2 1 weighted 10..2 sums to 330, a multiple of 11.
    expect(isValidNhsNumber('9876543210')).toBe(true);
    expect(isValidNhsNumber('9876543211')).toBe(false);
  });

  it('rejects every number whose check result is 10', () => {
    // 1 2 3 4 5 6 7 8 9 weighted 10..2 leaves remainder 1, so 11 − 1 = 10: never issued.
    for (let last = 0; last <= 9; last++) expect(isValidNhsNumber(`123456789${last}`)).toBe(false);
  });

  it.each(['', '943476591', '94347659190', '943476591X', '943 476 5919'])('rejects %j, which is not 10 bare digits', (input) => {
    expect(isValidNhsNumber(input)).toBe(false);
  });
});

describe('normaliseNhsNumber', () => {
  it.each(['9434765919', '943 476 5919', '943-476-5919', '  943 476 5919  ', '943 4765 919'])('normalises %j to 10 digits', (input) => {
    expect(normaliseNhsNumber(input)).toBe('9434765919');
  });

  it.each(['943 476 5918', '943.476.5919', '94347659', 'nine four three', ''])('returns null for %j', (input) => {
    expect(normaliseNhsNumber(input)).toBeNull();
  });
});

describe('formatNhsNumber', () => {
  it('groups the digits 3-3-4', () => {
    expect(formatNhsNumber('9434765919')).toBe('943 476 5919');
  });

  it('refuses anything but 10 digits without echoing the input', () => {
    expect(() => formatNhsNumber('943476591')).toThrow('formatNhsNumber expects 10 digits');
  });
});
