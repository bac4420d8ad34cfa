import { describe, expect, it } from 'vitest';
import { isSyntheticDistrict, isSyntheticReferral, withoutSynthetic } from '../../../shared/domain/synthetic.ts';
import { base32Decode, totp } from '../../../shared/domain/totp.ts';

describe('synthetic referrals', () => {
  it.each([
    [['referrer', 'synthetic'], 'ZY8', true],
    [['referrer', 'synthetic'], 'zy9', true],
    // A test user typing a real postcode makes a real referral: nothing real is hidden.
    [['referrer', 'synthetic'], 'LS1', false],
    // A real referrer can never hide a referral, whatever district they type.
    [['referrer'], 'ZY8', false],
    [['referrer', 'synthetic'], 'ZE1', false],
  ] as const)('roles %j in district %s: synthetic %s', (roles, district, expected) => {
    expect(isSyntheticReferral(roles, district)).toBe(expected);
  });

  it('knows the ZY area by its districts only', () => {
    expect(['ZY1', 'ZY99'].map(isSyntheticDistrict)).toEqual([true, true]);
    expect(['ZY', 'ZYA', 'LZY1'].map(isSyntheticDistrict)).toEqual([false, false, false]);
  });

  it('keeps every referral but the synthetic ones, in order', () => {
    const referrals = [{ id: 'a' }, { id: 'b', synthetic: true }, { id: 'c', synthetic: false }];
    expect(withoutSynthetic(referrals).map((r) => r.id)).toEqual(['a', 'c']);
  });
});

describe('TOTP (RFC 6238), as Cognito MFA expects', () => {
  // RFC 6238 appendix B: the SHA-1 secret "12345678901234567890", 8 digits.
  const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  it.each([
    [59, '94287082'],
    [1_111_111_109, '07081804'],
    [1_234_567_890, '89005924'],
    [20_000_000_000, '65353130'],
  ])('at %i s the code is %s', (seconds, code) => {
    expect(totp(rfcSecret, new Date(seconds * 1000), { digits: 8 })).toBe(code);
  });

  it('gives six digits by default, the same for the whole 30-second step', () => {
    const code = totp(rfcSecret, new Date(60_000));
    expect(code).toMatch(/^\d{6}$/);
    expect(totp(rfcSecret, new Date(89_999))).toBe(code);
    expect(totp(rfcSecret, new Date(90_000))).not.toBe(code);
  });

  it('reads base32 in any case, with spaces and padding, and refuses anything else', () => {
    expect(base32Decode('gezd gnbv gy3t qojq====').toString('utf8')).toBe('1234567890');
    expect(() => base32Decode('not base32!')).toThrow(/not base32/);
  });
});
