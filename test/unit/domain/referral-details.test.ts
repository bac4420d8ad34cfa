import { describe, expect, it } from 'vitest';
import { callbackPhoneOf, joinSubmission, splitSubmission } from '../../../shared/domain/referral-details.ts';
import { validateReferral, type ReferralSubmission } from '../../../shared/domain/referral-schema.ts';

const now = new Date('2026-11-25T02:00:00Z');

function valueOf(body: unknown): ReferralSubmission {
  const result = validateReferral(body, now);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

const police = valueOf({
  referrer: { name: 'PC Rhiannon Blythe', kind: 'police', organisation: 'Leeds custody suite', phone: '07700 900277', policeForce: 'West Yorkshire Police', collarNumber: 'WY4471' },
  subject: {
    givenName: 'Zebedee',
    familyName: 'Quartermaine',
    dateOfBirth: '1987-03-14',
    nhsNumber: '943 476 5919',
    homeAddress: '17 Juniper Crescent, Leeds LS6 9QQ',
    currentLocation: { kind: 'police_station', description: 'cell 4, Elland Road', postcode: 'LS11 0BG' },
    careCoordinatorStaffId: 'amhp-ben',
    interpreterLanguage: 'Tigrinya',
  },
  legal: { status: 's136', detentionStart: '2026-11-25T00:30:00Z' },
  reason: 'Hearing commanding voices since Tuesday',
  risks: ['self-neglect'],
  urgency: 'immediate',
  nearestRelative: { name: 'Morwenna Quartermaine', relationship: 'sister', phone: '07700 900466' },
});

const phone = valueOf({
  channel: 'phone',
  callbackPhone: '0113 496 0000',
  currentLocation: { postcode: 'LS1 4AP' },
  legal: { status: 'none' },
  urgency: 'within_4_hours',
});

/** What identifies the person or the referrer: none of it may stay on the referral. */
const identifying = [
  'Rhiannon',
  '+447700900277',
  'WY4471',
  'Zebedee',
  'Quartermaine',
  '1987-03-14',
  '9434765919',
  'Juniper',
  'Elland Road',
  'LS11 0BG',
  'Tigrinya',
  'commanding voices',
  'self-neglect',
  'Morwenna',
  '+447700900466',
];

describe('a submission in two parts', () => {
  it('keeps on the referral only what routing, paging, clocks and statistics need, naming nobody', () => {
    const { facts } = splitSubmission(police);
    expect(facts).toEqual({
      channel: 'web',
      urgency: 'immediate',
      legal: { status: 's136', detentionStart: '2026-11-25T00:30:00.000Z' },
      referrer: { kind: 'police', organisation: 'Leeds custody suite', policeForce: 'West Yorkshire Police' },
      locationKind: 'police_station',
      careCoordinatorStaffId: 'amhp-ben',
    });
    for (const identifier of identifying) expect(JSON.stringify(facts)).not.toContain(identifier);
  });

  it('keeps whether the person is under 18 on the referral as a fact, never the date of birth', () => {
    const born = (police.channel === 'web' ? police.subject.dateOfBirth : '') ?? '';
    const eighteenth = `${Number(born.slice(0, 4)) + 18}${born.slice(4)}`;
    const dayBefore = new Date(Date.parse(`${eighteenth}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    expect(splitSubmission(police, dayBefore).facts.subjectUnder18).toBe(true);
    expect(splitSubmission(police, eighteenth).facts.subjectUnder18).toBe(false);
    expect(JSON.stringify(splitSubmission(police, eighteenth).facts)).not.toContain(born);
    expect(splitSubmission(phone, eighteenth).facts).not.toHaveProperty('subjectUnder18');
  });

  it('puts the person, the referrer\'s name, phone and collar number, and all free text in the details', () => {
    const { details } = splitSubmission(police);
    for (const identifier of identifying) expect(JSON.stringify(details)).toContain(identifier);
    expect(details).not.toHaveProperty('legal');
    expect(details).not.toHaveProperty('urgency');
  });

  it('keeps a phone referral\'s number to call back and full postcode as its details', () => {
    expect(splitSubmission(phone)).toEqual({
      facts: { channel: 'phone', urgency: 'within_4_hours', legal: { status: 'none' } },
      details: { channel: 'phone', callbackPhone: '+441134960000', currentLocation: { postcode: 'LS1 4AP' } },
    });
  });

  it.each([
    ['a police referral', police],
    ['a phone referral', phone],
  ])('joins the two parts of %s back into the submission as given', (_what, submission) => {
    const { facts, details } = splitSubmission(submission);
    expect(joinSubmission(facts, details)).toEqual(submission);
  });

  it('leaves out what was not given rather than storing it as undefined', () => {
    const minimal = valueOf({
      referrer: { name: 'Dr Gill Price', kind: 'gp', organisation: 'Leeds Central Surgery', phone: '0113 496 0000' },
      subject: { givenName: 'Alex', familyName: 'Example', dateOfBirth: '1990-04-12', nhsNumberUnknownReason: 'not known', currentLocation: { kind: 'home', postcode: 'LS1 4AP' } },
      legal: { status: 'none' },
      reason: 'Acutely unwell.',
      urgency: 'within_24_hours',
    });
    const { facts, details } = splitSubmission(minimal);
    expect(Object.keys(facts).sort()).toEqual(['channel', 'legal', 'locationKind', 'referrer', 'urgency']);
    expect(Object.keys(facts.referrer ?? {}).sort()).toEqual(['kind', 'organisation']);
    expect(Object.values(details).includes(undefined)).toBe(false);
    expect(joinSubmission(facts, details)).toEqual(minimal);
  });

  it('tells the AMHP (and the accepted SMS) whom to call back: the referrer, or the caller of a phone referral', () => {
    expect(callbackPhoneOf(splitSubmission(police).details)).toBe('+447700900277');
    expect(callbackPhoneOf(splitSubmission(phone).details)).toBe('+441134960000');
  });
});
