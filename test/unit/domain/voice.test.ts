import { describe, expect, it } from 'vitest';
import { callAfterSeconds, callSsml, DEFAULT_CALL_AFTER_SECONDS, ssmlToWords } from '../../../shared/domain/voice.ts';
import type { LegalStatus, Urgency } from '../../../shared/domain/types.ts';
import { legalStatusLabel } from '../../../shared/domain/sms.ts';

const facts = { reference: 'EDT-4F7K-2Q9M', urgency: 'immediate', legalStatus: 's136', district: 'LS1' } as const;

describe('when a voice call follows an unanswered page', () => {
  it.each([
    ['the default, for a team that says nothing', {}, DEFAULT_CALL_AFTER_SECONDS],
    ["the team's setting", { team: 90 }, 90],
    ['none, when the team says null', { team: null }, null],
    ["the person's own setting over the team's", { team: 90, person: 30 }, 30],
    ['none, when the person says null whatever the team says', { team: 90, person: null }, null],
    ["the team's, when the person says nothing", { team: 45, person: undefined }, 45],
    ['none, when it would come at the timeout', { team: 600, answerWithinSeconds: 600 }, null],
    ['none, when it would come after the timeout', { answerWithinSeconds: 60 }, null],
    ['the setting, when it comes before the timeout', { team: 120, answerWithinSeconds: 600 }, 120],
    ['the setting, for a page with no timeout (by hand, after the chain ran out)', { team: 120 }, 120],
  ])('is %s', (_case, input, expected) => {
    expect(callAfterSeconds(input)).toBe(expected);
  });
});

describe('what the call says', () => {
  const ssml = callSsml(facts);
  const words = ssmlToWords(ssml);

  it('is SSML that spells the reference and the district out, group by group', () => {
    expect(ssml.startsWith('<speak>') && ssml.endsWith('</speak>')).toBe(true);
    for (const group of ['EDT', '4F7K', '2Q9M', 'LS1']) expect(ssml).toContain(`<say-as interpret-as="characters">${group}</say-as>`);
  });

  it('says the reference, urgency, legal status and district, and how to accept, twice', () => {
    expect(words).toContain('Referral E D T, 4 F 7 K, 2 Q 9 M.');
    expect(words).toContain('an urgent Mental Health Act assessment, needed immediately');
    expect(words).toContain('Section 136.');
    expect(words).toContain('Postcode district L S 1.');
    expect(words).toContain('To accept, reply 1 to the text message we sent you, or open the link in it.');
    expect(words.split('Referral E D T').length - 1).toBe(2);
    expect(words).not.toMatch(/[<>]/);
  });

  it('says only the facts it is given: a referral passed whole leaves no name, date of birth, NHS number or address in it', () => {
    const referral = { ...facts, givenName: 'Zebedee', familyName: 'Quartermaine', dateOfBirth: '1987-03-14', nhsNumber: '9434765919', homeAddress: '17 Juniper Crescent' };
    const said = callSsml(referral);
    for (const identifier of ['Zebedee', 'Quartermaine', '1987', '9434765919', 'Juniper']) expect(said).not.toContain(identifier);
    expect(ssmlToWords(callSsml({ ...facts, under18: true }))).toContain('The person is under 18.');
  });

  it('has a spoken form for every legal status and urgency, within the 6,000 characters SSML may take', () => {
    for (const legalStatus of Object.keys(legalStatusLabel) as LegalStatus[]) {
      for (const urgency of ['immediate', 'within_4_hours', 'within_24_hours'] as Urgency[]) {
        const said = callSsml({ ...facts, legalStatus, urgency, under18: true });
        expect(said.length).toBeLessThan(6_000);
        expect(ssmlToWords(said)).not.toContain('undefined');
      }
    }
  });

  it('spells out letters and digits only, so nothing in a reference or district can be read as markup', () => {
    const said = callSsml({ ...facts, district: 'A<B&C' });
    expect(said).toContain('<say-as interpret-as="characters">A</say-as><break time="400ms"/><say-as interpret-as="characters">B</say-as>');
    expect(said).not.toMatch(/<B|&C/);
  });
});
