import { describe, it, expect } from 'vitest';
import { normaliseDistrict, normalisePostcode, postcodeDistrict } from '../../../shared/domain/postcode.ts';

describe('normalisePostcode', () => {
  it.each(['LS1 4AP', 'SW1A 1AA', 'M1 1AE', 'B33 8TH', 'CR2 6XH', 'DN55 1PT', 'EC1A 1BB', 'W1A 0AX'])('accepts %s in every UK shape', (postcode) => {
    expect(normalisePostcode(postcode)).toBe(postcode);
  });

  it.each([
    ['ls1 4ap', 'LS1 4AP'],
    ['LS14AP', 'LS1 4AP'],
    ['  sw1a   1aa ', 'SW1A 1AA'],
    ['m11ae', 'M1 1AE'],
    ['Dn55\t1pt', 'DN55 1PT'],
  ])('normalises %j to %j: upper case, one space before the inward code', (input, expected) => {
    expect(normalisePostcode(input)).toBe(expected);
  });

  it.each([
    '',
    'LS1',
    '4AP',
    'LS1 4A',
    'LS1 4APX',
    'LS1-4AP',
    '12345',
    'QS1 1AA', // Q never starts a postcode
    'LS1 4CP', // C never appears in an inward code
    'LSS1 4AP',
    'not a postcode',
    'LS1 4AP; DROP TABLE',
  ])('rejects %j', (input) => {
    expect(normalisePostcode(input)).toBeNull();
  });
});

describe('postcodeDistrict', () => {
  it.each([
    ['LS1 4AP', 'LS1'],
    ['SW1A 1AA', 'SW1A'],
    ['M1 1AE', 'M1'],
    ['DN55 1PT', 'DN55'],
  ])('takes the outward code of %s', (postcode, district) => {
    expect(postcodeDistrict(postcode)).toBe(district);
  });
});

describe('normaliseDistrict', () => {
  it('upper-cases and trims a district', () => {
    expect(normaliseDistrict(' ls1 ')).toBe('LS1');
    expect(normaliseDistrict('sw1a')).toBe('SW1A');
  });

  it.each(['LS1 4AP', 'LS', '1LS', 'QS1', ''])('rejects %j, which is not a district', (input) => {
    expect(normaliseDistrict(input)).toBeNull();
  });
});
