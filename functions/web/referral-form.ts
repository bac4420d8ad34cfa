/**
 * The web referral form: its fields, how a posted form becomes a contract v1 referral body, and
 * how the schema's issues (shared/domain/referral-schema.ts, the same rules as the API) become an
 * error summary and messages beside each field. Only the shapes a form cannot express directly
 * (a date in three boxes, a time) are checked here; every rule about the referral is the schema's.
 */
import { isCalendarDate, londonInstant, parseClockTime } from '../../shared/domain/london-time.ts';
import { formatUkPhone } from '../../shared/domain/phone.ts';
import { policeForces } from '../../shared/domain/police-forces.ts';
import type { ReferrerProfile } from '../../shared/domain/referrer-profile.ts';
import { legalStatusLabel } from '../../shared/domain/sms.ts';
import type { LegalStatus, ValidationIssue } from '../../shared/domain/types.ts';
import { button, checkboxes, dateInput, errorSummary, input, radios, revealFor, select, textarea, type SummaryError } from '../commons/pages/govuk.ts';
import { attributes, html, type SafeHtml } from '../commons/pages/html.ts';
import { relativeWords, type RelativeRole } from '../../shared/domain/mha-2025.ts';

export interface FormValues {
  fields: Record<string, string>;
  risks: string[];
}

export const emptyForm = (): FormValues => ({ fields: {}, risks: [] });

/** Statuses whose clock runs from a time the form asks for as "when did it start": the s5 holding powers. */
export const detentionStatuses: readonly LegalStatus[] = ['s5_2', 's5_4'];

/**
 * The place of safety powers: their 24 hours run from arrival at the place of safety, or from the
 * decision to keep the person where they are (MHA 1983 s136(2A), s135(3ZA)), so the form asks
 * about that, not about the detention.
 */
export const placeOfSafetyStatuses: readonly LegalStatus[] = ['s136', 's135_1', 's135_2'];

export const riskOptions = [
  'Risk to self (self-harm or suicide)',
  'Risk to others (violence or aggression)',
  'Self-neglect',
  'Weapons involved',
  'Alcohol or drug use',
  'Physical health concerns',
  'Risk of going missing',
] as const;

/** A posted form, `application/x-www-form-urlencoded`. Repeated names other than `risks` keep the first value. */
export function parseForm(body: string): FormValues {
  const params = new URLSearchParams(body);
  const fields: Record<string, string> = {};
  for (const [name, value] of params) if (name !== 'risks' && !(name in fields)) fields[name] = value;
  const risks = params.getAll('risks').filter((risk) => (riskOptions as readonly string[]).includes(risk));
  return { fields, risks };
}

const text = (values: FormValues, name: string) => (values.fields[name] ?? '').trim();

type Composed = { value?: string; issue?: string };

/** Three boxes to `YYYY-MM-DD`; all empty is "not given", which the schema reports if it is required. */
function composeDate(values: FormValues, prefix: string): Composed & { parts?: [number, number, number] } {
  const [day, month, year] = ['day', 'month', 'year'].map((part) => text(values, `${prefix}-${part}`));
  if (!day && !month && !year) return {};
  const numbers = [day, month, year].map((part) => (/^\d{1,4}$/.test(part ?? '') ? Number(part) : NaN)) as [number, number, number];
  const [d, m, y] = numbers;
  if (!isCalendarDate(y, m, d) || (year ?? '').length !== 4) return { issue: 'must be a real date, for example 27 3 1987' };
  return { value: `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`, parts: numbers };
}

/** Date boxes and a time on the London clock to an instant with its offset, as the schema wants. */
function composeDetentionStart(values: FormValues): Composed {
  const date = composeDate(values, 'detention');
  const time = text(values, 'detention-time');
  if (!date.value && !date.issue && !time) return {};
  const clock = parseClockTime(time);
  if (date.issue || !date.parts || !clock) return { issue: 'must be a real date and time, for example 26 11 2025 and 21:40' };
  const [day, month, year] = date.parts;
  const instant = londonInstant({ year, month, day, ...clock });
  return instant ? { value: instant.toISOString() } : { issue: 'must be a real date and time, for example 26 11 2025 and 21:40' };
}

/** Arrival (or keeping) boxes: a date and a time on the London clock, like the detention start. */
function composeArrival(values: FormValues): Composed {
  const arrival = composeDetentionStart({ ...values, fields: { ...values.fields, ...Object.fromEntries(['day', 'month', 'year', 'time'].map((part) => [`detention-${part}`, values.fields[`arrival-${part}`] ?? ''])) } });
  return arrival.issue ? { issue: 'must be a real date and time, for example 26 11 2025 and 02:40' } : arrival;
}

/** The contract v1.1 `placeOfSafety` from the form's three questions, and what only the form can find wrong with them. */
function placeOfSafety(values: FormValues, issues: ValidationIssue[]) {
  const arrived = text(values, 'posArrived');
  const kind = text(values, 'posKind') || undefined;
  // Left unanswered, nothing has started: the clock is pending, as for "not yet" (s136(2A)).
  const when = arrived === 'yes' || arrived === 'kept' ? composeArrival(values) : {};
  if (when.issue) issues.push({ path: 'legal.placeOfSafety.arrivedAt', message: when.issue });
  if ((arrived === 'yes' || arrived === 'kept') && !when.value && !when.issue) issues.push({ path: 'legal.placeOfSafety.arrivedAt', message: 'is required' });
  if (!kind) {
    if (arrived === 'yes' || arrived === 'kept') issues.push({ path: 'legal.placeOfSafety.kind', message: 'is required' });
    return undefined;
  }
  return {
    kind,
    ...(when.value ? { [arrived === 'kept' ? 'keptSince' : 'arrivedAt']: when.value } : {}),
    ...(kind === 'police_station' ? { policeStationAuthorisedBy: text(values, 'policeStationAuthorisedBy') } : {}),
  };
}

/** The referral body the API would take, and the problems only the form's own boxes can have. */
export function toReferralBody(values: FormValues): { body: Record<string, unknown>; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const dateOfBirth = composeDate(values, 'dob');
  if (dateOfBirth.issue) issues.push({ path: 'subject.dateOfBirth', message: dateOfBirth.issue });
  const kind = text(values, 'referrerKind') || undefined;
  const status = (text(values, 'legalStatus') || undefined) as LegalStatus | undefined;
  // A form from before contract v1.1 (or filled in without script) may give a detention start for s135/s136 too: read as v1's.
  const detentionStart = status && (detentionStatuses.includes(status) || placeOfSafetyStatuses.includes(status)) ? composeDetentionStart(values) : {};
  if (detentionStart.issue) issues.push({ path: 'legal.detentionStart', message: detentionStart.issue });
  const place = status && placeOfSafetyStatuses.includes(status) ? placeOfSafety(values, issues) : undefined;
  const otherRisk = text(values, 'risksOther');
  const nearestRelative = ['nrName', 'nrRelationship', 'nrPhone'].some((name) => text(values, name))
    ? { name: text(values, 'nrName'), relationship: text(values, 'nrRelationship'), phone: text(values, 'nrPhone') }
    : undefined;
  const body = {
    referrer: {
      name: text(values, 'referrerName'),
      kind,
      organisation: text(values, 'referrerOrganisation'),
      phone: text(values, 'referrerPhone'),
      // Answers to questions that were not asked (police details of a GP) are dropped.
      ...(kind === 'police' ? { policeForce: text(values, 'policeForce'), collarNumber: text(values, 'collarNumber') } : {}),
    },
    subject: {
      givenName: text(values, 'givenName'),
      familyName: text(values, 'familyName'),
      dateOfBirth: dateOfBirth.value,
      nhsNumber: text(values, 'nhsNumber'),
      nhsNumberUnknownReason: text(values, 'nhsNumberUnknownReason'),
      homeAddress: text(values, 'homeAddress'),
      currentLocation: {
        kind: text(values, 'locationKind') || undefined,
        description: text(values, 'locationDescription'),
        postcode: text(values, 'postcode'),
      },
      interpreterLanguage: text(values, 'interpreterLanguage'),
    },
    legal: { status, ...(detentionStart.value ? { detentionStart: detentionStart.value } : {}), ...(place ? { placeOfSafety: place } : {}) },
    reason: values.fields.reason ?? '',
    risks: [...values.risks, ...(otherRisk ? [otherRisk] : [])],
    urgency: text(values, 'urgency') || undefined,
    ...(nearestRelative ? { nearestRelative } : {}),
  };
  return { body, issues };
}

interface FieldInfo {
  /** The element the error summary links to. */
  id: string;
  /** A noun phrase that the schema's message follows: "NHS number" + "is not a valid NHS number…". */
  label: string;
  /** Said instead when nothing was given (GOV.UK style: "Enter…", "Select…"). */
  missing: string;
  /** The form's inputs for it, when not just `id`: nothing in any of them is "not given". */
  inputs?: string[];
}

/** In the order the form asks, which is the order of the error summary. */
const fields: [path: string, info: FieldInfo][] = [
  ['referrer.name', { id: 'referrerName', label: 'Your name', missing: 'Enter your name' }],
  ['referrer.organisation', { id: 'referrerOrganisation', label: 'Your organisation', missing: 'Enter your organisation' }],
  ['referrer.phone', { id: 'referrerPhone', label: 'Your phone number', missing: 'Enter a phone number the AMHP can call you on' }],
  ['referrer.kind', { id: 'referrerKind', label: 'Who you are', missing: 'Select who you are' }],
  ['referrer.policeForce', { id: 'policeForce', label: 'Police force', missing: 'Select your police force' }],
  ['referrer.collarNumber', { id: 'collarNumber', label: 'Collar number', missing: 'Enter your collar number' }],
  ['subject.givenName', { id: 'givenName', label: 'Given name', missing: "Enter the person's given name" }],
  ['subject.familyName', { id: 'familyName', label: 'Family name', missing: "Enter the person's family name" }],
  ['subject.dateOfBirth', { id: 'dob-day', label: 'Date of birth', missing: "Enter the person's date of birth", inputs: ['dob-day', 'dob-month', 'dob-year'] }],
  ['subject.nhsNumber', { id: 'nhsNumber', label: 'NHS number', missing: 'Enter the NHS number' }],
  [
    'subject.nhsNumberUnknownReason',
    { id: 'nhsNumberUnknownReason', label: 'Why the NHS number is not known', missing: 'Enter the NHS number, or say why it is not known' },
  ],
  ['subject.homeAddress', { id: 'homeAddress', label: 'Home address', missing: 'Enter the home address' }],
  ['subject.interpreterLanguage', { id: 'interpreterLanguage', label: 'Interpreter language', missing: 'Enter the language' }],
  ['subject.currentLocation.kind', { id: 'locationKind', label: 'Where the person is now', missing: 'Select where the person is now' }],
  ['subject.currentLocation.postcode', { id: 'postcode', label: 'Postcode', missing: 'Enter the postcode of where the person is now' }],
  ['subject.currentLocation.description', { id: 'locationDescription', label: 'Description of the place', missing: 'Describe the place' }],
  ['legal.status', { id: 'legalStatus', label: 'Legal status', missing: "Select the person's legal status" }],
  [
    'legal.detentionStart',
    {
      id: 'detention-day',
      label: 'When the detention started',
      missing: 'Enter when the detention started',
      inputs: ['detention-day', 'detention-month', 'detention-year', 'detention-time'],
    },
  ],
  ['legal.placeOfSafety.arrived', { id: 'posArrived', label: 'Arrival at the place of safety', missing: 'Select whether they have arrived at the place of safety' }],
  [
    'legal.placeOfSafety.arrivedAt',
    { id: 'arrival-day', label: 'When they arrived', missing: 'Enter when they arrived, or select Now', inputs: ['arrival-day', 'arrival-month', 'arrival-year', 'arrival-time'] },
  ],
  [
    'legal.placeOfSafety.keptSince',
    { id: 'arrival-day', label: 'When it was decided to keep them there', missing: 'Enter when it was decided to keep them there', inputs: ['arrival-day', 'arrival-month', 'arrival-year', 'arrival-time'] },
  ],
  ['legal.placeOfSafety.kind', { id: 'posKind', label: 'The place of safety', missing: 'Select which kind of place of safety' }],
  ['legal.placeOfSafety', { id: 'posKind', label: 'The place of safety', missing: 'Select which kind of place of safety' }],
  [
    'legal.placeOfSafety.policeStationAuthorisedBy',
    { id: 'policeStationAuthorisedBy', label: 'Who authorised the police station', missing: 'Enter the inspector (or above) who authorised the police station' },
  ],
  ['urgency', { id: 'urgency', label: 'Urgency', missing: 'Select how soon the assessment is needed' }],
  ['reason', { id: 'reason', label: 'Reason for the referral', missing: 'Enter the reason for the referral' }],
  ['risks', { id: 'risks', label: 'Risks', missing: 'Select the risks' }],
  ['nearestRelative.name', { id: 'nrName', label: "Nearest relative's name", missing: "Enter the nearest relative's name" }],
  ['nearestRelative.relationship', { id: 'nrRelationship', label: 'Relationship', missing: 'Enter the relationship' }],
  ['nearestRelative.phone', { id: 'nrPhone', label: "Nearest relative's phone number", missing: "Enter the nearest relative's phone number" }],
];
const fieldOrder = new Map(fields.map(([path], index) => [path, index]));
const fieldInfo = new Map(fields);

/** `risks.3` is reported on the risks question. */
const fieldPath = (path: string) => (fieldInfo.has(path) ? path : path.replace(/\.\d+(\..*)?$/, ''));

export interface FormErrors {
  summary: SummaryError[];
  /** By field id: the message shown beside the field. */
  byField: Map<string, string>;
}

/**
 * Form issues first (a date in the wrong shape says more than the schema's "is required"), one per
 * field. A field left blank is asked for ("Enter…", "Select…") whatever the schema found wrong
 * with nothing: "must be one of gp, police…" is no help to someone who has not chosen yet.
 */
export function formErrors(formIssues: readonly ValidationIssue[], schemaIssues: readonly ValidationIssue[], values?: FormValues): FormErrors {
  const blank = (info: FieldInfo) =>
    values !== undefined && (info.inputs ?? [info.id]).every((name) => !(values.fields[name] ?? '').trim()) && (info.id !== 'risks' || values.risks.length === 0);
  const chosen = new Map<string, ValidationIssue>();
  for (const issue of [...formIssues, ...schemaIssues]) {
    const path = fieldPath(issue.path);
    if (!chosen.has(path)) chosen.set(path, issue);
  }
  const ordered = [...chosen.entries()].sort(([a], [b]) => (fieldOrder.get(a) ?? 999) - (fieldOrder.get(b) ?? 999));
  const summary: SummaryError[] = [];
  const byField = new Map<string, string>();
  for (const [path, issue] of ordered) {
    const info = fieldInfo.get(path) ?? { id: 'referral-form', label: path, missing: `${path} is required` };
    const message = /^(is required|must not be empty)/.test(issue.message) || blank(info) ? info.missing : `${info.label} ${issue.message}`;
    summary.push({ text: message, href: `#${info.id}` });
    byField.set(info.id, message);
  }
  return { summary, byField };
}

const referrerKinds: { value: string; text: string }[] = [
  { value: 'gp', text: 'GP' },
  { value: 'police', text: 'Police officer' },
  { value: 'ambulance', text: 'Ambulance service' },
  { value: 'emergency_department', text: 'Emergency department' },
  { value: 'crisis_team', text: 'Crisis team' },
  { value: 'other_professional', text: 'Another professional' },
  { value: 'nearest_relative', text: 'Nearest relative' },
];

const locationKinds: { value: string; text: string }[] = [
  { value: 'home', text: 'At home' },
  { value: 'police_station', text: 'Police station' },
  { value: 'place_of_safety', text: 'Health-based place of safety' },
  { value: 'emergency_department', text: 'Emergency department' },
  { value: 'hospital_ward', text: 'Hospital ward' },
  { value: 'public_place', text: 'Public place' },
  { value: 'other', text: 'Somewhere else' },
];

const legalStatusChoices: { value: LegalStatus; text: string; hint?: string }[] = [
  { value: 's136', text: 'Section 136', hint: 'Removed to a place of safety by the police' },
  { value: 's135_1', text: 'Section 135(1)', hint: 'Warrant to enter premises' },
  { value: 's135_2', text: 'Section 135(2)', hint: 'Warrant to return a patient' },
  { value: 's5_2', text: 'Section 5(2)', hint: "Doctor's holding power" },
  { value: 's5_4', text: 'Section 5(4)', hint: "Nurse's holding power" },
  { value: 's2', text: 'Section 2' },
  { value: 's3', text: 'Section 3' },
  { value: 'other', text: 'Another power' },
  { value: 'none', text: 'Not detained' },
];

export interface FormPageInput {
  values: FormValues;
  errors: FormErrors;
  /** Random per form shown: the submission's Idempotency-Key, so a double submit makes one referral. */
  formId: string;
  /** Whom the AMHP consults: the nearest relative, or from the date the service sets, the nominated person (MHA 2025). */
  relative?: RelativeRole;
}

/** Filled in from the referrer's sign-in: their name and number, shown as people write them. */
export function prefilled(session: { name?: string; phone?: string }): FormValues {
  const values = emptyForm();
  if (session.name) values.fields.referrerName = session.name;
  if (session.phone) values.fields.referrerPhone = formatUkPhone(session.phone);
  return values;
}

/** Filled in from what the referrer sent last time: who they are, their force and number. */
export function fromProfile(profile: ReferrerProfile): FormValues {
  const values = emptyForm();
  Object.assign(values.fields, {
    referrerName: profile.name,
    referrerKind: profile.kind,
    referrerOrganisation: profile.organisation,
    referrerPhone: profile.phone,
    ...(profile.policeForce ? { policeForce: profile.policeForce } : {}),
    ...(profile.collarNumber ? { collarNumber: profile.collarNumber } : {}),
  });
  return values;
}

/**
 * Fills a date's boxes and its time with the London date and time now, by script (dutyline.js);
 * hidden without JavaScript, where the boxes are typed as before.
 */
const nowButton = (prefix: string) =>
  html`<button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0 dutyline-now" data-now-for="${prefix}" hidden>Now<span class="govuk-visually-hidden">: fill in the date and time now</span></button>`;

/** Kinds of place of safety (MHA 1983 s135(6)), in an officer's words. */
export const placeOfSafetyKindChoices: { value: string; text: string; hint?: string }[] = [
  { value: 'health_based', text: 'Health-based place of safety', hint: 'For example, a section 136 suite' },
  { value: 'emergency_department', text: 'Emergency department' },
  { value: 'police_station', text: 'Police station', hint: 'Never for a person under 18. An inspector or above must authorise it' },
  { value: 'other', text: 'Somewhere else' },
];

/** Who authorised a police station as the place of safety (s136A, Places of Safety Regulations 2017 reg 2). */
export const inspectorQuestion = (value: string, error: string | undefined, id = 'policeStationAuthorisedBy') =>
  input({ id, name: 'policeStationAuthorisedBy', label: 'Which inspector (or above) authorised it?', hint: 'Rank and name, for example Insp J. Lowe', value, error, autocomplete: 'off', spellcheck: false });

/**
 * The s135 and s136 questions: has the person arrived at the place of safety (the 24 hours start
 * then), when, and where. Shown only for those statuses (by script; all shown without it, and
 * the server ignores answers for another status).
 */
function placeOfSafetyQuestions(values: FormValues, errors: FormErrors): SafeHtml {
  const v = (name: string) => values.fields[name] ?? '';
  const e = (id: string) => errors.byField.get(id);
  const when = dateInput({
    id: 'arrival',
    name: 'arrival',
    legend: 'When?',
    hint: 'Select Now if it is happening now. For example, 26 11 2025 at 02:40.',
    values: { day: v('arrival-day'), month: v('arrival-month'), year: v('arrival-year') },
    error: e('arrival-day'),
    extra: html`${input({ id: 'arrival-time', name: 'arrival-time', label: 'Time (24-hour clock)', value: v('arrival-time'), classes: 'govuk-input--width-5', autocomplete: 'off', inputmode: 'numeric' })}${nowButton('arrival')}`,
  });
  return html`<div${attributes({ id: 'place-of-safety-group', ...revealFor('legalStatus', placeOfSafetyStatuses, placeOfSafetyStatuses.includes(v('legalStatus') as LegalStatus)) })}>
${radios({
  id: 'posArrived',
  name: 'posArrived',
  legend: 'Have they arrived at the place of safety?',
  hint: 'The 24 hours start when they arrive, not when they were detained.',
  value: v('posArrived'),
  error: e('posArrived'),
  small: true,
  items: [
    { value: 'yes', text: 'Yes, they have arrived' },
    { value: 'kept', text: 'They were already there and are being kept there' },
    { value: 'no', text: 'Not yet: we are on the way' },
  ],
})}
<div${attributes({ id: 'arrival-time-group', ...revealFor('posArrived', ['yes', 'kept'], ['yes', 'kept'].includes(v('posArrived'))) })}>${when}</div>
${radios({
  id: 'posKind',
  name: 'posKind',
  legend: 'Which kind of place of safety?',
  hint: 'If they have not arrived yet, where they are being taken.',
  value: v('posKind'),
  error: e('posKind'),
  small: true,
  items: placeOfSafetyKindChoices.map((choice) => (choice.value === 'police_station' ? { ...choice, conditional: inspectorQuestion(v('policeStationAuthorisedBy'), e('policeStationAuthorisedBy')) } : choice)),
})}
</div>`;
}

export function referralForm({ values, errors, formId, relative = 'nearest_relative' }: FormPageInput): SafeHtml {
  const who = relativeWords[relative];
  const v = (name: string) => values.fields[name] ?? '';
  const e = (id: string) => errors.byField.get(id);
  const subjectText = { autocomplete: 'off', spellcheck: false };
  // Folded away unless something is in it: most referrers do not know the nearest relative tonight.
  const nearestRelativeOpen = ['nrName', 'nrRelationship', 'nrPhone'].some((name) => v(name) || e(name));
  const police = html`${select({
    id: 'policeForce',
    name: 'policeForce',
    label: 'Police force',
    value: v('policeForce'),
    error: e('policeForce'),
    items: [{ value: '', text: 'Choose your force' }, ...policeForces.map((force) => ({ value: force, text: force }))],
  })}${input({ id: 'collarNumber', name: 'collarNumber', label: 'Collar number', value: v('collarNumber'), error: e('collarNumber'), classes: 'govuk-input--width-10', autocomplete: 'off', spellcheck: false })}`;

  return html`${errorSummary(errors.summary)}
<h1 class="govuk-heading-l">Refer for an urgent Mental Health Act assessment</h1>
<p class="govuk-body">The AMHP on duty for the place where the person is now will be asked to accept, and will call you back. If someone is in immediate danger, call 999.</p>
<form method="post" action="/referrals/new" novalidate id="referral-form">
<input type="hidden" name="formId" value="${formId}">
<h2 class="govuk-heading-m">About you</h2>
${input({ id: 'referrerName', name: 'referrerName', label: 'Your name', value: v('referrerName'), error: e('referrerName'), autocomplete: 'name', spellcheck: false })}
${input({ id: 'referrerOrganisation', name: 'referrerOrganisation', label: 'Your organisation', hint: 'For example, the surgery, police station or hospital', value: v('referrerOrganisation'), error: e('referrerOrganisation'), autocomplete: 'organization' })}
${input({ id: 'referrerPhone', name: 'referrerPhone', label: 'Phone number the AMHP can call you on', hint: 'A mobile number also gets a text message when an AMHP accepts', type: 'tel', value: v('referrerPhone'), error: e('referrerPhone'), autocomplete: 'tel', classes: 'govuk-input--width-20' })}
${radios({
  id: 'referrerKind',
  name: 'referrerKind',
  legend: 'Who are you?',
  value: v('referrerKind'),
  error: e('referrerKind'),
  small: true,
  items: referrerKinds.map((kind) => (kind.value === 'police' ? { ...kind, conditional: police } : kind)),
})}
<h2 class="govuk-heading-m">The person</h2>
${input({ id: 'givenName', name: 'givenName', label: 'Given name', value: v('givenName'), error: e('givenName'), ...subjectText })}
${input({ id: 'familyName', name: 'familyName', label: 'Family name', value: v('familyName'), error: e('familyName'), ...subjectText })}
${dateInput({ id: 'dob', name: 'dob', legend: 'Date of birth', hint: 'For example, 27 3 1987', values: { day: v('dob-day'), month: v('dob-month'), year: v('dob-year') }, error: e('dob-day') })}
${input({ id: 'nhsNumber', name: 'nhsNumber', label: 'NHS number', hint: '10 digits, for example 943 476 5919. Leave it blank if you do not know it.', value: v('nhsNumber'), error: e('nhsNumber'), inputmode: 'numeric', classes: 'govuk-input--width-10', ...subjectText })}
${input({ id: 'nhsNumberUnknownReason', name: 'nhsNumberUnknownReason', label: 'If you do not know the NHS number, why not?', hint: 'For example, not registered with a GP, or not known to you', value: v('nhsNumberUnknownReason'), error: e('nhsNumberUnknownReason'), autocomplete: 'off' })}
${textarea({ id: 'homeAddress', name: 'homeAddress', label: 'Home address (optional)', rows: 3, value: v('homeAddress'), error: e('homeAddress'), ...subjectText })}
${input({ id: 'interpreterLanguage', name: 'interpreterLanguage', label: 'Interpreter needed? Language (optional)', value: v('interpreterLanguage'), error: e('interpreterLanguage'), classes: 'govuk-input--width-20', autocomplete: 'off' })}
<h2 class="govuk-heading-m">Where the person is now</h2>
${radios({ id: 'locationKind', name: 'locationKind', legend: 'Where is the person now?', value: v('locationKind'), error: e('locationKind'), small: true, items: locationKinds })}
${input({ id: 'postcode', name: 'postcode', label: 'Postcode of where the person is now', hint: 'The AMHP service for this area will be asked, not the one where they live', value: v('postcode'), error: e('postcode'), classes: 'govuk-input--width-10', ...subjectText })}
${input({ id: 'locationDescription', name: 'locationDescription', label: 'Anything that helps find them (optional)', hint: 'For example, the custody suite or ward name', value: v('locationDescription'), error: e('locationDescription'), autocomplete: 'off' })}
<h2 class="govuk-heading-m">Legal status</h2>
${radios({
  id: 'legalStatus',
  name: 'legalStatus',
  legend: 'Is the person detained?',
  value: v('legalStatus'),
  error: e('legalStatus'),
  small: true,
  items: legalStatusChoices.map((choice) => ({ value: choice.value, text: choice.text, ...(choice.hint ? { hint: choice.hint } : {}) })),
})}
<div${attributes({ id: 'detention-start-group', ...revealFor('legalStatus', detentionStatuses, detentionStatuses.includes(v('legalStatus') as LegalStatus)) })}>
${dateInput({
  id: 'detention',
  name: 'detention',
  legend: 'When did the holding power start?',
  hint: `Only for ${detentionStatuses.map((status) => legalStatusLabel[status]).join(', ')}: when the doctor's report was given to the hospital managers, or the nurse's record was made. The time limit runs from it. For example, 26 11 2025 at 21:40.`,
  values: { day: v('detention-day'), month: v('detention-month'), year: v('detention-year') },
  error: e('detention-day'),
  extra: html`${input({ id: 'detention-time', name: 'detention-time', label: 'Time (24-hour clock)', value: v('detention-time'), classes: 'govuk-input--width-5', autocomplete: 'off', inputmode: 'numeric' })}${nowButton('detention')}`,
})}
</div>
${placeOfSafetyQuestions(values, errors)}
<h2 class="govuk-heading-m">The assessment</h2>
${radios({
  id: 'urgency',
  name: 'urgency',
  legend: 'How soon is the assessment needed?',
  value: v('urgency'),
  error: e('urgency'),
  small: true,
  items: [
    { value: 'immediate', text: 'Immediately' },
    { value: 'within_4_hours', text: 'Within 4 hours' },
    { value: 'within_24_hours', text: 'Within 24 hours' },
  ],
})}
${textarea({ id: 'reason', name: 'reason', label: 'Why are you referring?', hint: 'What is happening now, and why an assessment under the Mental Health Act is needed. At most 4000 characters.', rows: 5, value: v('reason'), error: e('reason'), autocomplete: 'off' })}
${checkboxes({ id: 'risks', name: 'risks', legend: 'Risks (select all that apply)', values: values.risks, error: e('risks'), small: true, items: riskOptions.map((risk) => ({ value: risk, text: risk })) })}
${input({ id: 'risksOther', name: 'risksOther', label: 'Other risks (optional)', value: v('risksOther'), autocomplete: 'off' })}
<details class="govuk-details" id="nearest-relative"${nearestRelativeOpen ? ' open' : ''}>
<summary class="govuk-details__summary"><span class="govuk-details__summary-text">${who.capitalised} (optional): add them if you know who they are</span></summary>
<div class="govuk-details__text">
<p class="govuk-body">The AMHP must inform or consult the ${who.name} before an application (Mental Health Act 1983 s11(3), (4)${relative === 'nominated_person' ? ', as the Mental Health Act 2025 amends them' : ''}); they will find them if you do not know.</p>
${input({ id: 'nrName', name: 'nrName', label: 'Name', value: v('nrName'), error: e('nrName'), ...subjectText })}
${input({ id: 'nrRelationship', name: 'nrRelationship', label: 'Relationship to the person', value: v('nrRelationship'), error: e('nrRelationship'), classes: 'govuk-input--width-20', autocomplete: 'off' })}
${input({ id: 'nrPhone', name: 'nrPhone', label: 'Phone number', type: 'tel', value: v('nrPhone'), error: e('nrPhone'), classes: 'govuk-input--width-20', autocomplete: 'off' })}
</div></details>
${button('Send referral')}
</form>`;
}
