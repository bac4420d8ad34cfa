import { describe, it, expect } from 'vitest';
import { smsSegments } from '../../support/sms-segments.ts';
import {
  acceptConfirmText,
  alreadyHandledText,
  chooseReferenceText,
  declineConfirmText,
  fallbackAlertText,
  helpText,
  legalStatusLabel,
  londonTime,
  pageText,
  referrerAcceptedText,
} from '../../../shared/domain/sms.ts';
import { legalStatuses, urgencies } from '../../../shared/domain/types.ts';

const reference = 'EDT-4F7K-2Q9M';
// The shape HmacLinkSigner gives: a 22-character id and a 22-character MAC.
const link = 'https://dutyline.example.gov.uk/a/Q2hhbmdlTWVQbGVhc2Ux.c2lnbmF0dXJlc2lnbmF0dX';

describe('pageText', () => {
  it('carries reference, urgency, legal status, district, clock expiry, reply codes and link', () => {
    const text = pageText({
      reference,
      urgency: 'immediate',
      legalStatus: 's136',
      district: 'LS1',
      clockExpiresAt: '2025-11-26T03:40:00.000Z',
      link,
    });
    expect(text).toBe(
      `dutyline EDT-4F7K-2Q9M: URGENT (immediate) MHA assessment, s136, LS1. Clock expires 03:40 26 Nov. Reply 1 to accept, 2 to decline (code 4F7K). Details: ${link}`,
    );
  });

  it('marks a person under 18 with U18 and nothing else about them', () => {
    const text = pageText({ reference, urgency: 'immediate', legalStatus: 's136', district: 'LS1', link, under18: true });
    expect(text).toContain('URGENT (immediate) MHA assessment, s136, U18, LS1.');
    expect(pageText({ reference, urgency: 'immediate', legalStatus: 's136', district: 'LS1', link })).not.toContain('U18');
    expect(fallbackAlertText({ reference, urgency: 'immediate', legalStatus: 's136', district: 'LS1', under18: true })).toContain('s136, U18, LS1.');
    expect(smsSegments(pageText({ reference, urgency: 'within_24_hours', legalStatus: 'cto_recall', district: 'SW1A', clockExpiresAt: '2025-11-26T03:40:00.000Z', link, under18: true, reminder: true }))).toBeLessThanOrEqual(2);
  });

  it('shows the clock expiry in UK summer time when BST applies', () => {
    const text = pageText({ reference, urgency: 'within_4_hours', legalStatus: 's5_4', district: 'M1', clockExpiresAt: '2025-07-01T23:15:00Z', link });
    expect(text).toContain('MHA assessment within 4 hours, s5(4), M1. Clock expires 00:15 2 Jul.');
  });

  it('leaves out the clock when none runs', () => {
    const text = pageText({ reference, urgency: 'within_24_hours', legalStatus: 'none', district: 'SW1A', clockExpiresAt: null, link });
    expect(text).toBe(
      `dutyline EDT-4F7K-2Q9M: MHA assessment within 24 hours, not detained, SW1A. Reply 1 to accept, 2 to decline (code 4F7K). Details: ${link}`,
    );
  });

  it('fits in two segments for every urgency and legal status', () => {
    for (const urgency of urgencies) {
      for (const legalStatus of legalStatuses) {
        const text = pageText({ reference, urgency, legalStatus, district: 'SW1A', clockExpiresAt: '2025-11-26T03:40:00Z', link });
        expect(smsSegments(text)).toBeLessThanOrEqual(2);
      }
    }
  });
});

describe('londonTime', () => {
  it.each([
    ['2025-11-26T03:40:00Z', '03:40 26 Nov'],
    ['2025-06-30T23:30:00Z', '00:30 1 Jul'],
    ['2025-03-30T01:30:00Z', '02:30 30 Mar'], // the first minute of BST
    ['2025-10-26T01:30:00Z', '01:30 26 Oct'], // after the clocks go back
  ])('shows %s as %s in Europe/London', (instant, shown) => {
    expect(londonTime(instant)).toBe(shown);
  });
});

describe('legalStatusLabel', () => {
  it('writes sections the way practitioners do', () => {
    expect(legalStatusLabel).toMatchObject({ s136: 's136', s135_1: 's135(1)', s135_2: 's135(2)', s5_2: 's5(2)', s5_4: 's5(4)' });
  });

  it('labels every legal status', () => {
    for (const status of legalStatuses) expect(legalStatusLabel[status]).toBeTruthy();
  });
});

describe('referrerAcceptedText', () => {
  it('names the AMHP and the number they will call from', () => {
    expect(referrerAcceptedText({ reference, amhpName: 'Sam Patel', amhpPhone: '+447700900123' })).toBe(
      'dutyline EDT-4F7K-2Q9M: your referral has been accepted by Sam Patel, who will call you back from 07700 900123.',
    );
  });

  it('still reads well without a name or number', () => {
    expect(referrerAcceptedText({ reference, amhpName: ' ', amhpPhone: '' })).toBe(
      'dutyline EDT-4F7K-2Q9M: your referral has been accepted by an AMHP, who will call you back.',
    );
  });
});

describe('fallbackAlertText', () => {
  it('says nobody accepted, with what the assessment is and where', () => {
    const text = fallbackAlertText({ reference, district: 'LS1', urgency: 'immediate', legalStatus: 's5_2' });
    expect(text).toBe(
      'dutyline EDT-4F7K-2Q9M: NOBODY HAS ACCEPTED. URGENT (immediate) MHA assessment, s5(2), LS1. Everyone on the duty chain has been paged. Please arrange cover now.',
    );
    expect(smsSegments(text)).toBeLessThanOrEqual(2);
  });
});

describe('replies to an AMHP', () => {
  it.each([
    ['help', helpText()],
    ['accept confirmation', acceptConfirmText(reference)],
    ['decline confirmation', declineConfirmText(reference)],
    ['already handled', alreadyHandledText(reference)],
    ['choose a reference', chooseReferenceText(['EDT-4F7K-2Q9M', 'EDT-9QX2-ABCD'])],
  ])('keeps the %s text to at most two segments', (_name, text) => {
    expect(smsSegments(text)).toBeLessThanOrEqual(2);
  });

  it('explains the reply codes in the help text', () => {
    expect(helpText()).toMatch(/reply 1 or ACCEPT/);
    expect(helpText()).toMatch(/2 or DECLINE/);
    expect(helpText()).toMatch(/ACCEPT 4F7K/);
  });

  it('names the referral in every confirmation', () => {
    for (const text of [acceptConfirmText(reference), declineConfirmText(reference), alreadyHandledText(reference)]) {
      expect(text).toContain(reference);
    }
  });

  it('lists the short codes of several open pages with an example reply', () => {
    expect(chooseReferenceText(['EDT-4F7K-2Q9M', 'EDT-9QX2-ABCD'])).toBe(
      'dutyline: you have 2 open pages: 4F7K, 9QX2. Reply with the code, e.g. ACCEPT 4F7K or DECLINE 4F7K.',
    );
  });

  it('lists at most ten codes and counts the rest', () => {
    const references = Array.from({ length: 12 }, (_, i) => `EDT-${String(1000 + i)}-ABCD`);
    const text = chooseReferenceText(references);
    expect(text).toContain('1009 and 2 more.');
    expect(text).not.toContain('1010');
    expect(smsSegments(text)).toBeLessThanOrEqual(2);
  });
});

describe('smsSegments', () => {
  it('counts 160 GSM characters as one segment and 161 as two', () => {
    expect(smsSegments('a'.repeat(160))).toBe(1);
    expect(smsSegments('a'.repeat(161))).toBe(2);
    expect(smsSegments('a'.repeat(306))).toBe(2);
    expect(smsSegments('a'.repeat(307))).toBe(3);
  });

  it('counts extension characters such as € twice', () => {
    expect(smsSegments('€'.repeat(80))).toBe(1);
    expect(smsSegments('€'.repeat(81))).toBe(2);
  });

  it('falls back to UCS-2 for characters outside GSM-7', () => {
    expect(smsSegments('ë'.repeat(70))).toBe(1);
    expect(smsSegments('ë'.repeat(71))).toBe(2);
  });
});
