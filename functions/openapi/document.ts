/**
 * The OpenAPI 3.1 description of dutyline's API, for integrators. The paths are the API routes of
 * infra/definition.ts (nothing else, nothing missing); the bodies are the zod schemas the handlers
 * validate with, turned into JSON Schema 2020-12 (OpenAPI 3.1's own dialect) by `z.toJSONSchema`.
 */
import * as z from 'zod';
import { routes, type RouteDefinition } from '../../infra/definition.ts';
import { staffSchema, teamSchema } from '../../shared/domain/admin-schemas.ts';
import { assessmentResults, closeOutcomes } from '../../shared/domain/outcomes.ts';
import { phoneReferralSchema, webReferralSchema } from '../../shared/domain/referral-schema.ts';
import { rotaUploadSchema } from '../../shared/domain/rota.ts';
import { WEBHOOK_TOLERANCE_SECONDS } from '../../shared/domain/telephony.ts';

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
    responses: { 200: response('The referral', ref('Referral')), 404: problem('No such referral you may see') },
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
  'PUT /api/teams/{teamId}': { summary: 'Create or replace a team (admin)', tags: ['directory'], requestBody: jsonBody(ref('Team')), responses: { 200: response('Stored'), 400: problem('Invalid') } },
  'PUT /api/staff/{staffId}': { summary: 'Create or replace a staff member (admin)', tags: ['directory'], requestBody: jsonBody(ref('Staff')), responses: { 200: response('Stored'), 400: problem('Invalid') } },
  'PUT /api/teams/{teamId}/rota': {
    summary: "Replace a team's rota (manager, admin)",
    tags: ['rota'],
    requestBody: { required: true, content: { 'application/json': { schema: ref('RotaUpload') }, 'text/csv': { schema: { type: 'string' }, description: 'staffId,start,end,position' } } },
    responses: { 200: response('Stored'), 400: problem('Invalid: each shift is named by its index'), 404: problem('No such team') },
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
      'Without `teamId`, every team the caller manages. Statistics cover referrals received from `from` to `to` (UK dates, both included; the last 7 days by default): time to first page, to acceptance and to close as nearest-rank p50, p90 and max in seconds, by day, ISO week, hour of day, team and AMHP, with s136 referrals also apart.',
    tags: ['managers'],
    parameters: [
      { name: 'teamId', in: 'query', required: false, schema: { type: 'string' } },
      { name: 'from', in: 'query', required: false, schema: { type: 'string', format: 'date' } },
      { name: 'to', in: 'query', required: false, schema: { type: 'string', format: 'date' } },
    ],
    responses: { 200: response('The board and the statistics'), 400: problem('Invalid dates'), 403: problem('Not a manager of the team'), 404: problem('No such team') },
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
      ...(route.auth === 'jwt' ? { 401: problem('No valid bearer token') } : {}),
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
    Problem: jsonSchema(problemSchema),
    Team: jsonSchema(teamSchema),
    Staff: jsonSchema(staffSchema),
    RotaUpload: jsonSchema(rotaUploadSchema),
  };
  annotate(schemas);
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
