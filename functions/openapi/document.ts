/**
 * The OpenAPI 3.1 description of dutyline's API, for integrators. The paths are the API routes of
 * infra/definition.ts (nothing else, nothing missing); the bodies are the zod schemas the handlers
 * validate with, turned into JSON Schema 2020-12 (OpenAPI 3.1's own dialect) by `z.toJSONSchema`.
 */
import * as z from 'zod';
import { routes, type RouteDefinition } from '../../infra/definition.ts';
import { extensionRequestSchema } from '../../shared/app/clock-extension.ts';
import { serviceSettingsSchema, staffSchema, teamSchema } from '../../shared/domain/admin-schemas.ts';
import { ROTA_CSV_COLUMNS } from '../../shared/domain/rota-csv.ts';
import { assessmentResults, closeOutcomes } from '../../shared/domain/outcomes.ts';
import { delayReasons } from '../../shared/domain/referral-events/delays.ts';
import { eventSchemas } from '../../shared/domain/referral-events/index.ts';
import { stages } from '../../shared/domain/stage.ts';
import { phoneReferralSchema, webReferralSchema } from '../../shared/domain/referral-schema.ts';
import { rotaUploadSchema } from '../../shared/domain/rota.ts';
import { WEBHOOK_TOLERANCE_SECONDS } from '../../shared/domain/telephony.ts';
import { assessmentFiguresSchema } from './assessment-figures-schema.ts';

type Json = Record<string, unknown>;

/** The routes an integrator calls: the API and its health check (not the web pages or texted links). */
export const isApiRoute = (route: Pick<RouteDefinition, 'path'>) => route.path === '/health' || route.path.startsWith('/api/');

const problemSchema = z.object({
  error: z.string().meta({ description: 'A machine-readable code, e.g. `validation_failed`' }),
  message: z.string().meta({ description: 'Plain English; never repeats submitted personal data' }),
  issues: z
    .array(z.object({ path: z.string().meta({ examples: ['subject.nhsNumber'] }), message: z.string() }))
    .optional()
    .meta({ description: 'One per field that needs attention' }),
});

const acceptedSchema = z.object({
  id: z.string().meta({ description: 'ULID of the referral' }),
  reference: z.string().meta({ description: 'Human reference to read out on the phone', examples: ['EDT-4F7K-2Q9M'] }),
  status: z.enum(['received', 'paging', 'accepted', 'exhausted', 'unrouted']),
  statusUrl: z.string().meta({ examples: ['/api/referrals/01JDQ7Z8X4Y5W6V7T8S9R0Q1P2'] }),
});

const referralViewSchema = z.object({
  id: z.string(),
  reference: z.string(),
  status: z.enum(['received', 'paging', 'accepted', 'exhausted', 'unrouted', 'closed']),
  channel: z.enum(['web', 'phone']),
  createdAt: z.string().meta({ format: 'date-time' }),
  district: z.string().meta({ examples: ['LS1'] }),
  teamId: z.string().nullable(),
  assignedTo: z.string().nullable().meta({ description: 'Staff id of the AMHP who accepted' }),
  timeline: z.array(z.looseObject({ at: z.string().meta({ format: 'date-time' }), type: z.string() })),
  clocks: z.array(
    z.object({
      kind: z.enum(['s136', 's135', 's5_2', 's5_4', 's135_2', 's4', 's2', 'cto_recall']),
      startedAt: z.string().nullable(),
      expiresAt: z.string().nullable(),
      state: z.enum(['pending', 'running', 'extended', 'ended', 'expired']),
      startEvent: z.string(),
      endedAt: z.string().nullable(),
    }),
  ),
  stage: z.enum(stages).meta({ description: 'The furthest step of the assessment recorded (`not_accepted` before the accept); follows from the timeline' }),
  stageSince: z.string().nullable().meta({ format: 'date-time', description: 'When that step happened' }),
  delays: z
    .array(z.object({ reason: z.enum(delayReasons), since: z.string().meta({ format: 'date-time' }), until: z.string().nullable().meta({ format: 'date-time', description: 'Null while the delay is open' }) }))
    .meta({ description: 'Every delay recorded, open and closed, in the order they started' }),
  personalDetails: z
    .discriminatedUnion('status', [
      z.object({ status: z.literal('held'), removeAt: z.string().meta({ format: 'date-time' }) }),
      z.object({
        status: z.literal('removed'),
        removedAt: z.string().nullable().meta({ format: 'date-time' }),
        reason: z.literal('retention_policy'),
      }),
    ])
    .meta({
      description:
        "The person's details are kept apart from the referral and removed under the retention policy (a set number of days after it is closed, or after receipt if it never is); the referral, its timeline and clocks are kept",
    }),
  submission: z.unknown().optional().meta({ description: 'Only with `?include=details` while the details are held; every such view is recorded on the timeline' }),
});

/** What the referrer who made it sees: the status page's facts, never staff ids or the team's records. */
const referrerReferralViewSchema = z.object({
  id: z.string(),
  reference: z.string(),
  status: z.enum(['received', 'paging', 'accepted', 'exhausted', 'unrouted', 'closed']),
  channel: z.enum(['web', 'phone']),
  createdAt: z.string().meta({ format: 'date-time' }),
  district: z.string(),
  urgency: z.enum(['immediate', 'within_4_hours', 'within_24_hours']),
  legalStatus: z.string(),
  teamId: z.string().nullable(),
  teamName: z.string().nullable(),
  assignedTo: z.object({ name: z.string(), phone: z.string() }).nullable().meta({ description: 'The AMHP who accepted, who will call back' }),
  stage: z.enum(['received', 'paging', 'escalated', 'accepted', 'exhausted', 'unrouted', 'closed']),
  headline: z.string(),
  acceptedAt: z.string().nullable(),
  callBackBy: z.string().nullable(),
  timeline: z.array(z.strictObject({ at: z.string().meta({ format: 'date-time' }), type: z.string(), text: z.string() })).meta({ description: 'Only the steps the status page lists, in its words' }),
  clocks: z.array(
    z.strictObject({
      kind: z.enum(['s136', 's135', 's5_2', 's5_4', 's135_2', 's4', 's2', 'cto_recall']),
      startedAt: z.string(),
      expiresAt: z.string(),
      state: z.enum(['running', 'extended', 'ended', 'expired']).meta({ description: 'Now: `expired` once the clock has run out' }),
    }),
  ),
  personalDetails: z.unknown(),
  submission: z.unknown().optional().meta({ description: 'With `?include=details`: what the referrer submitted' }),
});

const instant = () => z.string().meta({ format: 'date-time' });
const gapSchema = z.object({ position: z.string(), start: instant(), end: instant() });
const overlapSchema = z.object({ staffId: z.string(), start: instant(), end: instant(), shiftIds: z.array(z.string()) });
const segmentSchema = z.object({ staffId: z.string(), position: z.string(), shiftId: z.string(), kind: z.string(), start: instant(), end: instant() });

/** A rota as stored after a change: every shift, and the gaps and overlaps the check found. */
const rotaChangeSchema = z.object({ teamId: z.string(), shifts: z.array(z.looseObject({ staffId: z.string(), start: z.string(), end: z.string(), position: z.string() })), gaps: z.array(gapSchema), overlaps: z.array(overlapSchema) });

const rotaViewSchema = z.object({
  teamId: z.string(),
  timeZone: z.literal('Europe/London'),
  from: instant(),
  to: instant(),
  shifts: z.array(segmentSchema).meta({ description: 'The effective rota: overrides and swaps applied' }),
  gaps: z.array(gapSchema),
  overlaps: z.array(overlapSchema),
  staffNames: z.record(z.string(), z.string()),
});

const rotaFeedSchema = z.object({ url: z.string(), webcalUrl: z.string() });

/** Descriptions the schemas cannot carry: formats that are checked in code (check digits, postcodes). */
const fieldNotes: { schema: string; path: string[]; note: Json }[] = [
  { schema: 'WebReferral', path: ['referrer', 'phone'], note: { description: 'UK number, mobile or landline; stored as E.164', examples: ['0113 496 0000'] } },
  { schema: 'WebReferral', path: ['referrer', 'policeForce'], note: { description: 'Required for police: one of the 43 territorial forces of England and Wales or British Transport Police, named as listed', examples: ['West Yorkshire Police'] } },
  { schema: 'WebReferral', path: ['subject', 'dateOfBirth'], note: { format: 'date', examples: ['1987-03-14'] } },
  { schema: 'WebReferral', path: ['subject', 'nhsNumber'], note: { description: '10 digits, spaced or not, with a valid modulus 11 check digit; give `nhsNumberUnknownReason` instead when unknown', examples: ['943 476 5919'] } },
  { schema: 'WebReferral', path: ['subject', 'currentLocation', 'postcode'], note: { description: 'Where the person is now: the referral is routed on its district', examples: ['LS1 4AP'] } },
  { schema: 'WebReferral', path: ['legal', 'detentionStart'], note: { format: 'date-time', description: 'ISO 8601 with a UTC offset; required for s135, s136 and s5; the statutory clock runs from it', examples: ['2025-11-25T21:40:00Z'] } },
  { schema: 'PhoneReferral', path: ['callbackPhone'], note: { description: 'UK number the AMHP calls back; a mobile also gets a text when an AMHP accepts', examples: ['07700 900123'] } },
  { schema: 'PhoneReferral', path: ['currentLocation', 'postcode'], note: { description: 'Where the person is now', examples: ['LS1 4AP'] } },
  { schema: 'PhoneReferral', path: ['legal', 'detentionStart'], note: { format: 'date-time', description: 'ISO 8601 with a UTC offset; required for s135, s136 and s5', examples: ['2025-11-25T21:40:00Z'] } },
];

/** Every group's event bodies as one `oneOf` on `type`; `at` may be left out (it is then now). */
function eventBodySchema(): Json {
  const variants = eventSchemas.flatMap((schema) => (jsonSchema(schema).oneOf as Json[] | undefined) ?? [jsonSchema(schema)]);
  return {
    oneOf: variants.map((variant) => {
      const properties = variant.properties as Record<string, Json>;
      for (const [name, property] of Object.entries(properties)) {
        if (name === 'at' || name.endsWith('At')) Object.assign(property, { format: 'date-time' });
        if (name === 'postcode') Object.assign(property, { description: 'Of the place of safety; only its district is kept', examples: ['LS1 4AP'] });
      }
      return { ...variant, required: (variant.required as string[]).filter((name) => name !== 'at') };
    }),
  };
}

function jsonSchema(schema: z.ZodType): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  return rest;
}

function annotate(schemas: Record<string, Json>): void {
  for (const { schema, path, note } of fieldNotes) {
    let node: Json | undefined = schemas[schema];
    for (const key of path) node = (node?.properties as Record<string, Json> | undefined)?.[key];
    if (node) Object.assign(node, note);
  }
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const jsonBody = (schema: Json, description?: string) => ({ required: true, ...(description ? { description } : {}), content: { 'application/json': { schema } } });
const response = (description: string, schema?: Json) => ({ description, ...(schema ? { content: { 'application/json': { schema } } } : {}) });
const csvText = (columns: readonly string[]) => ({ schema: { type: 'string' }, description: `CSV with a header row: ${columns.join(',')}` });
const problem = (description: string) => response(description, ref('Problem'));
const idempotencyKey = { name: 'Idempotency-Key', in: 'header', required: false, description: 'Repeat a request safely: the same key and body return the first answer', schema: { type: 'string', maxLength: 128 } };

interface Operation {
  summary: string;
  description?: string;
  tags: string[];
  requestBody?: Json;
  parameters?: Json[];
  responses: Record<string, Json>;
  security?: Json[];
}

/** A rota upload under which overrides or swaps made since would stand in for someone else; nothing is changed. */
const overridesConflict = response('`overrides_conflict`: overrides or swaps made since would stand in for someone else under the new rota; nothing was changed', {
  type: 'object',
  required: ['error', 'message', 'conflicts'],
  properties: {
    error: { const: 'overrides_conflict' },
    message: { type: 'string' },
    conflicts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'kind', 'staffId', 'position', 'start', 'end', 'storedRota', 'newRota', 'reason'],
        properties: {
          id: { type: 'string' },
          kind: { enum: ['override', 'swap'] },
          staffId: { type: 'string' },
          position: { enum: ['primary', 'secondary', 'additional', 'manager'] },
          start: { type: 'string', format: 'date-time' },
          end: { type: 'string', format: 'date-time' },
          covers: { type: 'string' },
          storedRota: { type: 'array', description: 'Who it stood in for, from now (or its start) to its end', items: { $ref: '#/components/schemas/RotaHolding' } },
          newRota: { type: 'array', description: 'Who the new rota puts there instead', items: { $ref: '#/components/schemas/RotaHolding' } },
          reason: { type: 'string' },
        },
      },
    },
  },
});

/** What is known of each route beyond its method, path and auth. Every key must be a route (a test checks). */
export const operations: Record<string, Operation> = {
  'GET /health': { summary: 'Health check', tags: ['service'], responses: { 200: response('Ready', { type: 'object', properties: { status: { const: 'ok' } } }) } },
  'POST /api/referrals': {
    summary: 'Submit a referral',
    description: 'A web referral (full details), or a minimal phone referral with `"channel": "phone"`. Answers at once with a reference; routing and paging follow.',
    tags: ['referrals'],
    parameters: [idempotencyKey],
    requestBody: jsonBody({ oneOf: [ref('WebReferral'), ref('PhoneReferral')] }),
    responses: {
      202: response('Stored and queued for routing', ref('ReferralAccepted')),
      400: problem('Invalid: `issues` names each field'),
      403: problem('Only referrers submit referrals'),
      422: problem('The Idempotency-Key was used with another body'),
    },
  },
  'GET /api/referrals/{id}': {
    summary: 'A referral, its timeline and statutory clocks',
    description: 'For the referrer who made it and its team\'s AMHPs and managers; anyone else gets 404.',
    tags: ['referrals'],
    parameters: [{ name: 'include', in: 'query', required: false, schema: { enum: ['details'] }, description: 'Add the submission (personal data) while it is held; the view is audited' }],
    responses: {
      200: response("The referral: the team's view for its staff; the status page's view for its referrer", { oneOf: [ref('Referral'), ref('ReferrerReferral')] }),
      404: problem('No such referral you may see'),
    },
  },
  'POST /api/referrals/{id}/accept': {
    summary: 'Accept a page (AMHP)',
    tags: ['paging'],
    responses: { 200: response('Accepted', ref('Referral')), 403: problem('You were not paged for it'), 409: problem('Already accepted by someone else, or declined') },
  },
  'POST /api/referrals/{id}/decline': {
    summary: 'Decline a page (AMHP)',
    tags: ['paging'],
    description:
      'The reason is never stored, only whether one was given. `conflictOfInterest: true` declares a conflict of interest: it is recorded on the referral and its timeline, and the AMHP is skipped in every later step and round.',
    requestBody: {
      required: false,
      content: {
        'application/json': {
          schema: { type: 'object', properties: { reason: { type: 'string', maxLength: 500 }, conflictOfInterest: { type: 'boolean' } } },
        },
      },
    },
    responses: { 200: response('Declined; the next step is paged', ref('Referral')), 400: problem('Invalid: `issues` names each field'), 403: problem('You were not paged for it'), 409: problem('Already accepted') },
  },
  'PUT /api/teams/{teamId}': {
    summary: 'Create or replace a team (admin)',
    tags: ['directory'],
    requestBody: jsonBody(ref('Team')),
    responses: {
      200: response('Stored'),
      400: problem('Invalid'),
      409: response('`area_taken`: another team holds one of the areas', {
        type: 'object',
        properties: { error: { const: 'area_taken' }, message: { type: 'string' }, area: { type: 'string' }, teamId: { type: 'string', description: 'The team asked for' }, heldBy: { type: 'string', description: 'The team holding the area' } },
      }),
    },
  },
  'PUT /api/staff/{staffId}': { summary: 'Create or replace a staff member (admin)', description: 'A changed phone number is unverified until a new code is confirmed. `shiftNotices` left out keeps the person\'s own choice (NOTICES OFF / NOTICES ON by SMS).', tags: ['directory'], requestBody: jsonBody(ref('Staff')), responses: { 200: response('Stored', ref('StaffView')), 400: problem('Invalid') } },
  'POST /api/staff/{staffId}/phone/verify': {
    summary: 'Text a 6-digit code to the staff phone (the staff member, admin)',
    description: 'The code works for 15 minutes and 5 tries; a new one replaces it. Sends are limited per person and per number.',
    tags: ['directory'],
    responses: {
      202: response('Sent', { type: 'object', additionalProperties: false, required: ['status', 'expiresAt'], properties: { status: { const: 'code_sent' }, expiresAt: { type: 'string', format: 'date-time' } } }),
      400: problem('Invalid staff id'),
      403: problem('Neither the staff member nor an administrator'),
      404: problem('No such staff member'),
      409: problem('The code could not be texted (the phone may have replied STOP)'),
      429: problem('Too many codes sent lately'),
    },
  },
  'POST /api/staff/{staffId}/phone/confirm': {
    summary: 'Confirm the texted code (the staff member, admin)',
    tags: ['directory'],
    requestBody: jsonBody({ type: 'object', additionalProperties: false, required: ['code'], properties: { code: { type: 'string', pattern: '^\\s*\\d{6}\\s*$' } } }),
    responses: {
      200: response('Verified', ref('StaffView')),
      400: problem('Not the code, expired, out of tries or none waiting: the issue names `code`'),
      403: problem('Neither the staff member nor an administrator'),
      404: problem('No such staff member'),
    },
  },
  'PUT /api/teams/{teamId}/rota': {
    summary: "Replace a team's rota (manager, admin)",
    tags: ['rota'],
    requestBody: {
      required: true,
      content: {
        'application/json': { schema: ref('RotaUpload') },
        'text/csv': { schema: { type: 'string' }, description: `London dates and clock times: ${ROTA_CSV_COLUMNS.join(',')} (then optionally kind,covers); a header row is optional` },
        'text/calendar': { schema: { type: 'string' }, description: 'An iCalendar file, as GET ?format=ics exports it' },
      },
    },
    parameters: [
      {
        name: 'dropConflictingOverrides',
        in: 'query',
        required: false,
        schema: { enum: ['true', 'false'] },
        description: 'With `true`, overrides and swaps the new rota conflicts with are dropped (and listed in `droppedOverrides`) instead of answering 409',
      },
    ],
    responses: {
      200: response('Stored', ref('RotaChange')),
      400: problem('Invalid: each shift is named by its index, each CSV row by its row number'),
      403: problem("Neither an administrator nor a manager of the team"),
      404: problem('No such team'),
      409: overridesConflict,
      415: problem('Not JSON, CSV or iCalendar'),
    },
  },
  'GET /api/teams/{teamId}/rota': {
    summary: "A team's effective rota with its gaps and overlaps (team staff, admin)",
    tags: ['rota'],
    parameters: [
      { name: 'from', in: 'query', required: false, schema: { type: 'string', format: 'date' }, description: 'First London date; today by default' },
      { name: 'days', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 92, default: 14 } },
      { name: 'format', in: 'query', required: false, schema: { enum: ['json', 'csv', 'ics'] }, description: 'Or by the Accept header' },
    ],
    responses: {
      200: {
        description: 'The rota',
        content: { 'application/json': { schema: ref('RotaView') }, 'text/csv': csvText(ROTA_CSV_COLUMNS), 'text/calendar': { schema: { type: 'string' }, description: 'iCalendar (RFC 5545)' } },
      },
      400: problem('Invalid: `issues` names each parameter'),
      403: problem('Not staff of the team'),
      404: problem('No such team'),
    },
  },
  'POST /api/teams/{teamId}/rota/overrides': {
    summary: 'Add cover or swaps that win over the rota for their window (manager, admin)',
    description:
      'A shift without `kind` is an `override`; a `swap` names whom it `covers`. The rota itself is kept. The person each one puts on the rota and the person it takes off are texted at once (unless they turned shift notices off), once per change.',
    tags: ['rota'],
    requestBody: jsonBody(ref('RotaOverrides')),
    responses: {
      201: response('Added; the team\'s shifts after the change', ref('RotaChange')),
      400: problem('Invalid: each shift is named by its index'),
      403: problem("Neither an administrator nor a manager of the team"),
      404: problem('No such team'),
    },
  },
  'POST /api/teams/{teamId}/rota/feed': {
    summary: 'A calendar subscription link to the rota (team staff, admin)',
    description: 'Calendar apps cannot send a bearer token: the link carries a signed, revocable feed id. `?mine=true`: only the caller\'s own shifts.',
    tags: ['rota'],
    parameters: [{ name: 'mine', in: 'query', required: false, schema: { enum: ['true', 'false'] } }],
    responses: { 201: response('The link', ref('RotaFeed')), 403: problem('Not staff of the team'), 404: problem('No such team') },
  },
  'POST /api/referrals/{id}/clocks/{kind}/extension': {
    summary: 'Record an s136B extension (team staff)',
    description:
      'Mental Health Act 1983 s136B: up to 12 hours, before the 24 hours end, authorised by the registered medical practitioner responsible for the examination, only because the person\'s condition makes completing the assessment impracticable; where the person is detained at a police station (the place of safety as last transferred, or a v1 referral\'s current location), only with `superintendentName`, the approving officer of superintendent rank or above (s136B(3)).',
    tags: ['clocks'],
    requestBody: jsonBody(ref('ClockExtension')),
    responses: {
      200: response('Extended', ref('Referral')),
      400: problem('Invalid: `issues` names each field'),
      404: problem('No such referral or clock you may extend'),
      409: problem('Already extended, or the clock has ended'),
      422: problem('Not a lawful reason for an extension, or a police station without the superintendent\'s approval'),
    },
  },
  'POST /api/referrals/{id}/events': {
    summary: 'Record an event: legal (arrival at a place of safety, a transfer, a change of status, admission, release), the assessment, its delays, the relatives',
    description: [
      '`at` is when it happened (ISO 8601 with an offset; now when left out; never in the future beyond a few minutes of clock skew).',
      '`arrived_at_place_of_safety` starts a pending s135/s136 period from `at` (MHA 1983 s136(2A), s135(3ZA); `kept: true` when the person is kept where they are);',
      '`transferred` moves the person within the period, which continues (s136(3), s135(3A)); `status_changed` ends the old status\'s clock and starts the new one from its start field (or `at`), s5(2) after s5(4) running from the s5(4) record (s5(5));',
      '`admitted` ends the clock and starts s2\'s 28 days or s4\'s 72 hours (s3 has none); `released` ends it.',
      'A police station is refused for a person under 18 (s136A(1)) and needs `policeStationAuthorisedBy` (an inspector or above) for an adult.',
      'Assessment events need the referral accepted and come in order (409 otherwise): `referrer_contacted`, `attending`, `doctor_requested`, `doctor_arrived` in any order (a doctor arrives after their request);',
      '`assessment_started` after `attending`; `decision` after `assessment_started`, once; `bed_requested` → `bed_identified` after a decision to admit; `conveyance_requested` → `conveyed` after a bed is identified; `handed_over` at any point, before an accept too (the morning handover takes what is open as it stands).',
      '`decision {outcome: application_s3}` is refused after the nearest relative objected (MHA 1983 s11(4)), and after the nominated person objected unless `dangerReport: true` (s11(4C), as substituted by the Mental Health Act 2025).',
      "`relative_consulted` takes the role in force on its `at`: `nearest_relative` before the service's `nominatedPersonFrom`, `nominated_person` from it (Mental Health Act 2025 s24); the other is a 400 naming `role`.",
      '`delay_started` opens one delay per reason; `delay_ended` closes it. The view gives `stage` (the furthest step), `stageSince` and `delays[]`.',
      "Callers: the AMHP who accepted it and the team's managers, any type; the referrer who made it, `arrived_at_place_of_safety` and `transferred` only.",
    ].join(' '),
    tags: ['clocks'],
    requestBody: jsonBody(ref('ReferralEvent')),
    responses: {
      200: response("Recorded: the referral as GET /api/referrals/{id} gives it to the caller", { oneOf: [ref('Referral'), ref('ReferrerReferral')] }),
      400: problem('Invalid: `issues` names each field (an under-18 at a police station names `placeKind`)'),
      403: problem('Not the AMHP who accepted it, a manager of its team, or (for an arrival or transfer) its referrer'),
      404: problem('No such referral'),
      409: problem("The referral's state does not allow it (no place of safety power, an arrival already recorded, a transfer before arrival, an assessment event out of order or before the accept, a second open delay of a reason, an s3 application after an objection, a closed referral, an event dated before an earlier one); `message` says why"),
    },
  },
  'GET /api/teams/{teamId}/oncall': {
    summary: 'Who is on duty at an instant',
    tags: ['rota'],
    parameters: [{ name: 'at', in: 'query', required: false, schema: { type: 'string', format: 'date-time' } }],
    responses: { 200: response('Who holds each position'), 404: problem('No such team') },
  },
  'POST /api/telephony/referrals': {
    summary: 'Submit a phone referral (telephony platforms)',
    description: [
      'For telephony and call-handling platforms. Each request is signed with the integrator\'s shared secret:',
      '`X-Dutyline-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`, with `X-Dutyline-Timestamp` (Unix seconds)',
      `within ${WEBHOOK_TOLERANCE_SECONDS / 60} minutes of now and \`X-Dutyline-Integrator\`. A signed request is accepted once: a replay gets 409.`,
      'The body is a phone referral; `channel` may be left out.',
    ].join(' '),
    tags: ['telephony'],
    security: [{ webhookSignature: [] }],
    parameters: [
      { name: 'X-Dutyline-Integrator', in: 'header', required: true, schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' } },
      { name: 'X-Dutyline-Timestamp', in: 'header', required: true, schema: { type: 'string', pattern: '^\\d{9,11}$' } },
      idempotencyKey,
    ],
    requestBody: jsonBody(ref('TelephonyReferral')),
    responses: {
      202: response('Stored and queued for routing', ref('ReferralAccepted')),
      400: problem('Invalid: `issues` names each field'),
      401: problem('Not signed by a known integrator, or the timestamp is stale'),
      409: problem('This signed request was already received'),
    },
  },
  'GET /api/openapi.json': { summary: 'This description', tags: ['service'], responses: { 200: response('OpenAPI 3.1') } },
  'GET /api/dashboard': {
    summary: 'Open referrals with their clocks, and response-time statistics (manager, admin)',
    description:
      'Without `teamId`, every team the caller manages. Statistics cover referrals received from `from` to `to` (UK dates, both included; the last 7 days by default): time to first page, to acceptance and to close as nearest-rank p50, p90 and max in seconds, by day, ISO week, hour of day, team and AMHP, with s136 referrals (by the status they were made under) also apart. `statistics.assessment` has the figures from the arrival at the place of safety: arrival to assessment started (and the share within 3 h), to decision and to admission; hours lost by delay reason; statutory clocks that ran out before a lawful end; s136B extensions; police-station and under-18 use; decisions by legal status; s136 detentions by first place of safety and age group; the AMHP survey measures; by team, AMHP and hour. A window may be up to 366 days.',
    tags: ['managers'],
    parameters: [
      { name: 'teamId', in: 'query', required: false, schema: { type: 'string' } },
      { name: 'from', in: 'query', required: false, schema: { type: 'string', format: 'date' } },
      { name: 'to', in: 'query', required: false, schema: { type: 'string', format: 'date' } },
    ],
    responses: {
      200: response('The board and the statistics', {
        type: 'object',
        required: ['teamIds', 'generatedAt', 'open', 'statistics'],
        properties: { statistics: { type: 'object', required: ['assessment'], properties: { assessment: ref('AssessmentFigures') } } },
      }),
      400: problem('Invalid dates'), 403: problem('Not a manager of the team'), 404: problem('No such team') },
  },
  'POST /api/referrals/{id}/close': {
    summary: 'Record the outcome and close the referral (the AMHP who holds it, a manager of its team)',
    description: 'Only an accepted, exhausted or unrouted referral can be closed. `result` is required when, and only when, `outcome` is `assessed`.',
    tags: ['managers'],
    requestBody: jsonBody({
      type: 'object',
      additionalProperties: false,
      required: ['outcome'],
      properties: {
        outcome: { enum: [...closeOutcomes] },
        result: { enum: [...assessmentResults] },
      },
    }),
    responses: {
      200: response('Closed', ref('Referral')),
      400: problem('Invalid: `issues` names each field'),
      403: problem('Neither the AMHP who holds it nor a manager of its team'),
      404: problem('No such referral'),
      409: problem('Already closed, or still being paged'),
    },
  },
  'PUT /api/service': {
    summary: 'Change the service settings (admin)',
    description:
      'Merged into what is stored: a field left out keeps its value, `null` removes it. `fallbackPhone` (a UK mobile) is texted at once for a referral no team covers, or whose team has nobody to page or no contact of its own; `contactPhone` is the number referrers are told to call when their team has none; `defaultTeamId` takes referrals from districts no team lists.',
    tags: ['directory'],
    requestBody: jsonBody(ref('ServiceSettings')),
    responses: { 200: response('The settings now stored', ref('ServiceSettingsView')), 400: problem('Invalid: `issues` names each field (an unknown `defaultTeamId` too)'), 403: problem('Not an administrator') },
  },
  'GET /api/teams': {
    summary: 'Teams (admin: every team; manager: their own)',
    tags: ['directory'],
    responses: { 200: response('The teams, by id', { type: 'object', properties: { teams: { type: 'array', items: ref('TeamView') } } }), 403: problem('Neither an administrator nor a manager') },
  },
  'GET /api/teams/{teamId}': {
    summary: 'A team as stored (admin, the team\'s managers)',
    tags: ['directory'],
    responses: { 200: response('The team', ref('TeamView')), 403: problem('Neither an administrator nor a manager of the team'), 404: problem('No such team') },
  },
  'GET /api/staff/{staffId}': {
    summary: 'A staff member (admin, managers of a team they belong to)',
    tags: ['directory'],
    responses: { 200: response('The staff member', ref('StaffView')), 403: problem('Neither an administrator nor a manager of their team'), 404: problem('No such staff member') },
  },
  'POST /api/referrals/{id}/page': {
    summary: 'Page a member of the team now (a manager of the referral\'s team, admin)',
    description:
      'An SMS with a single-use accept link, as an escalation page. While the chain is paging this page becomes the one in hand, with its timer (unanswered, the chain goes on); after the chain ran out it goes with no timer.',
    tags: ['managers'],
    requestBody: jsonBody({ type: 'object', additionalProperties: false, required: ['staffId'], properties: { staffId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } } }),
    responses: {
      200: response('Paged', ref('Referral')),
      400: problem("Invalid, or the person is not a member of the referral's team"),
      403: problem("Not a manager of the referral's team"),
      404: problem('No such referral, or no such staff member'),
      409: problem('Closed, accepted, not yet routed, or the person declined or declared a conflict of interest'),
    },
  },
  'POST /api/referrals/{id}/route': {
    summary: 'Route an unrouted referral again (a manager, admin)',
    description: 'Once a team lists its district or a default team is set (PUT /api/service).',
    tags: ['managers'],
    responses: {
      200: response('Routed', ref('Referral')),
      403: problem('Not a manager'),
      404: problem('No such referral'),
      409: problem('`not_unrouted`: it is not unrouted; `still_unrouted`: still no team covers it'),
    },
  },
};

function operationFor(route: RouteDefinition): Json {
  const known = operations[`${route.method} ${route.path}`];
  const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  const operation: Json = {
    operationId: route.function,
    summary: known?.summary ?? route.function,
    ...(known?.description ? { description: known.description } : {}),
    tags: known?.tags ?? ['other'],
    parameters: [...pathParameters, ...(known?.parameters ?? [])],
    ...(known?.requestBody ? { requestBody: known.requestBody } : {}),
    responses: {
      ...(known?.responses ?? { 200: response('Done'), 400: problem('Invalid') }),
      // API Gateway's JWT authorizer answers before the function, in its own shape.
      ...(route.auth === 'jwt' ? { 401: response('No valid bearer token (answered by API Gateway)', ref('Unauthorized')) } : {}),
    },
    security: route.auth === 'jwt' ? [{ bearerAuth: [] }] : (known?.security ?? []),
  };
  if ((operation.parameters as unknown[]).length === 0) delete operation.parameters;
  return operation;
}

export function openApiDocument(serverUrl?: string): Json {
  const schemas: Record<string, Json> = {
    WebReferral: jsonSchema(webReferralSchema),
    PhoneReferral: jsonSchema(phoneReferralSchema),
    ReferralAccepted: jsonSchema(acceptedSchema),
    Referral: jsonSchema(referralViewSchema),
    ReferrerReferral: jsonSchema(referrerReferralViewSchema),
    RotaChange: jsonSchema(rotaChangeSchema),
    RotaView: jsonSchema(rotaViewSchema),
    RotaFeed: jsonSchema(rotaFeedSchema),
    ServiceSettings: jsonSchema(serviceSettingsSchema),
    ClockExtension: jsonSchema(extensionRequestSchema),
    ReferralEvent: eventBodySchema(),
    Problem: jsonSchema(problemSchema),
    AssessmentFigures: jsonSchema(assessmentFiguresSchema),
    Unauthorized: { type: 'object', required: ['message'], properties: { message: { const: 'Unauthorized' } } },
    Team: jsonSchema(teamSchema),
    Staff: jsonSchema(staffSchema),
    RotaUpload: jsonSchema(rotaUploadSchema),
    ServiceSettingsView: {
      type: 'object',
      properties: { defaultTeamId: { type: 'string' }, fallbackPhone: { type: 'string', description: 'E.164' }, contactPhone: { type: 'string', description: 'E.164' } },
    },
    RotaHolding: {
      type: 'object',
      required: ['staffId', 'start', 'end'],
      properties: { staffId: { type: ['string', 'null'], description: 'null: nobody holds the position' }, start: { type: 'string', format: 'date-time' }, end: { type: 'string', format: 'date-time' } },
    },
  };
  // What is stored comes back with its id, and phones as E.164.
  const withId = (schema: Json | undefined): Json => ({
    ...schema,
    required: ['id', ...(((schema?.required as string[] | undefined) ?? []))],
    properties: { id: { type: 'string' }, ...(schema?.properties as Json | undefined) },
  });
  schemas.TeamView = withId(schemas.Team);
  const staffView = withId(schemas.Staff);
  schemas.StaffView = {
    ...staffView,
    required: [...(staffView.required as string[]), 'phoneVerified', 'phoneVerifiedAt'],
    properties: {
      ...(staffView.properties as Json),
      phoneVerified: { type: 'boolean', description: 'The phone was proven by a texted code, and has not changed or replied STOP since' },
      phoneVerifiedAt: { type: ['string', 'null'], format: 'date-time' },
    },
  };
  annotate(schemas);
  // Overrides are rota shifts, one to 500 of them, each `override` unless it says otherwise.
  const rotaShifts = (schemas.RotaUpload?.properties as Record<string, Json>).shifts as Json;
  schemas.RotaOverrides = { type: 'object', additionalProperties: false, required: ['shifts'], properties: { shifts: { ...rotaShifts, minItems: 1, maxItems: 500 } } };
  // The telephony webhook takes only phone referrals, so `channel` may be left out there.
  const phone = schemas.PhoneReferral as Json;
  schemas.TelephonyReferral = { ...phone, required: (phone.required as string[]).filter((name) => name !== 'channel') };
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes.filter(isApiRoute)) {
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operationFor(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'dutyline',
      version: '1',
      summary: 'Out-of-hours emergency referral line for AMHP services in England and Wales',
      description: 'Errors are `{"error", "message", "issues"?}`; messages never repeat submitted personal data.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A Cognito ID token (the local runtime: POST /local/login)' },
        webhookSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Dutyline-Signature',
          description: 'v1=<hex HMAC-SHA256 over "<X-Dutyline-Timestamp>.<raw body>"> with the integrator\'s shared secret',
        },
      },
    },
  };
}
