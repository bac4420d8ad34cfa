import { describe, expect, it } from 'vitest';
import { formErrors, parseForm, toReferralBody, type FormValues } from '../../../functions/web/referral-form.ts';
import { validateReferral } from '../../../shared/domain/referral-schema.ts';

const now = new Date('2026-07-01T02:00:00Z'); // summer: London is on BST (UTC+1)

const police = (): Record<string, string> => ({
  referrerName: 'PC Sam Hill',
  referrerOrganisation: 'West Yorkshire Police',
  referrerPhone: '07700 900202',
  referrerKind: 'police',
  policeForce: 'West Yorkshire Police',
  collarNumber: 'WY4471',
  givenName: 'Zebedee',
  familyName: 'Quartermaine',
  'dob-day': '14',
  'dob-month': '3',
  'dob-year': '1987',
  nhsNumber: '',
  nhsNumberUnknownReason: 'Not known to the officer',
  locationKind: 'place_of_safety',
  postcode: 'ls1 4ap',
  legalStatus: 's136',
  'detention-day': '1',
  'detention-month': '7',
  'detention-year': '2026',
  'detention-time': '01:30',
  urgency: 'immediate',
  reason: 'Found on the bridge parapet',
});

const form = (fields: Record<string, string>, risks: string[] = []): FormValues => ({ fields, risks });

function problems(values: FormValues) {
  const { body, issues } = toReferralBody(values);
  const checked = validateReferral(body, now);
  return formErrors(issues, checked.ok ? [] : checked.issues, values);
}

describe('the referral form as a referral body', () => {
  it('makes a body the API schema accepts, with the detention start read on the London clock (BST here)', () => {
    const { body, issues } = toReferralBody(form(police(), ['Risk to self (self-harm or suicide)']));
    expect(issues).toEqual([]);
    const checked = validateReferral(body, now);
    expect(checked.ok).toBe(true);
    if (!checked.ok || checked.value.channel !== 'web') throw new Error('expected a web referral');
    expect(checked.value.legal.detentionStart).toBe('2026-07-01T00:30:00.000Z');
    expect(checked.value.subject.dateOfBirth).toBe('1987-03-14');
    expect(checked.value.referrer).toMatchObject({ kind: 'police', policeForce: 'West Yorkshire Police', collarNumber: 'WY4471' });
    expect(checked.value.risks).toEqual(['Risk to self (self-harm or suicide)']);
  });

  it('drops the police questions for a GP, and the detention start for a status without a clock', () => {
    const { body } = toReferralBody(form({ ...police(), referrerKind: 'gp', legalStatus: 'none' }));
    expect((body.referrer as Record<string, unknown>).policeForce).toBeUndefined();
    expect((body.referrer as Record<string, unknown>).collarNumber).toBeUndefined();
    expect(body.legal).toEqual({ status: 'none' });
  });

  it('takes repeated risks, ignores risks that are not offered, and adds the free-text one', () => {
    const values = parseForm('risks=Self-neglect&risks=%3Cscript%3E&risks=Weapons%20involved&risksOther=Dog%20in%20the%20house&givenName=A&givenName=B');
    expect(values.risks).toEqual(['Self-neglect', 'Weapons involved']);
    expect(values.fields.givenName).toBe('A');
    expect(toReferralBody(values).body.risks).toEqual(['Self-neglect', 'Weapons involved', 'Dog in the house']);
  });

  it('leaves out the nearest relative unless something about them was given', () => {
    expect(toReferralBody(form(police())).body.nearestRelative).toBeUndefined();
    expect(toReferralBody(form({ ...police(), nrName: 'Ann Quartermaine' })).body.nearestRelative).toEqual({ name: 'Ann Quartermaine', relationship: '', phone: '' });
  });
});

describe('errors for the form, from the schema the API uses', () => {
  it('names the NHS number with the schema own reason and links to the field', () => {
    const { summary, byField } = problems(form({ ...police(), nhsNumber: '943 476 5918' }));
    expect(summary).toEqual([{ text: 'NHS number is not a valid NHS number (the check digit does not match)', href: '#nhsNumber' }]);
    expect(byField.get('nhsNumber')).toBe(summary[0]?.text);
  });

  it('says what to do when something is missing, in the order the form asks', () => {
    const { summary } = problems(form({}));
    expect(summary.map((error) => error.text)).toEqual([
      'Enter your name',
      'Enter your organisation',
      'Enter a phone number the AMHP can call you on',
      'Select who you are',
      "Enter the person's given name",
      "Enter the person's family name",
      "Enter the person's date of birth",
      'Enter the NHS number, or say why it is not known',
      'Select where the person is now',
      'Enter the postcode of where the person is now',
      "Select the person's legal status",
      'Select how soon the assessment is needed',
      'Enter the reason for the referral',
    ]);
    expect(summary.map((error) => error.href)).toContain('#dob-day');
  });

  it('asks a police officer for their force and collar number', () => {
    const { summary } = problems(form({ ...police(), policeForce: '', collarNumber: '' }));
    expect(summary).toEqual([
      { text: 'Select your police force', href: '#policeForce' },
      { text: 'Enter your collar number', href: '#collarNumber' },
    ]);
  });

  it('accepts an s136 with no start yet (its clock is pending until arrival, s136(2A)), and explains a date that is not real', () => {
    const missing = problems(form({ ...police(), 'detention-day': '', 'detention-month': '', 'detention-year': '', 'detention-time': '' }));
    expect(missing.summary).toEqual([]);
    const unreal = problems(form({ ...police(), 'detention-day': '31', 'detention-month': '2' }));
    expect(unreal.summary).toEqual([{ text: 'When the detention started must be a real date and time, for example 26 11 2025 and 21:40', href: '#detention-day' }]);
    const future = problems(form({ ...police(), 'detention-day': '2' }));
    expect(future.summary).toEqual([{ text: 'When the detention started must not be in the future', href: '#detention-day' }]);
  });

  it('explains a date of birth that is not a real date, and never repeats what was typed', () => {
    const { summary } = problems(form({ ...police(), 'dob-day': '30', 'dob-month': '2' }));
    expect(summary).toEqual([{ text: 'Date of birth must be a real date, for example 27 3 1987', href: '#dob-day' }]);
    const postcode = problems(form({ ...police(), postcode: 'QQ9 9QQ' }));
    expect(postcode.summary[0]?.text).toBe('Postcode is not a valid UK postcode');
    expect(JSON.stringify(postcode)).not.toContain('QQ9');
  });
});

describe('the s135 and s136 questions', () => {
  const enRoute = () => {
    const { 'detention-day': _d, 'detention-month': _m, 'detention-year': _y, 'detention-time': _t, ...rest } = police();
    return rest;
  };

  it('sends the arrival at the place of safety, read on the London clock, as the clock\u2019s start (s136(2A))', () => {
    const values = form({ ...enRoute(), posArrived: 'yes', 'arrival-day': '1', 'arrival-month': '7', 'arrival-year': '2026', 'arrival-time': '01:40', posKind: 'health_based' });
    const { body, issues } = toReferralBody(values);
    expect(issues).toEqual([]);
    expect(body.legal).toEqual({ status: 's136', placeOfSafety: { kind: 'health_based', arrivedAt: '2026-07-01T00:40:00.000Z' } });
    expect(validateReferral(body, now).ok).toBe(true);
  });

  it('sends the decision to keep them where they are as keptSince', () => {
    const { body } = toReferralBody(form({ ...enRoute(), posArrived: 'kept', 'arrival-day': '1', 'arrival-month': '7', 'arrival-year': '2026', 'arrival-time': '01:40', posKind: 'other' }));
    expect(body.legal).toMatchObject({ placeOfSafety: { kind: 'other', keptSince: '2026-07-01T00:40:00.000Z' } });
  });

  it('leaves the clock pending for a person on the way, with where they are being taken', () => {
    const { body, issues } = toReferralBody(form({ ...enRoute(), posArrived: 'no', posKind: 'health_based', 'arrival-time': '01:40' }));
    expect(issues).toEqual([]);
    expect(body.legal).toEqual({ status: 's136', placeOfSafety: { kind: 'health_based' } });
  });

  it('asks when, and which place, once they have arrived', () => {
    const found = problems(form({ ...enRoute(), posArrived: 'yes' }));
    expect(found.summary.map((error) => error.href)).toEqual(expect.arrayContaining(['#arrival-day', '#posKind']));
    expect(found.byField.get('arrival-day')).toBe('Enter when they arrived, or select Now');
  });

  it('asks who authorised a police station, and refuses one for a person under 18 beside the question (s136A)', () => {
    const adult = problems(form({ ...enRoute(), posArrived: 'no', posKind: 'police_station' }));
    expect(adult.byField.get('policeStationAuthorisedBy')).toBe('Enter the inspector (or above) who authorised the police station');
    const child = problems(form({ ...enRoute(), 'dob-year': '2012', posArrived: 'no', posKind: 'police_station', policeStationAuthorisedBy: 'Insp Lowe' }));
    expect(child.byField.get('posKind')).toMatch(/under 18 \(MHA 1983 s136A\(1\)\)/);
  });

  it('ignores the place of safety answers for a status without one', () => {
    const { body } = toReferralBody(form({ ...enRoute(), legalStatus: 's3', posArrived: 'yes', posKind: 'police_station' }));
    expect(body.legal).toEqual({ status: 's3' });
  });
});
