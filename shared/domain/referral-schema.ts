/**
 * Contract v1 referral bodies (SPEC.md "Referral body (v1)"): the web form's full referral and
 * the telephony platform's minimal one. Schemas are built per request because "not in the
 * future" needs the time, and the core never reads the clock itself.
 */
import * as z from 'zod';
import { normaliseNhsNumber } from './nhs-number.ts';
import { normaliseUkPhone } from './phone.ts';
import { findPoliceForce } from './police-forces.ts';
import { normalisePostcode } from './postcode.ts';
import { clockStart, placeOfSafetyStatuses } from './clocks.ts';
import { legalStatuses, locationKinds, placeOfSafetyKinds, referrerKinds, urgencies, type LegalStatus, type ValidationResult } from './types.ts';
import { isRecord, isoInstant, optionalField, trimmedText, validateWith } from './validation.ts';

export { policeForces, type PoliceForce } from './police-forces.ts';

/** Referrers' device clocks drift; a detention start a few minutes "ahead" is still accepted. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** The statuses whose power exists only once its start event has happened, so it must be given. */
const needsDetentionStart = new Set<LegalStatus>(['s5_2', 's5_4']);

/** Builds a field from a normaliser: `message` when it returns null, never the value itself. */
const normalised = <T>(normalise: (input: string) => T | null, message: string) =>
  z.string().transform((value, ctx) => {
    const result = normalise(value);
    if (result === null) ctx.addIssue({ code: 'custom', message });
    return result ?? z.NEVER;
  });

const ukPhone = normalised(normaliseUkPhone, 'must be a UK phone number, e.g. 0113 496 0000 or 07700 900123');
const postcode = normalised(normalisePostcode, 'is not a valid UK postcode');
const policeForce = normalised(
  findPoliceForce,
  'must be one of the 43 territorial police forces of England and Wales or British Transport Police, named as listed',
);
const staffId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a staff id: 1 to 64 letters, digits, - or _');

const nhsNumber = z.string().transform((value, ctx) => {
  const digits = normaliseNhsNumber(value);
  if (digits === null) {
    const tenDigits = /^\d{10}$/.test(value.trim().replace(/[\s-]/g, ''));
    ctx.addIssue({
      code: 'custom',
      message: tenDigits ? 'is not a valid NHS number (the check digit does not match)' : 'must be a 10-digit NHS number, e.g. 943 476 5919',
    });
  }
  return digits ?? z.NEVER;
});

const londonCalendar = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in England and Wales, `YYYY-MM-DD`: a baby born at 00:30 BST was born "today". */
export function londonDate(now: Date): string {
  const parts = londonCalendar.formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/**
 * The schemas are built once, since zod compiles each object schema on its first parse (which
 * costs more than the parse). The rules that depend on the time (no birth in the future, no
 * detention starting ahead of now) read it here: `validateReferral` sets it for the length of one
 * parse, which is synchronous, so no other parse can see it.
 */
let parsingAt: Date | undefined;
function parseTime(): Date {
  if (!parsingAt) throw new Error('the referral schema checks times only inside validateReferral');
  return parsingAt;
}

const calendarDate = z.iso.date();

/**
 * Under 18 on `today` (both `YYYY-MM-DD`): the 18th birthday is the same month and day 18 years
 * on; a 29 February birthday compares as after 28 February, so it falls on 1 March in other years.
 */
export function isUnder18(dateOfBirth: string, today: string): boolean {
  const eighteenth = `${String(Number(dateOfBirth.slice(0, 4)) + 18).padStart(4, '0')}${dateOfBirth.slice(4)}`;
  return today < eighteenth;
}

const dateOfBirth = z.string().transform((value, ctx) => {
  const date = value.trim();
  const problem = !calendarDate.safeParse(date).success
    ? 'must be a real date written YYYY-MM-DD'
    : date > londonDate(parseTime())
      ? 'must not be in the future'
      : date < '1900-01-01'
        ? 'must not be before 1900'
        : null;
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
  return problem ? z.NEVER : date;
});

/** Cross-field rules run even when other fields failed, so a form shows every problem at once. */
const always = { when: (payload: { value: unknown }) => isRecord(payload.value) };

const instant = () => optionalField(isoInstant({ notAfter: () => new Date(parseTime().getTime() + CLOCK_SKEW_MS) }));

/** The contract v1.1 start fields, each allowed only with the status whose clock runs from it (the events endpoint's status change too). */
export const startFields = {
  reportFurnishedAt: ['s5_2'],
  s5_4RecordMadeAt: ['s5_2'],
  recordMadeAt: ['s5_4'],
  admittedAt: ['s4', 's2'],
  detainedAfterRecallAt: ['cto_recall'],
  placeOfSafety: placeOfSafetyStatuses,
  detainedAt: placeOfSafetyStatuses,
} as const satisfies Record<string, readonly LegalStatus[]>;

const legal = z
    .strictObject({
      status: z.enum(legalStatuses),
      detentionStart: instant(),
      // MHA 1983 s135(6): the kinds of place of safety; s136A limits police stations.
      placeOfSafety: optionalField(
        z.strictObject({
          kind: z.enum(placeOfSafetyKinds),
          arrivedAt: instant(),
          keptSince: instant(),
          policeStationAuthorisedBy: optionalField(trimmedText(100)),
        }),
      ),
      detainedAt: instant(),
      reportFurnishedAt: instant(),
      s5_4RecordMadeAt: instant(),
      recordMadeAt: instant(),
      admittedAt: instant(),
      detainedAfterRecallAt: instant(),
    })
    .superRefine((value, ctx) => {
      // v1.1 start fields, or v1's detentionStart read as that status's start event. An s136 or
      // s135(1) may be made before arrival (its clock is pending, s136(2A)); s5 holding powers exist
      // only once the report or record is made, so theirs is required.
      if (needsDetentionStart.has(value.status) && !value.detentionStart && !clockStart(value)) {
        const field = value.status === 's5_2' ? 'reportFurnishedAt' : 'recordMadeAt';
        ctx.addIssue({ code: 'custom', path: [field], message: `is required when status is ${value.status} (or detentionStart, contract v1)` });
      }
      for (const [field, statuses] of Object.entries(startFields)) {
        if (value[field as keyof typeof startFields] !== undefined && !(statuses as readonly string[]).includes(value.status)) {
          ctx.addIssue({ code: 'custom', path: [field], message: `does not apply when status is ${value.status}` });
        }
      }
      const place = value.placeOfSafety;
      if (place?.arrivedAt && place.keptSince) {
        ctx.addIssue({ code: 'custom', path: ['placeOfSafety', 'keptSince'], message: 'give arrivedAt or keptSince, not both: the clock runs from one of them' });
      }
      // MHA 1983 s136A(2) and the Places of Safety Regulations 2017 reg 2(2)(c): an adult may be
      // kept at a police station only with an officer of inspector rank or above authorising it.
      if (place?.kind === 'police_station' && !place.policeStationAuthorisedBy) {
        ctx.addIssue({
          code: 'custom',
          path: ['placeOfSafety', 'policeStationAuthorisedBy'],
          message: 'is required at a police station: the inspector (or above) who authorised it (MHA 1983 s136A, Places of Safety Regulations 2017)',
        });
      }
    }, always);

const referrer = z
  .strictObject({
    name: trimmedText(100),
    kind: z.enum(referrerKinds),
    organisation: trimmedText(200),
    phone: ukPhone,
    policeForce: optionalField(policeForce),
    collarNumber: optionalField(trimmedText(20)),
  })
  .superRefine((value, ctx) => {
    if (value.kind !== 'police') return;
    for (const field of ['policeForce', 'collarNumber'] as const) {
      if (!value[field]) ctx.addIssue({ code: 'custom', path: [field], message: 'is required when kind is police' });
    }
  }, always);

const subject = z
    .strictObject({
      givenName: trimmedText(100),
      familyName: trimmedText(100),
      dateOfBirth,
      nhsNumber: optionalField(nhsNumber),
      nhsNumberUnknownReason: optionalField(trimmedText(200)),
      homeAddress: optionalField(trimmedText(500)),
      currentLocation: z.strictObject({
        kind: z.enum(locationKinds),
        description: optionalField(trimmedText(500)),
        postcode,
      }),
      careCoordinatorStaffId: optionalField(staffId),
      interpreterLanguage: optionalField(trimmedText(60)),
    })
    .superRefine((value, ctx) => {
      if (!value.nhsNumber && !value.nhsNumberUnknownReason) {
        ctx.addIssue({ code: 'custom', path: ['nhsNumberUnknownReason'], message: 'is required when nhsNumber is not given' });
      }
    }, always);

export const webReferralSchema = z
    .strictObject({
      channel: z.literal('web', { error: 'must be web or phone' }).optional(),
      referrer,
      subject,
      legal,
      reason: trimmedText(4000),
      risks: z.array(trimmedText(500)).max(50).default([]),
      urgency: z.enum(urgencies),
      nearestRelative: optionalField(
        z.strictObject({ name: trimmedText(100), relationship: optionalField(trimmedText(100)), phone: optionalField(ukPhone) }),
      ),
    })
    .superRefine((value, ctx) => {
      // MHA 1983 s136A(1): a person under 18 may not be removed to, kept at or taken to a police
      // station as a place of safety. Age from the date of birth on London's calendar today.
      const born = value.subject.dateOfBirth;
      if (value.legal.placeOfSafety?.kind === 'police_station' && isUnder18(born, londonDate(parseTime()))) {
        ctx.addIssue({
          code: 'custom',
          path: ['legal', 'placeOfSafety', 'kind'],
          message: 'a police station may not be a place of safety for a person under 18 (MHA 1983 s136A(1)): take them to a health-based place of safety',
        });
      }
    })
    .transform(({ channel: _, ...rest }) => ({ channel: 'web' as const, ...rest }));

/** What the telephony platform sends: enough to route and page; the AMHP calls back for the rest. */
export const phoneReferralSchema = z.strictObject({
    channel: z.literal('phone'),
    callbackPhone: ukPhone,
    currentLocation: z.strictObject({ postcode }),
    legal,
    urgency: z.enum(urgencies),
  });

/** Both channels, for documentation (OpenAPI); `validateReferral` picks one by `channel` for clearer errors. */
export const referralSchema = z.union([phoneReferralSchema, webReferralSchema]);

export type WebReferralSubmission = Omit<z.output<typeof webReferralSchema>, 'channel'>;
export type PhoneReferralSubmission = z.output<typeof phoneReferralSchema>;
export type ReferralSubmission = ({ channel: 'web' } & WebReferralSubmission) | PhoneReferralSubmission;
export type ReferralLegal = ReferralSubmission['legal'];

export function validateReferral(body: unknown, now: Date): ValidationResult<ReferralSubmission> {
  parsingAt = now;
  try {
    return isRecord(body) && body.channel === 'phone' ? validateWith(phoneReferralSchema, body) : validateWith(webReferralSchema, body);
  } finally {
    parsingAt = undefined;
  }
}

/** The normalised postcode of where the person is now: routing uses its district, not the home address. */
export const referralPostcode = (s: ReferralSubmission): string =>
  s.channel === 'phone' ? s.currentLocation.postcode : s.subject.currentLocation.postcode;
