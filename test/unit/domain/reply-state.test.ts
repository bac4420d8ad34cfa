import { describe, expect, it } from 'vitest';
import { pageStanding } from '../../../shared/domain/page-standing.ts';
import { CODE_ATTEMPTS, checkCode, hashCode, isPhoneVerified, newCode, type PhoneCode } from '../../../shared/domain/phone-verification.ts';
import { parseReply } from '../../../shared/domain/reply.ts';
import { noOpenPageText, pageStandingText } from '../../../shared/domain/sms.ts';
import type { EscalationState } from '../../../shared/domain/types.ts';

const NOW = new Date('2026-11-26T02:30:00Z');
const page = (staffId: string) => ({ staffId, position: 'primary' as const, pageSeq: 1, round: 1, at: '2026-11-26T02:00:00Z' });
const state = (over: Partial<EscalationState> = {}): EscalationState => ({ status: 'paging', round: 1, step: 0, pageSeq: 1, pages: [page('asha')], declinedBy: [], ...over });
const REF = 'EDT-4F7K-2Q9M';

describe('a reply meets the state of the page', () => {
  it.each([
    ['open: nobody has answered', { status: 'paging' as const, escalation: state() }, 'asha', null],
    ['accepted by another AMHP: says who and when', { status: 'accepted' as const, escalation: state({ status: 'accepted', acceptedBy: 'ben', acceptedAt: '2026-11-26T02:14:00Z', pages: [page('asha'), page('ben')] }) }, 'asha', `dutyline ${REF} was accepted by Ben Okafor at 02:14. No action needed.`],
    ['accepted by them: says when', { status: 'accepted' as const, escalation: state({ status: 'accepted', acceptedBy: 'asha', acceptedAt: '2026-11-26T02:14:00Z' }) }, 'asha', `dutyline ${REF}: you accepted it at 02:14. No action needed.`],
    ['closed', { status: 'closed' as const, escalation: state(), closure: { closedAt: '2026-11-26T02:20:00Z' } }, 'asha', `dutyline ${REF}: this referral was closed at 02:20. No action needed.`],
    ['declined by them', { status: 'paging' as const, escalation: state({ declinedBy: ['asha'] }) }, 'asha', `dutyline ${REF}: you declined this referral. No action needed.`],
    ['superseded: no page to them stands now', { status: 'paging' as const, escalation: state({ pages: [page('ben')] }) }, 'asha', `dutyline ${REF}: this page is no longer current (the referral has been routed again). No action needed.`],
  ])('%s', (_case, referral, staffId, text) => {
    const standing = pageStanding(referral, staffId);
    if (text === null) expect(standing.kind).toBe('open');
    else if (standing.kind !== 'open') expect(pageStandingText(REF, standing, { acceptedByName: 'Ben Okafor', now: NOW })).toBe(text);
    else throw new Error('expected a settled page');
  });

  it('says the date too when the accept was on another London day', () => {
    const standing = pageStanding({ status: 'accepted', escalation: state({ status: 'accepted', acceptedBy: 'ben', acceptedAt: '2026-11-25T22:14:00Z' }) }, 'asha');
    if (standing.kind === 'open') throw new Error('expected a settled page');
    expect(pageStandingText(REF, standing, { acceptedByName: 'Ben Okafor', now: NOW })).toContain('at 22:14 25 Nov');
  });

  it('tells an ACCEPT with no open page that there is none', () => {
    expect(noOpenPageText()).toContain('no open page');
  });

  it.each([
    ['ACCEPT IFXK', { kind: 'accept', code: 'IFXK' }],
    ['accept 4f7k', { kind: 'accept', code: '4F7K' }],
    ['1 OF7K', { kind: 'accept', code: 'OF7K' }],
    ['1 CONFLICT', { kind: 'unknown' }],
    ['2 SOLO on call', { kind: 'decline', reason: 'SOLO on call' }],
  ])('reads %j as %j (look-alikes count as digits only after an accept)', (body, expected) => {
    expect(parseReply(body)).toEqual(expected);
  });
});

describe('phone verification codes', () => {
  const pending = (over: Partial<PhoneCode> = {}): PhoneCode => ({
    staffId: 'asha', phone: '+447700900101', salt: 's', codeHash: hashCode({ salt: 's', staffId: 'asha', phone: '+447700900101', code: '123456' }),
    sentAt: '2026-11-26T02:00:00Z', expiresAt: '2026-11-26T02:15:00Z', attempts: 0, ...over,
  });

  it('draws six digits, zero-padded', () => {
    expect(newCode(() => new Uint8Array([0, 0, 0, 7]))).toBe('000007');
  });

  it('confirms the right code for the number it was sent to', () => {
    expect(checkCode(pending(), { code: '123456', phone: '+447700900101', now: new Date('2026-11-26T02:10:00Z') })).toBe('confirmed');
  });

  it('refuses a wrong code', () => {
    expect(checkCode(pending(), { code: '654321', phone: '+447700900101', now: new Date('2026-11-26T02:10:00Z') })).toBe('wrong');
  });

  it('refuses a code after its 15 minutes', () => {
    expect(checkCode(pending(), { code: '123456', phone: '+447700900101', now: new Date('2026-11-26T02:15:00Z') })).toBe('expired');
  });

  it('refuses even the right code once its tries are spent', () => {
    expect(checkCode(pending({ attempts: CODE_ATTEMPTS }), { code: '123456', phone: '+447700900101', now: new Date('2026-11-26T02:10:00Z') })).toBe('exhausted');
  });

  it('refuses a code sent to a number the staff member no longer has', () => {
    expect(checkCode(pending(), { code: '123456', phone: '+447700900999', now: new Date('2026-11-26T02:10:00Z') })).toBe('other-number');
  });

  it('counts a phone verified only while it is the number proven', () => {
    expect(isPhoneVerified({ phone: '+447700900101', phoneVerification: { phone: '+447700900101', at: 'x' } })).toBe(true);
    expect(isPhoneVerified({ phone: '+447700900102', phoneVerification: { phone: '+447700900101', at: 'x' } })).toBe(false);
  });
});
