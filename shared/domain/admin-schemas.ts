import * as z from 'zod';
import { isCalendarDate } from './london-time.ts';
import { normaliseUkMobile, normaliseUkPhone } from './phone.ts';
import { serviceHoursSchema } from './service-hours.ts';
import { validateTeamAreas } from './team.ts';
import { positions, type Staff, type Team } from './types.ts';

const ukMobile = z.string().transform((value, ctx) => {
  const phone = normaliseUkMobile(value);
  if (!phone) ctx.addIssue({ code: 'custom', message: 'must be a UK mobile number, e.g. 07700 900123' });
  return phone ?? '';
});

const ukPhone = z.string().transform((value, ctx) => {
  const phone = normaliseUkPhone(value);
  if (!phone) ctx.addIssue({ code: 'custom', message: 'must be a UK phone number' });
  return phone ?? '';
});

const areas = z.array(z.string()).min(1, 'must list at least one postcode district').transform((value, ctx) => {
  const result = validateTeamAreas(value);
  if (!result.ok) for (const issue of result.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path === '' ? [] : issue.path.split('.') });
  return result.ok ? result.value : [];
});

const staffRef = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a staff id: 1 to 64 letters, digits, - or _');

/**
 * One policy step: exactly one of `position`, `staffId` or `fallbackPhone: true`, and an optional
 * `delaySeconds` (else the policy's `ackTimeoutSeconds`). Checked field by field, so an admin
 * reads `escalation.steps.2.position: must be primary, ...` rather than "invalid input".
 */
const policyStep = z
  .strictObject({
    position: z.enum(positions, { error: `must be one of ${positions.join(', ')}` }).optional(),
    staffId: staffRef.optional(),
    fallbackPhone: z.literal(true, { error: 'must be true: the step texts the team fallback phone' }).optional(),
    delaySeconds: z
      .number({ error: 'must be a whole number of seconds from 1 to 86400' })
      .int('must be a whole number of seconds from 1 to 86400')
      .min(1, 'must be a whole number of seconds from 1 to 86400')
      .max(86_400, 'must be a whole number of seconds from 1 to 86400')
      .optional(),
  })
  .superRefine((step, ctx) => {
    const kinds = [step.position, step.staffId, step.fallbackPhone].filter((value) => value !== undefined).length;
    if (kinds !== 1) ctx.addIssue({ code: 'custom', message: 'must give exactly one of position, staffId or fallbackPhone' });
  })
  .transform(({ position, staffId, delaySeconds }) => ({
    ...(position ? { position } : staffId ? { staffId } : { fallbackPhone: true as const }),
    ...(delaySeconds === undefined ? {} : { delaySeconds }),
  }));

/**
 * Seconds after an unanswered page that a voice call rings the same phone, or `null` for none.
 * The call comes only while the page still waits for an answer: at or past a step's wait
 * (`ackTimeoutSeconds`, or the step's `delaySeconds`) no call is made for that step.
 */
const callAfter = z
  .number()
  .int('must be a whole number of seconds from 1 to 3600, or null for no call')
  .min(1, 'must be a whole number of seconds from 1 to 3600, or null for no call')
  .max(3_600, 'must be a whole number of seconds from 1 to 3600, or null for no call')
  .nullable()
  .describe(
    'Seconds after an unanswered page that a voice call follows it (default 120; null: none). No call is made when it is not less than the wait of the step (ackTimeoutSeconds or the step delaySeconds).',
  );

const escalationPolicy = z
  .strictObject({
    // Short timeouts exist for drills and tests; a real policy is minutes.
    ackTimeoutSeconds: z.number().int().min(1).max(86_400),
    repeat: z.number().int().min(0).max(10),
    steps: z.array(policyStep).min(1, 'must list at least one step, or leave steps out for the usual order').max(20).optional(),
    repageOnce: z.boolean().optional(),
    callAfterSeconds: callAfter.optional(),
  })
  .superRefine((policy, ctx) => {
    const seen = new Set<string>();
    (policy.steps ?? []).forEach((step, index) => {
      const key = 'position' in step ? `position:${step.position}` : 'staffId' in step ? `staff:${step.staffId}` : 'fallback';
      if (seen.has(key)) {
        const field = 'position' in step ? 'position' : 'staffId' in step ? 'staffId' : 'fallbackPhone';
        ctx.addIssue({ code: 'custom', path: ['steps', index, field], message: 'is already an earlier step; use repageOnce to page someone twice' });
      }
      seen.add(key);
    });
  });

/**
 * When the rota's people are texted before their shifts start: `minutesBefore` (default 60), and
 * optionally `eveningBefore`, a London time on the evening before the shift's day (`null`: none).
 */
const shiftNotices = z
  .strictObject({
    minutesBefore: z
      .number({ error: 'must be a whole number of minutes from 5 to 720' })
      .int('must be a whole number of minutes from 5 to 720')
      .min(5, 'must be a whole number of minutes from 5 to 720')
      .max(720, 'must be a whole number of minutes from 5 to 720')
      .optional()
      .describe('Minutes before a shift starts that its holder is texted their position and hours (default 60)'),
    eveningBefore: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a London time written HH:MM, e.g. 19:00')
      .nullable()
      .optional()
      .describe('A London time (HH:MM) on the day before a shift starts at which its holder is texted too; null or absent: no evening notice'),
  })
  .describe("Shift notices: each person on the rota is texted before their shift; a position that starts empty texts the manager on duty");

/** The morning handover (shared/domain/handover.ts): who in the day service is texted the list, and how long they have to mark it received. */
const handover = z
  .strictObject({
    dayServicePhone: ukMobile.optional().describe("Texted the handover list when the out-of-hours period ends; absent: the team's fallback phone is, and told to pass it on"),
    dayServiceName: z.string().trim().min(1, 'is required').max(80).optional().describe('How the day service is named on the Handover page, e.g. "Leeds AMHP day service"'),
    ackMinutes: z
      .number({ error: 'must be a whole number of minutes from 10 to 240' })
      .int('must be a whole number of minutes from 10 to 240')
      .min(10, 'must be a whole number of minutes from 10 to 240')
      .max(240, 'must be a whole number of minutes from 10 to 240')
      .optional()
      .describe('Minutes the day service has to mark each listed referral received before the manager is told (default 30); at twice this the service fallback is'),
  })
  .describe('The morning handover: at the end of the out-of-hours period every open referral is listed for the day service, which marks each received');

export const teamSchema = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(120),
  areas,
  hours: serviceHoursSchema.optional(),
  requiredPositions: z.array(z.enum(positions)).max(positions.length).optional(),
  escalation: escalationPolicy,
  continuity: z.enum(['prefer', 'avoid', 'ignore']).default('ignore'),
  fallbackPhone: ukPhone.optional(),
  /** The number this team's referrers are told to call. */
  contactPhone: ukPhone.optional(),
  /** Minutes after a decision to admit with no bed, and after a conveyance request not done, before the manager is told. */
  overruns: z.strictObject({ bedMinutes: z.number().int().min(15).max(1440).optional(), conveyanceMinutes: z.number().int().min(15).max(1440).optional() }).optional(),
  /** Texted with the manager when no bed is found in time. */
  bedManagerPhone: ukPhone.optional(),
  shiftNotices: shiftNotices.optional(),
  handover: handover.optional(),
}).superRefine((team, ctx) => {
  const index = (team.escalation.steps ?? []).findIndex((step) => 'fallbackPhone' in step);
  if (index >= 0 && !team.fallbackPhone) {
    ctx.addIssue({ code: 'custom', path: ['escalation', 'steps', index, 'fallbackPhone'], message: 'needs the team fallbackPhone to be given' });
  }
});

export const staffSchema = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(120),
  phone: ukMobile,
  teamIds: z.array(z.string().trim().min(1).max(64)).max(20),
  roles: z.array(z.enum(['amhp', 'manager'])).min(1, 'must include amhp or manager'),
  /** Preferred for a person under 18 among equally placed free AMHPs (shared/domain/matching.ts). */
  childrenServicesExperience: z.boolean().optional(),
  /** The person's own choice, over the team's: when an unanswered page rings them (`null`: never). */
  callAfterSeconds: callAfter.optional(),
  /** The person's own choice (also NOTICES OFF / NOTICES ON by SMS); left out, the stored choice stands. */
  shiftNotices: z
    .boolean()
    .optional()
    .describe('false: no shift notices are texted to this person (they may also reply NOTICES OFF or NOTICES ON); left out, the stored choice is kept'),
});

export const resourceId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, - or _');

/**
 * `PUT /api/service` merges: a field left out keeps its value, a field set to `null` removes it.
 * The fallback phone is texted, so it must be a mobile; referrers call the contact phone, so any
 * UK number will do.
 */
/** A London date, `YYYY-MM-DD`, that exists in the calendar. */
const commencementDate = z.string().superRefine((value, ctx) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) ctx.addIssue({ code: 'custom', message: 'must be a date written YYYY-MM-DD' });
  else if (!isCalendarDate(Number(value.slice(0, 4)), Number(value.slice(5, 7)), Number(value.slice(8, 10)))) ctx.addIssue({ code: 'custom', message: 'is not a date in the calendar' });
});

export const serviceSettingsSchema = z.strictObject({
  defaultTeamId: resourceId.nullable().optional(),
  fallbackPhone: ukMobile.nullable().optional(),
  contactPhone: ukPhone.nullable().optional(),
  /** Commencement dates of the Mental Health Act 2025's changes (shared/domain/mha-2025.ts); `null` unsets one. */
  settings: z
    .strictObject({
      nominatedPersonFrom: commencementDate.nullable().optional(),
      policeStationPlaceOfSafetyEndsFrom: commencementDate.nullable().optional(),
    })
    .optional(),
});

export type Issue = { path: string; message: string };
export type Validated<T> = { ok: true; value: T } | { ok: false; issues: Issue[] };

export function toIssues(error: z.ZodError): Issue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

function validate<T>(schema: z.ZodType<T>, body: unknown): Validated<T> {
  const parsed = schema.safeParse(body);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, issues: toIssues(parsed.error) };
}

export const validateTeam = (id: string, body: unknown): Validated<Team> => {
  const result = validate(teamSchema, body);
  return result.ok ? { ok: true, value: { id, ...result.value } as Team } : result;
};

export const validateStaff = (id: string, body: unknown): Validated<Staff> => {
  const result = validate(staffSchema, body);
  return result.ok ? { ok: true, value: { id, ...result.value } } : result;
};
