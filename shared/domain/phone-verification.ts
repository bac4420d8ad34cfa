/**
 * Proving a staff phone before the night relies on it (as GoAlert does: 6 digits, 15 minutes). A
 * code is drawn from injected random bytes, kept only as a keyed hash, dies after its expiry or
 * after too many wrong tries, and proves only the number it was sent to. Pure: `now` is passed in.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Staff } from './types.ts';

export const CODE_DIGITS = 6;
export const CODE_LIFETIME_MS = 15 * 60_000;
/** Wrong tries a code survives; at the last one it is dead and a new one must be sent. */
export const CODE_ATTEMPTS = 5;

/** A pending code: its hash, the number it was sent to, and how many tries it has had. */
export interface PhoneCode {
  staffId: string;
  phone: string;
  codeHash: string;
  salt: string;
  sentAt: string;
  expiresAt: string;
  attempts: number;
}

/**
 * Six uniformly random digits. Bytes above the largest multiple of 10^6 in 2^32 are redrawn, so
 * that no code is likelier than another.
 */
export function newCode(randomBytes: (n: number) => Uint8Array): string {
  const limit = Math.floor(2 ** 32 / 10 ** CODE_DIGITS) * 10 ** CODE_DIGITS;
  for (let attempt = 0; attempt < 100; attempt++) {
    const bytes = randomBytes(4);
    const value = ((bytes[0] ?? 0) * 2 ** 24 + (bytes[1] ?? 0) * 2 ** 16 + (bytes[2] ?? 0) * 2 ** 8 + (bytes[3] ?? 0)) >>> 0;
    if (value < limit) return String(value % 10 ** CODE_DIGITS).padStart(CODE_DIGITS, '0');
  }
  throw new Error('randomBytes is not returning random bytes');
}

/**
 * SHA-256 of salt, staff, phone and code. Six digits cannot withstand an offline search whatever
 * the hash; what protects a code is its 15 minutes and 5 tries. Hashing keeps it out of a table
 * export or a log at a glance, and binds it to the one person and number.
 */
export function hashCode(input: { salt: string; staffId: string; phone: string; code: string }): string {
  return createHash('sha256').update(`${input.salt}\n${input.staffId}\n${input.phone}\n${input.code}`).digest('base64url');
}

export type CodeCheck = 'confirmed' | 'wrong' | 'expired' | 'exhausted' | 'other-number';

/** Whether `code` confirms the pending code for the staff member's phone as it is now. */
export function checkCode(pending: PhoneCode, input: { code: string; phone: string; now: Date }): CodeCheck {
  if (pending.phone !== input.phone) return 'other-number';
  if (Date.parse(pending.expiresAt) <= input.now.getTime()) return 'expired';
  if (pending.attempts >= CODE_ATTEMPTS) return 'exhausted';
  const expected = Buffer.from(pending.codeHash);
  const given = Buffer.from(hashCode({ salt: pending.salt, staffId: pending.staffId, phone: pending.phone, code: input.code }));
  return expected.length === given.length && timingSafeEqual(expected, given) ? 'confirmed' : 'wrong';
}

/** A phone counts as verified only for the number that was proven: a changed number is unverified. */
export function isPhoneVerified(staff: Pick<Staff, 'phone' | 'phoneVerification'>): boolean {
  return staff.phoneVerification?.phone === staff.phone;
}

/** The staff view of `GET /api/staff/{staffId}`: the record, with whether its phone is proven, and when. */
export function staffView(staff: Staff): Omit<Staff, 'phoneVerification'> & { phoneVerified: boolean; phoneVerifiedAt: string | null } {
  const { phoneVerification, ...rest } = staff;
  const verified = isPhoneVerified(staff);
  return { ...rest, phoneVerified: verified, phoneVerifiedAt: verified ? (phoneVerification?.at ?? null) : null };
}

/** `phone/verify` texts this; it carries the code and nothing else of anyone. */
export function verificationCodeText(code: string): string {
  return `dutyline: your phone verification code is ${code}. It expires in 15 minutes. If you did not ask for it, tell your manager.`;
}
