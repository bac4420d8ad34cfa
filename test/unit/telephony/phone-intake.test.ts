import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ConnectContactFlowEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HttpEvent } from '../../../functions/commons/http.ts';
import { makeHandler as makeConnectHandler } from '../../../functions/telephony/connect-intake.ts';
import { makeHandler as makeWebhookHandler } from '../../../functions/telephony/webhook-intake.ts';
import { StaticIntegratorSecrets } from '../../../shared/adapters/secrets-manager-integrators.ts';
import { checkWebhookSignature, connectReferralBody, spokenReference, webhookSignature } from '../../../shared/domain/telephony.ts';
import type { Dependencies } from '../../../shared/ports.ts';
import { stateWrites, dynamo, putsOf, resetAws, sentMessages } from '../../support/aws.ts';
import { NOW, QUEUES, recordingLog, testDependencies, type RecordingLog } from '../../support/dependencies.ts';
import { loadEvent } from '../../support/events.ts';

const INTEGRATOR = 'acme-callhandling';
const SECRET = 'a-test-secret-for-acme-callhandling-0123456789';
const nowSeconds = String(Math.floor(NOW.getTime() / 1000));

let recorded: RecordingLog;
let deps: Dependencies;

beforeEach(() => {
  resetAws();
  recorded = recordingLog();
  deps = { ...testDependencies(recorded.log), integratorSecrets: new StaticIntegratorSecrets({ [INTEGRATOR]: SECRET }) };
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('webhook signatures', () => {
  const body = '{"urgency":"immediate"}';
  const signed = webhookSignature(SECRET, nowSeconds, body);

  it('accept the signature over timestamp and body, also when listed beside an old one during rotation', () => {
    expect(checkWebhookSignature({ secret: SECRET, timestamp: nowSeconds, signature: signed, rawBody: body, now: NOW })).toMatchObject({ ok: true });
    expect(checkWebhookSignature({ secret: SECRET, timestamp: nowSeconds, signature: `v1=00ff, ${signed}`, rawBody: body, now: NOW })).toMatchObject({ ok: true });
  });

  it('refuse another body, another timestamp, and a timestamp more than five minutes away', () => {
    expect(checkWebhookSignature({ secret: SECRET, timestamp: nowSeconds, signature: signed, rawBody: `${body} `, now: NOW })).toEqual({ ok: false, reason: 'bad_signature' });
    const later = String(Number(nowSeconds) + 1);
    expect(checkWebhookSignature({ secret: SECRET, timestamp: later, signature: signed, rawBody: body, now: NOW })).toEqual({ ok: false, reason: 'bad_signature' });
    const stale = String(Number(nowSeconds) - 301);
    expect(checkWebhookSignature({ secret: SECRET, timestamp: stale, signature: webhookSignature(SECRET, stale, body), rawBody: body, now: NOW })).toEqual({ ok: false, reason: 'stale' });
    expect(checkWebhookSignature({ secret: SECRET, timestamp: 'yesterday', signature: signed, rawBody: body, now: NOW })).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('POST /api/telephony/referrals (webhook-intake)', () => {
  /** events/http-telephony-webhook.json, signed afresh with the test secret at the test's now. */
  function webhookEvent(changes: { body?: string; timestamp?: string; secret?: string; integrator?: string; signature?: string } = {}): HttpEvent {
    const event = loadEvent<HttpEvent>('http-telephony-webhook');
    const body = changes.body ?? event.body ?? '';
    const timestamp = changes.timestamp ?? nowSeconds;
    event.body = body;
    event.headers['x-dutyline-timestamp'] = timestamp;
    event.headers['x-dutyline-integrator'] = changes.integrator ?? INTEGRATOR;
    event.headers['x-dutyline-signature'] = changes.signature ?? webhookSignature(changes.secret ?? SECRET, timestamp, body);
    return event;
  }
  const send = async (event: HttpEvent) => {
    const result = await makeWebhookHandler(deps)(event);
    return { ...result, json: JSON.parse(String(result.body)) as Record<string, unknown> };
  };

  it('stores a signed phone referral as channel phone made by webhook:<integrator>, and answers 202 with the reference', async () => {
    const response = await send(webhookEvent());
    expect(response.statusCode).toBe(202);
    expect(response.json.reference).toMatch(/^EDT-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const [details, stored] = putsOf('REFERRAL#');
    // The number to call back (which the AMHP needs) and the full postcode are the details, kept apart.
    expect(details?.Item).toMatchObject({ sk: 'DETAILS', details: { channel: 'phone', callbackPhone: '+447700900123', currentLocation: { postcode: 'LS1 4AP' } } });
    expect(stored?.Item).toMatchObject({
      sk: 'REFERRAL',
      channel: 'phone',
      createdBy: `webhook:${INTEGRATOR}`,
      district: 'LS1',
      legal: { status: 's136' },
      urgency: 'immediate',
    });
    expect(JSON.stringify(stored?.Item)).not.toContain('+447700900123');
    expect(sentMessages().filter((message) => message.QueueUrl === QUEUES.referrals)).toHaveLength(1);
  });

  it('remembers each signed request with a DynamoDB conditional write, and refuses the replay with 409', async () => {
    await send(webhookEvent());
    const [claim] = putsOf('REPLAY#');
    expect(claim).toMatchObject({ ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now' });
    expect(claim?.Item?.pk).toMatch(/^REPLAY#webhook:acme-callhandling:[0-9a-f]{64}$/);
    expect(Number(claim?.Item?.expiresAt)).toBeGreaterThan(Number(nowSeconds) + 300);

    dynamo.on(PutCommand, { Item: { pk: claim?.Item?.pk } }).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    const replay = await send(webhookEvent());
    expect(replay.statusCode).toBe(409);
    expect(replay.json.error).toBe('replayed');
    // The details and the referral of the first request only.
    expect(putsOf('REFERRAL#')).toHaveLength(2);
  });

  it('refuses a stale timestamp, a wrong signature and an unknown integrator alike, before storing anything', async () => {
    const stale = String(Number(nowSeconds) - 600);
    expect((await send(webhookEvent({ timestamp: stale }))).json.error).toBe('stale_timestamp');
    expect((await send(webhookEvent({ secret: 'not-the-secret-of-acme-0123456789abcdef' }))).statusCode).toBe(401);
    expect((await send(webhookEvent({ integrator: 'nobody' }))).statusCode).toBe(401);
    expect((await send(webhookEvent({ signature: '' }))).statusCode).toBe(401);
    expect(stateWrites()).toEqual([]);
    expect(putsOf('REPLAY#')).toEqual([]);
  });

  it('names each invalid field, never the value', async () => {
    const body = JSON.stringify({ callbackPhone: '12345', currentLocation: { postcode: 'LS1 4AP' }, legal: { status: 's5_4' }, urgency: 'immediate' });
    const response = await send(webhookEvent({ body }));
    expect(response.statusCode).toBe(400);
    expect(response.json.issues).toEqual([
      { path: 'callbackPhone', message: expect.stringContaining('UK phone number') },
      { path: 'legal.recordMadeAt', message: 'is required when status is s5_4 (or detentionStart, contract v1)' },
    ]);
    expect(JSON.stringify(response.json)).not.toContain('12345');
  });

  it('takes phone referrals only', async () => {
    const response = await send(webhookEvent({ body: JSON.stringify({ channel: 'web' }) }));
    expect(response.json.issues).toEqual([{ path: 'channel', message: 'must be phone: this endpoint takes phone referrals' }]);
  });
});

describe('the Amazon Connect contact-flow function (connect-intake)', () => {
  const connectEvent = (parameters: Record<string, string> = {}) => {
    const event = loadEvent<ConnectContactFlowEvent>('connect-contact-flow');
    event.Details.Parameters = { ...event.Details.Parameters, ...parameters };
    return event;
  };

  it('stores a phone referral from the caller number and answers with the reference as a flat map of strings, well inside 8 seconds', async () => {
    const started = performance.now();
    const result = await makeConnectHandler(deps)(connectEvent());
    const elapsed = performance.now() - started;
    expect(result).toEqual({
      result: 'accepted',
      reference: expect.stringMatching(/^EDT-[0-9A-Z]{4}-[0-9A-Z]{4}$/),
      referenceSpoken: spokenReference(String(result.reference)),
      referralId: expect.any(String),
    });
    for (const value of Object.values(result)) expect(typeof value).toBe('string');
    expect(elapsed).toBeLessThan(1_000);
    const [details, stored] = putsOf('REFERRAL#');
    expect(details?.Item).toMatchObject({ sk: 'DETAILS', details: { callbackPhone: '+447700900123' } });
    expect(stored?.Item).toMatchObject({
      channel: 'phone',
      createdBy: 'connect:9a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d',
      legal: { status: 's136', detentionStart: '2026-11-25T00:30:00.000Z' },
    });
    // The contact id keys the claim: a flow that retries the block gets the same referral.
    expect(putsOf('IDEMPOTENCY#')[0]?.Item?.pk).toBe('IDEMPOTENCY#connect:9a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d#connect:5ca32fbd-8f92-46af-92a5-6b0f970f0efe');
  });

  it('says which answer to ask again for, so the flow can re-prompt', async () => {
    const result = await makeConnectHandler(deps)(connectEvent({ postcode: 'NOT A POSTCODE' }));
    expect(result).toEqual({
      result: 'invalid',
      field: 'currentLocation.postcode',
      message: 'currentLocation.postcode is not a valid UK postcode',
      fields: 'currentLocation.postcode',
    });
    expect(stateWrites()).toEqual([]);
  });

  it('answers error, not an exception, when storing fails, and logs no caller number', async () => {
    dynamo.on(PutCommand).rejects(new Error('DynamoDB is down'));
    const result = await makeConnectHandler(deps)(connectEvent());
    expect(result).toEqual({ result: 'error' });
    expect(recorded.text()).not.toContain('7700900123');
  });

  it('answers error before the deadline when storing hangs', async () => {
    dynamo.on(PutCommand).callsFake(() => new Promise(() => undefined));
    const result = await makeConnectHandler(deps)(connectEvent(), { getRemainingTimeInMillis: () => 1_600 });
    expect(result).toEqual({ result: 'error' });
  });
});

describe('contact-flow parameters', () => {
  it('read a keyed detention time as the most recent such time in England and Wales', () => {
    const { body } = connectReferralBody({ postcode: 'LS1 4AP', legalStatus: 's136', urgency: 'immediate', detentionStartTime: '2330' }, '+447700900123', NOW);
    expect(body.legal).toEqual({ status: 's136', detentionStart: '2026-11-24T23:30:00.000Z' });
  });

  it('prefer a callback number the flow collected over the caller number', () => {
    const { body } = connectReferralBody({ callbackPhone: '0113 496 0000' }, '+447700900123', NOW);
    expect(body.callbackPhone).toBe('0113 496 0000');
  });

  it('refuse a keyed time that is not four digits', () => {
    expect(connectReferralBody({ detentionStartTime: '99' }, undefined, NOW).issues).toEqual([
      { path: 'legal.detentionStart', message: 'must be four digits on the 24-hour clock, e.g. 2140' },
    ]);
  });

  it('spell a reference out for text-to-speech', () => {
    expect(spokenReference('EDT-4F7K-2Q9M')).toBe('E D T, 4 F 7 K, 2 Q 9 M');
  });
});
