import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { toIssues, type Issue } from '../domain/admin-schemas.ts';
import { CODE_ATTEMPTS, CODE_DIGITS, CODE_LIFETIME_MS, checkCode, hashCode, newCode, staffView, verificationCodeText } from '../domain/phone-verification.ts';
import type { Staff } from '../domain/types.ts';
import { SmsDeliveryError, type Dependencies } from '../ports.ts';
import { hasRole, type Caller } from './caller.ts';
import { smsLimits } from './sms-policy.ts';

export type VerifyResult =
  | { kind: 'sent'; expiresAt: string }
  | { kind: 'forbidden' }
  | { kind: 'not-found' }
  | { kind: 'rate-limited' }
  | { kind: 'not-delivered' };

export type ConfirmResult =
  | { kind: 'confirmed'; staff: ReturnType<typeof staffView> }
  | { kind: 'forbidden' }
  | { kind: 'not-found' }
  | { kind: 'invalid'; issues: Issue[] };

/** The staff member themself, or an administrator; a manager cannot prove someone else's phone. */
async function ownStaff(deps: Dependencies, caller: Caller, staffId: string): Promise<Staff | 'forbidden' | 'not-found'> {
  const admin = hasRole(caller, 'admin');
  if (!admin && caller.staffId !== staffId) return 'forbidden';
  const staff = await deps.directory.getStaff(staffId);
  return staff ?? (admin ? 'not-found' : 'forbidden');
}

/**
 * `POST /api/staff/{staffId}/phone/verify`: texts a new 6-digit code to the staff phone, replacing
 * any pending one. Sends are limited per person and per number (the SMS quota), so neither a
 * script nor a stuck button can flood a phone. The code is never logged.
 */
export async function sendVerificationCode(deps: Dependencies, caller: Caller, staffId: string): Promise<VerifyResult> {
  const staff = await ownStaff(deps, caller, staffId);
  if (typeof staff === 'string') return { kind: staff };
  const now = deps.clock.now();
  const { perStaff, perPhone } = smsLimits.verificationCodes;
  const allowed =
    (await deps.smsQuota.take(`verify:${staff.id}`, perStaff.limit, perStaff.windowSeconds, now)) &&
    (await deps.smsQuota.take(`verify-phone:${staff.phone}`, perPhone.limit, perPhone.windowSeconds, now));
  if (!allowed) return { kind: 'rate-limited' };
  const code = newCode((n) => randomBytes(n));
  const salt = randomBytes(16).toString('base64url');
  const expiresAt = new Date(now.getTime() + CODE_LIFETIME_MS).toISOString();
  await deps.phoneVerifications.saveCode({
    staffId: staff.id,
    phone: staff.phone,
    codeHash: hashCode({ salt, staffId: staff.id, phone: staff.phone, code }),
    salt,
    sentAt: now.toISOString(),
    expiresAt,
    attempts: 0,
  });
  try {
    await deps.sms.send(staff.phone, verificationCodeText(code));
  } catch (error) {
    if (!(error instanceof SmsDeliveryError)) throw error;
    // An opted-out or unreachable number: the code can never arrive, so it is not left pending.
    await deps.phoneVerifications.deleteCode(staff.id);
    deps.log.warn('phone verification code not delivered', { staffId: staff.id, failure: error.causeName });
    return { kind: 'not-delivered' };
  }
  deps.log.info('phone verification code sent', { staffId: staff.id });
  return { kind: 'sent', expiresAt };
}

const confirmBody = z.strictObject({
  code: z.string().trim().regex(new RegExp(`^\\d{${CODE_DIGITS}}$`), `must be the ${CODE_DIGITS}-digit code texted to the phone`),
});

const codeIssue = (message: string): Issue[] => [{ path: 'code', message }];

/**
 * `POST /api/staff/{staffId}/phone/confirm {"code"}`. Each wrong try is counted (atomically, so
 * parallel guesses share the limit); after the last the code is dead and a new one must be sent.
 */
export async function confirmVerificationCode(deps: Dependencies, caller: Caller, staffId: string, body: unknown): Promise<ConfirmResult> {
  const staff = await ownStaff(deps, caller, staffId);
  if (typeof staff === 'string') return { kind: staff };
  const parsed = confirmBody.safeParse(body);
  if (!parsed.success) return { kind: 'invalid', issues: toIssues(parsed.error) };
  const now = deps.clock.now();
  const pending = await deps.phoneVerifications.getCode(staff.id);
  if (!pending) return { kind: 'invalid', issues: codeIssue('no code is waiting: ask for a new one') };
  const check = checkCode(pending, { code: parsed.data.code, phone: staff.phone, now });
  if (check === 'expired') return { kind: 'invalid', issues: codeIssue('has expired: ask for a new one') };
  if (check === 'exhausted') return { kind: 'invalid', issues: codeIssue('has had too many wrong tries: ask for a new one') };
  if (check === 'other-number') return { kind: 'invalid', issues: codeIssue('was sent to another number: ask for a new one') };
  const tries = await deps.phoneVerifications.countAttempt(staff.id, pending.sentAt, CODE_ATTEMPTS);
  if (tries === null) return { kind: 'invalid', issues: codeIssue('has had too many wrong tries, or was replaced: ask for a new one') };
  if (check === 'wrong') {
    const left = CODE_ATTEMPTS - tries;
    if (left <= 0) await deps.phoneVerifications.deleteCode(staff.id);
    deps.log.info('phone verification code wrong', { staffId: staff.id, triesLeft: left });
    return { kind: 'invalid', issues: codeIssue(left > 0 ? `is not the code sent (${left} ${left === 1 ? 'try' : 'tries'} left)` : 'is not the code sent, and no tries are left: ask for a new one') };
  }
  if (!(await deps.phoneVerifications.markVerified(staff.id, staff.phone, now.toISOString()))) {
    return { kind: 'invalid', issues: codeIssue('was sent to another number: ask for a new one') };
  }
  await deps.phoneVerifications.deleteCode(staff.id);
  deps.log.info('staff phone verified', { staffId: staff.id });
  return { kind: 'confirmed', staff: staffView({ ...staff, phoneVerification: { phone: staff.phone, at: now.toISOString() } }) };
}
