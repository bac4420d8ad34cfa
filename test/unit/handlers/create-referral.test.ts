import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { RequestThrottled, SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../../functions/commons/http.ts';
import { makeHandler } from '../../../functions/intake/create-referral.ts';
import { completedEffects, dynamo, putsOf, sentMessages, sns, sqs, stateWrites, storedAt } from '../../support/aws.ts';
import { GP_USER_ID, REFERENCE, REFERRER_PHONE, receivedReferral, referralItem, storedDetails, subjectIdentifiers } from '../../support/dataset.ts';
import { NOW, QUEUES, TABLES } from '../../support/dependencies.ts';
import { httpBody, httpEvent, type HttpChanges } from '../../support/events.ts';
import { handlerTest } from '../../support/handler-test.ts';

const leeds = handlerTest();
let createReferral: ReturnType<typeof makeHandler>;

beforeEach(() => {
  createReferral = makeHandler(leeds.deps);
});

async function submit(changes: HttpChanges = {}) {
  const result = await createReferral(httpEvent('http-create-referral', changes));
  return { ...result, json: JSON.parse(result.body ?? 'null') as Record<string, unknown> };
}

const claimFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const fingerprint = (body: unknown) => createHash('sha256').update(JSON.stringify(body)).digest('base64url');
const IDEMPOTENCY_KEY = 'a3f1c9e2-7b4d-4c1a-9e8f-2d3c4b5a6f70';
const claimKey = { pk: `IDEMPOTENCY#${GP_USER_ID}#${IDEMPOTENCY_KEY}`, sk: 'IDEMPOTENCY' };
const NINETY_DAYS_ON = NOW.getTime() / 1000 + 90 * 86_400;

describe('POST /api/referrals (create-referral)', () => {
  it('stores the person\'s details, then the referral, each with one conditional PutItem, queues it, plans its clock warnings, and answers 202 with id, reference, status and statusUrl', async () => {
    const response = await submit();

    expect(response.statusCode).toBe(202);
    const { id, reference, status, statusUrl } = response.json;
    expect(reference).toMatch(/^EDT-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(status).toBe('received');
    expect(statusUrl).toBe(`/api/referrals/${String(id)}`);
    expect(response.headers?.location).toBe(statusUrl);

    const [details, stored, ...others] = putsOf('REFERRAL#');
    expect(others).toEqual([]);
    expect(details).toMatchObject({
      TableName: TABLES.referrals,
      ConditionExpression: 'attribute_not_exists(pk)',
      // Removed by the table's TTL 90 days after receipt unless closing sets an earlier time.
      Item: { pk: `REFERRAL#${String(id)}`, sk: 'DETAILS', details: storedDetails(), expiresAt: NINETY_DAYS_ON },
    });
    expect(stored).toMatchObject({
      TableName: TABLES.referrals,
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: {
        pk: `REFERRAL#${String(id)}`,
        sk: 'REFERRAL',
        id,
        reference,
        status: 'received',
        createdBy: GP_USER_ID,
        createdAt: NOW.toISOString(),
        district: 'LS1',
        urgency: 'immediate',
        legal: { status: 's136', detentionStart: '2026-11-25T00:30:00.000Z' },
        referrer: { kind: 'gp', organisation: expect.any(String) },
        detailsExpireAt: new Date(NINETY_DAYS_ON * 1000).toISOString(),
        outbox: expect.objectContaining({ 'e000001-000': { kind: 'queue-referral' } }),
        version: 1,
      },
    });
    // The referral item names nobody: the retention policy can remove the details and keep it.
    expect(stored?.Item).not.toHaveProperty('submission');
    for (const identifier of [...subjectIdentifiers, 'Gill Price', 'self-neglect', 'LS1 4AP', REFERRER_PHONE]) expect(JSON.stringify(stored?.Item)).not.toContain(identifier);
    // Queued for routing first: it is what the referrer waits on (shared/app/outbox.ts).
    const warnings = sentMessages().slice(1);
    expect(sentMessages()[0]).toEqual({ QueueUrl: QUEUES.referrals, MessageBody: JSON.stringify({ referralId: id }) });
    // The s136 clock (detained 00:30, expires 00:30 tomorrow) gets its T−6 h, T−2 h, T−1 h and expiry warnings planned,
    // and the 3-hour assessment-start standard its overrun timer (shared/domain/overruns.ts).
    expect(warnings.map((m) => [m.QueueUrl, JSON.parse(m.MessageBody ?? '{}').dueAt])).toEqual([
      [QUEUES.escalationTimers, '2026-11-25T18:30:00.000Z'],
      [QUEUES.escalationTimers, '2026-11-25T22:30:00.000Z'],
      [QUEUES.escalationTimers, '2026-11-25T23:30:00.000Z'],
      [QUEUES.escalationTimers, '2026-11-26T00:30:00.000Z'],
      [QUEUES.escalationTimers, '2026-11-25T03:30:00.000Z'],
    ]);
    expect(sns.calls()).toHaveLength(0);
    // Queueing and timers may safely happen twice, so they go without a claim: no EFFECTCLAIM item.
    expect(putsOf('EFFECTCLAIM#')).toEqual([]);
  });

  it('logs the referral id but nothing the referrer said about the person', async () => {
    await submit();
    expect(leeds.recorded.lines.length).toBeGreaterThan(0);
    for (const identifier of subjectIdentifiers) expect(leeds.recorded.text()).not.toContain(identifier);
  });

  it('refuses a bad NHS number with 400 naming subject.nhsNumber, and calls neither DynamoDB nor SQS', async () => {
    const body = httpBody('http-create-referral');
    const response = await submit({
      body: { ...body, subject: { ...(body.subject as object), nhsNumber: '943 476 5918' } },
    });

    expect(response.statusCode).toBe(400);
    expect(response.json).toMatchObject({ error: 'validation_failed', issues: [{ path: 'subject.nhsNumber' }] });
    expect(response.body).not.toContain('943 476 5918');
    expect(dynamo.calls()).toHaveLength(0);
    expect(sqs.calls()).toHaveLength(0);
  });

  it('answers 401 when the request carries no JWT claims', async () => {
    const response = await submit({ anonymous: true });
    expect(response.statusCode).toBe(401);
    expect(response.json.error).toBe('unauthorised');
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('answers 403 to a signed-in caller who is not in the referrer group', async () => {
    const response = await submit({ claims: { 'cognito:groups': '[amhp]', 'custom:staffId': 'amhp-asha' } });
    expect(response.statusCode).toBe(403);
    expect(response.json.error).toBe('forbidden');
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('answers 415 to a body that is not application/json', async () => {
    const response = await submit({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'urgency=immediate' });
    expect(response.statusCode).toBe(415);
    expect(response.json.error).toBe('unsupported_media_type');
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('answers 400 invalid_json to a body that does not parse', async () => {
    const response = await submit({ body: '{"referrer": {"name": "Dr Gill Price",' });
    expect(response.statusCode).toBe(400);
    expect(response.json.error).toBe('invalid_json');
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('answers 413 to a body larger than the limit, before reading it', async () => {
    const response = await submit({ body: { ...httpBody('http-create-referral'), reason: 'x'.repeat(MAX_BODY_BYTES) } });
    expect(response.statusCode).toBe(413);
    expect(response.json.error).toBe('body_too_large');
    expect(dynamo.calls()).toHaveLength(0);
  });

  describe('with an Idempotency-Key', () => {
    it('claims the key with a conditional PutItem before storing the referral', async () => {
      const response = await submit({ headers: { 'idempotency-key': IDEMPOTENCY_KEY } });
      expect(response.statusCode).toBe(202);
      expect(putsOf('IDEMPOTENCY#')).toEqual([
        {
          TableName: TABLES.referrals,
          // Remembered for a week (epoch seconds, the table's TTL); an expired claim may be taken again.
          Item: { ...claimKey, referralId: response.json.id, fingerprint: fingerprint(httpBody('http-create-referral')), expiresAt: NOW.getTime() / 1000 + 7 * 86_400 },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': NOW.getTime() / 1000 },
        },
      ]);
    });

    it('answers a replay with the earlier referral, and stores and queues nothing new', async () => {
      const earlier = receivedReferral();
      dynamo.on(PutCommand, { Item: claimKey }).rejects(claimFailed());
      dynamo
        .on(GetCommand, { TableName: TABLES.referrals, Key: claimKey })
        .resolves({ Item: { ...claimKey, referralId: earlier.id, fingerprint: fingerprint(httpBody('http-create-referral')) } });
      storedAt(TABLES.referrals, referralItem(earlier));

      const response = await submit({ headers: { 'idempotency-key': IDEMPOTENCY_KEY } });

      expect(response.statusCode).toBe(202);
      expect(response.json).toEqual({
        id: earlier.id,
        reference: REFERENCE,
        status: 'received',
        statusUrl: `/api/referrals/${earlier.id}`,
      });
      expect(response.headers?.['idempotent-replayed']).toBe('true');
      expect(stateWrites()).toEqual([]);
      expect(sentMessages()).toEqual([]);
    });

    it("finishes the earlier request's pending queue-referral effect on a replay", async () => {
      const earlier = receivedReferral({ outbox: { e000000: { kind: 'queue-referral' } }, version: 1 });
      dynamo.on(PutCommand, { Item: claimKey }).rejects(claimFailed());
      dynamo
        .on(GetCommand, { TableName: TABLES.referrals, Key: claimKey })
        .resolves({ Item: { ...claimKey, referralId: earlier.id, fingerprint: fingerprint(httpBody('http-create-referral')) } });
      storedAt(TABLES.referrals, referralItem(earlier));

      const response = await submit({ headers: { 'idempotency-key': IDEMPOTENCY_KEY } });

      expect(response.statusCode).toBe(202);
      expect(sentMessages()).toEqual([{ QueueUrl: QUEUES.referrals, MessageBody: JSON.stringify({ referralId: earlier.id }) }]);
      expect(completedEffects()).toEqual(['e000000']);
    });

    it('answers 422 when the key was used before with a different body', async () => {
      dynamo.on(PutCommand, { Item: claimKey }).rejects(claimFailed());
      dynamo
        .on(GetCommand, { TableName: TABLES.referrals, Key: claimKey })
        .resolves({ Item: { ...claimKey, referralId: receivedReferral().id, fingerprint: fingerprint({ urgency: 'within_24_hours' }) } });

      const response = await submit({ headers: { 'idempotency-key': IDEMPOTENCY_KEY } });

      expect(response.statusCode).toBe(422);
      expect(response.json.error).toBe('idempotency_key_reused');
      expect(stateWrites()).toEqual([]);
      expect(sentMessages()).toEqual([]);
    });

    it('refuses a key that is not printable ASCII with 400 naming the header', async () => {
      const response = await submit({ headers: { 'idempotency-key': 'two words' } });
      expect(response.statusCode).toBe(400);
      expect(response.json).toMatchObject({ issues: [{ path: 'headers.idempotency-key' }] });
      expect(dynamo.calls()).toHaveLength(0);
    });
  });

  describe('when SQS fails after the referral was stored', () => {
    beforeEach(() => {
      sqs.on(SendMessageCommand).rejects(new RequestThrottled({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }));
    });

    it('still answers 202, because the referral is durable once stored', async () => {
      const response = await submit();
      expect(response.statusCode).toBe(202);
      expect(response.json.reference).toMatch(/^EDT-/);
    });

    it('leaves the queue-referral effect pending in the stored outbox, and still carries out the others', async () => {
      await submit();
      expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(1);
      const [, stored] = putsOf('REFERRAL#');
      expect(stored?.Item?.outbox).toMatchObject({ 'e000001-000': { kind: 'queue-referral' } });
      // One failing effect does not stop the rest of its write (the clock timers): only it stays pending.
      const others = Object.keys(stored?.Item?.outbox ?? {}).filter((effectId) => effectId !== 'e000001-000');
      expect(completedEffects()).not.toContain('e000001-000');
      expect(completedEffects().sort()).toEqual(others.sort());
    });

    it('logs the failure with the referral id and no personal data', async () => {
      const response = await submit();
      const warning = leeds.recorded.lines.find((line) => line.level === 'warn');
      expect(warning?.extra).toMatchObject({ referralId: response.json.id });
      for (const identifier of subjectIdentifiers) expect(leeds.recorded.text()).not.toContain(identifier);
    });
  });
});
