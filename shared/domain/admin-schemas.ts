import * as z from 'zod';
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

export const teamSchema = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(120),
  areas,
  hours: serviceHoursSchema.optional(),
  requiredPositions: z.array(z.enum(positions)).max(positions.length).optional(),
  escalation: z.strictObject({
    // Short timeouts exist for drills and tests; a real policy is minutes.
    ackTimeoutSeconds: z.number().int().min(1).max(86_400),
    repeat: z.number().int().min(0).max(10),
  }),
  continuity: z.enum(['prefer', 'avoid', 'ignore']).default('ignore'),
  fallbackPhone: ukPhone.optional(),
});

export const staffSchema = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(120),
  phone: ukMobile,
  teamIds: z.array(z.string().trim().min(1).max(64)).max(20),
  roles: z.array(z.enum(['amhp', 'manager'])).min(1, 'must include amhp or manager'),
});

export const resourceId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, - or _');

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
