import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  RequestThrottled,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FunctionName } from '../../infra/definition.ts';
import { LOCAL_SERVICE_NUMBER, startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { demoReferrers, demoStaff } from '../../infra/local/seed.ts';
import type { Invoke } from '../../infra/local/queue-poller.ts';
import type { SmsSender } from '../../shared/ports.ts';
import { localToken } from '../support/local-api.ts';

/**
 * Faults on the emulators (dynalite, fauxqs), through the real SDK clients and handlers: what
 * the emulators cannot do themselves (fail a SendMessage, throttle DynamoDB, lose the SMS
 * provider, crash a function mid-batch) is injected at the client or the function. Whatever
 * fails, every referral that got a 202 is paged, once.
 *
 * Timings are shortened for the test, not in the definition: a received message is hidden for
 * 1 s (not 180 s), the reconciler runs every half second and finishes outboxes pending for 2 s
 * (not every minute, after 60 s).
 */

const [gp] = demoReferrers;
const VISIBILITY_SECONDS = 1;
const SETTLE_SECONDS = 2;
/** Long enough for a redelivery and a reconciler run: anything more than "once" would show by then. */
const QUIET_MS = (Math.max(VISIBILITY_SECONDS, SETTLE_SECONDS) + 1.5) * 1000;

let runtime: LocalRuntime;
const logLines: string[] = [];
const record = (level: string) => (message: string, extra?: Record<string, unknown>) =>
  logLines.push(JSON.stringify({ level, message, ...extra }));

/** Which function the current code runs inside, so that a fault can hit one function only. */
const invocation = new AsyncLocalStorage<FunctionName>();
/** Faults the tests switch on; each counts down as it fires. */
const faults = {
  /** SendMessage calls to the referrals queue that fail. */
  referralQueueSendFailures: 0,
  /** SendMessage calls to the referrals queue that are delivered twice. */
  referralQueueDuplicates: 0,
  /** GetItem calls on a referral, made by the router, that DynamoDB throttles. */
  routerThrottles: 0,
  /** SMS to these numbers fail, as the provider does when it throttles or is down. */
  smsFailures: new Map<string, number>(),
  /** The router's next batch of at least two records is half processed, then the function dies. */
  crashMidBatch: false,
  /** Holds the router back until released, so that messages pile up into one batch. */
  routerGate: null as Promise<void> | null,
};
let crashedBatchSize = 0;

class ProviderThrottled extends Error {
  override name = 'ThrottlingException';
}

function routerWithFaults(invoke: Invoke<SQSEvent, unknown>): Invoke<SQSEvent, unknown> {
  return async (event, context) => {
    if (faults.routerGate) await faults.routerGate;
    if (faults.crashMidBatch && event.Records.length >= 2) {
      faults.crashMidBatch = false;
      crashedBatchSize = event.Records.length;
      await invoke({ Records: event.Records.slice(0, Math.floor(event.Records.length / 2)) }, context);
      throw new Error('the function died half-way through its batch');
    }
    return invoke(event, context);
  };
}

beforeAll(async () => {
  runtime = await startLocalRuntime({
    port: 0,
    seed: true,
    log: { info: record('INFO'), warn: record('WARN'), error: record('ERROR') },
    timing: { visibilityTimeoutSeconds: VISIBILITY_SECONDS, scheduleIntervalMs: 500, settleSeconds: SETTLE_SECONDS },
    wrapFunction: (name, invoke) => {
      const faulty = name === 'router' ? (routerWithFaults(invoke as Invoke<SQSEvent, unknown>) as Invoke<unknown, unknown>) : invoke;
      return (event, context) => invocation.run(name, () => faulty(event, context));
    },
    wrapSms: (outbox): SmsSender => ({
      async send(to, text) {
        const left = faults.smsFailures.get(to) ?? 0;
        if (left > 0) {
          faults.smsFailures.set(to, left - 1);
          throw new ProviderThrottled('rate exceeded');
        }
        return outbox.send(to, text);
      },
    }),
  });

  // Faults at the SDK clients: every client of the process passes here; only the targeted calls fail.
  const sqsSend = SQSClient.prototype.send;
  vi.spyOn(SQSClient.prototype, 'send').mockImplementation(function (this: SQSClient, ...args: unknown[]) {
    const [command] = args;
    if (command instanceof SendMessageCommand && command.input.QueueUrl === runtime.resources.queueUrls.referrals) {
      if (faults.referralQueueSendFailures > 0) {
        faults.referralQueueSendFailures--;
        return Promise.reject(new RequestThrottled({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }));
      }
      if (faults.referralQueueDuplicates > 0) {
        faults.referralQueueDuplicates--;
        return Promise.all([sqsSend.apply(this, args as never), sqsSend.apply(this, args as never)]).then(([first]) => first);
      }
    }
    return sqsSend.apply(this, args as never);
  } as never);
  const dynamoSend = DynamoDBDocumentClient.prototype.send;
  vi.spyOn(DynamoDBDocumentClient.prototype, 'send').mockImplementation(function (this: DynamoDBDocumentClient, ...args: unknown[]) {
    const [command] = args;
    if (faults.routerThrottles > 0 && invocation.getStore() === 'router' && command instanceof GetCommand && command.input.Key?.sk === 'REFERRAL') {
      faults.routerThrottles--;
      // As DynamoDB answers once the SDK's own retries are spent.
      return Promise.reject(
        new ProvisionedThroughputExceededException({ message: 'The level of configured provisioned throughput for the table was exceeded', $metadata: { httpStatusCode: 400 } }),
      );
    }
    return dynamoSend.apply(this, args as never);
  } as never);
});

afterEach(() => {
  faults.referralQueueSendFailures = 0;
  faults.referralQueueDuplicates = 0;
  faults.routerThrottles = 0;
  faults.smsFailures.clear();
  faults.crashMidBatch = false;
  faults.routerGate = null;
});

afterAll(async () => {
  vi.restoreAllMocks();
  await runtime?.stop();
});

// --- helpers ---------------------------------------------------------------------------------

const login = (username: string): Promise<string> => localToken(runtime.url, username);

async function api(method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${runtime.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

const referralBody = () => ({
  referrer: { name: 'Dr Gill Price', kind: 'gp', organisation: 'Leeds Central Surgery', phone: gp.phone },
  subject: {
    givenName: 'Zebedee',
    familyName: 'Quartermaine',
    dateOfBirth: '1987-03-14',
    nhsNumber: '943 476 5919',
    currentLocation: { kind: 'home', postcode: 'LS1 4AP' },
  },
  legal: { status: 'none' },
  reason: 'Stopped eating; hearing voices since Tuesday',
  risks: ['self-neglect'],
  urgency: 'immediate',
});

async function submit(headers: Record<string, string> = {}): Promise<{ id: string; reference: string }> {
  const response = await api('POST', '/api/referrals', await login('gp'), referralBody(), headers);
  expect(response.status).toBe(202);
  return { id: String(response.body.id), reference: String(response.body.reference) };
}

/** Outbound SMS to a phone about a referral. */
const smsAbout = (phone: string, reference: string) =>
  runtime.outbox.list(phone).filter((sms) => sms.direction === 'outbound' && sms.body.includes(reference));

const waitForSms = (phone: string, reference: string, timeoutMs = 10_000) =>
  runtime.outbox.waitFor((sms) => sms.direction === 'outbound' && sms.phone === phone && sms.body.includes(reference), timeoutMs);

const quiet = () => new Promise((resolve) => setTimeout(resolve, QUIET_MS));

async function stored(id: string) {
  const referral = await runtime.deps.referrals.get(id);
  if (!referral) throw new Error(`referral ${id} is not stored`);
  return referral;
}

const timelineTypes = async (id: string) => (await stored(id)).timeline.map((entry) => entry.type);
const count = (items: string[], item: string) => items.filter((x) => x === item).length;

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

type DemoStaff = (typeof demoStaff)[number];

/**
 * Who holds page `pageSeq` of a referral, once it is paged. Not always Asha (primary): an AMHP
 * who accepted a referral in an earlier test is busy, and the chain starts with the next.
 */
async function pagedFor(id: string, pageSeq = 1): Promise<DemoStaff> {
  const staffId = await until(`page ${pageSeq} of ${id}`, async () =>
    (await stored(id)).escalation?.pages.find((page) => page.pageSeq === pageSeq)?.staffId,
  );
  const staff = demoStaff.find((member) => member.id === staffId);
  if (!staff) throw new Error(`${staffId} is not demo staff`);
  return staff;
}

/** Submits a referral and waits until the first person in its chain has the page. */
async function pagedReferral() {
  const referral = await submit();
  const amhp = await pagedFor(referral.id);
  await waitForSms(amhp.phone, referral.reference);
  return { ...referral, amhp };
}

function inboundSms(from: string, body: string, inboundMessageId: string) {
  return JSON.stringify({
    originationNumber: from,
    destinationNumber: LOCAL_SERVICE_NUMBER,
    messageKeyword: 'KEYWORD_LOCAL',
    messageBody: body,
    inboundMessageId,
  });
}

// --- the tests -------------------------------------------------------------------------------

describe('nothing lost: the reconciler', () => {
  it('queues a referral whose SendMessage failed after it was stored: the POST still answers 202 and the AMHP is paged once', async () => {
    faults.referralQueueSendFailures = 1;
    const { id, reference } = await submit();
    expect(faults.referralQueueSendFailures).toBe(0);

    // Stored, with its queueing still owed and the referral in the pending index.
    const right = await stored(id);
    expect(right.status).toBe('received');
    expect(Object.values(right.outbox).map((effect) => effect.kind)).toContain('queue-referral');
    expect(await runtime.deps.referrals.withPendingEffects(new Date(Date.now() + 60_000), 100)).toContain(id);

    const amhp = await pagedFor(id, 1);
    await waitForSms(amhp.phone, reference, 15_000);
    expect(logLines.some((line) => line.includes('pending effects finished') && line.includes(id))).toBe(true);
    await quiet();
    expect(smsAbout(amhp.phone, reference)).toHaveLength(1);
    expect(count(await timelineTypes(id), 'routed')).toBe(1);
    // Finished: out of the pending index.
    await until('the outbox to empty', async () => (Object.keys((await stored(id)).outbox).length === 0 ? true : undefined));
    expect(await runtime.deps.referrals.withPendingEffects(new Date(Date.now() + 60_000), 100)).not.toContain(id);
  });
});

describe('faults while routing and paging', () => {
  it('retries routing that DynamoDB throttles (ProvisionedThroughputExceededException) and pages once', async () => {
    faults.routerThrottles = 2;
    const { id, reference } = await submit();
    const amhp = await pagedFor(id);
    await waitForSms(amhp.phone, reference, 15_000);
    expect(faults.routerThrottles).toBe(0);
    expect(logLines.some((line) => line.includes('ProvisionedThroughputExceededException'))).toBe(true);
    await quiet();
    expect(smsAbout(amhp.phone, reference)).toHaveLength(1);
    expect(count(await timelineTypes(id), 'routed')).toBe(1);
    expect(count(await timelineTypes(id), 'paged')).toBe(1);
  });

  it('retries a page SMS the provider throttles, and pages once when it recovers', async () => {
    for (const staff of demoStaff) faults.smsFailures.set(staff.phone, 2);
    const { id, reference } = await submit();
    const amhp = await pagedFor(id);
    await waitForSms(amhp.phone, reference);
    expect(faults.smsFailures.get(amhp.phone)).toBe(0);
    await quiet();
    expect(smsAbout(amhp.phone, reference)).toHaveLength(1);
    for (const other of demoStaff.filter((staff) => staff !== amhp)) expect(smsAbout(other.phone, reference)).toHaveLength(0);
    expect(count(await timelineTypes(id), 'paged')).toBe(1);
  });

  it('pages every referral of a batch exactly once when the router dies half-way through it', async () => {
    let release = () => undefined as void;
    faults.routerGate = new Promise<void>((resolve) => (release = resolve));
    faults.crashMidBatch = true;
    const referrals = await Promise.all(Array.from({ length: 6 }, () => submit()));
    // Let the pollers, held with a message each, go: the rest arrive as one batch.
    faults.routerGate = null;
    release();

    const paged = await Promise.all(referrals.map(async (referral) => ({ ...referral, amhp: await pagedFor(referral.id) })));
    for (const { reference, amhp } of paged) await waitForSms(amhp.phone, reference, 20_000);
    expect(crashedBatchSize).toBeGreaterThanOrEqual(2);
    await quiet();
    for (const { id, reference, amhp } of paged) {
      expect(smsAbout(amhp.phone, reference), reference).toHaveLength(1);
      expect(count(await timelineTypes(id), 'routed'), reference).toBe(1);
    }
  });

  it('moves a poison message to the dead-letter queue after maxReceiveCount receives, and routes the others', async () => {
    const poison = `not json ${randomUUID()}`;
    await runtime.sqs.send(new SendMessageCommand({ QueueUrl: runtime.resources.queueUrls.referrals, MessageBody: poison }));
    await pagedReferral();

    const deadLetters = runtime.resources.deadLetterQueueUrls.referrals;
    await until(
      'the poison message in the dead-letter queue',
      async () => {
        const { Attributes } = await runtime.sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: deadLetters, AttributeNames: ['ApproximateNumberOfMessages'] }),
        );
        return Number(Attributes?.ApproximateNumberOfMessages ?? 0) > 0 ? true : undefined;
      },
      25_000,
    );
    const { Messages = [] } = await runtime.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: deadLetters, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }),
    );
    const dead = Messages.find((message) => message.Body === poison);
    expect(dead).toBeDefined();
    // SQS counts the receives; fauxqs moves it on the receive after the fifth.
    expect(Number(dead?.Attributes?.ApproximateReceiveCount)).toBeGreaterThanOrEqual(5);
  }, 40_000);
});

describe('duplicate delivery at every step', () => {
  it('the same submission twice at once (one Idempotency-Key): one referral, one page', async () => {
    const key = `faults-${randomUUID()}`;
    const [first, second] = await Promise.all([submit({ 'idempotency-key': key }), submit({ 'idempotency-key': key })]);
    expect(second.id).toBe(first.id);
    const amhp = await pagedFor(first.id);
    await waitForSms(amhp.phone, first.reference);
    await quiet();
    expect(smsAbout(amhp.phone, first.reference)).toHaveLength(1);
  });

  it('the same referral message twice, at once and again after routing: routed once, paged once', async () => {
    faults.referralQueueDuplicates = 1;
    const { id, reference, amhp } = await pagedReferral();
    await runtime.sqs.send(
      new SendMessageCommand({ QueueUrl: runtime.resources.queueUrls.referrals, MessageBody: JSON.stringify({ referralId: id }) }),
    );
    await quiet();
    expect(smsAbout(amhp.phone, reference)).toHaveLength(1);
    expect(count(await timelineTypes(id), 'routed')).toBe(1);
  });

  it('the same acknowledgement timer twice, at once: one escalation, one page to the next step', async () => {
    const { id, reference } = await pagedReferral();
    const timer = JSON.stringify({ referralId: id, pageSeq: 1, dueAt: new Date().toISOString() });
    await runtime.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: runtime.resources.queueUrls.escalationTimers,
        Entries: [
          { Id: 'first', MessageBody: timer },
          { Id: 'again', MessageBody: timer },
        ],
      }),
    );
    const next = await pagedFor(id, 2);
    await waitForSms(next.phone, reference);
    await quiet();
    expect(smsAbout(next.phone, reference)).toHaveLength(1);
    const types = await timelineTypes(id);
    expect(count(types, 'ack_timeout')).toBe(1);
    expect(count(types, 'paged')).toBe(2);
  });
});

/** Last: an AMHP who accepts is busy from then on, and later chains start after them. */
describe('answers, duplicated or delayed', () => {
  it('tells the referrer of an accept exactly once when the provider was down as the AMHP accepted', async () => {
    const { id, reference, amhp } = await pagedReferral();
    // Down for longer than the sender's own retries: the accept is stored, the SMS to the referrer owed.
    faults.smsFailures.set(gp.phone, 4);
    const accept = await fetch(`${runtime.url}/local/sms/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // The AMHP holds pages from the other tests too: the reply names this one.
      body: JSON.stringify({ from: amhp.phone, body: `1 ${reference}` }),
    });
    expect(accept.status).toBe(202);
    await waitForSms(gp.phone, reference, 20_000);
    expect(faults.smsFailures.get(gp.phone)).toBe(0);
    await quiet();
    expect(smsAbout(gp.phone, reference)).toHaveLength(1);
    const referral = await stored(id);
    expect(referral.status).toBe('accepted');
    expect(count(referral.timeline.map((entry) => entry.type), 'accepted')).toBe(1);
  });

  it('the same inbound SMS twice, at once: one accept, the referrer told once, no "already handled"', async () => {
    const { id, reference, amhp } = await pagedReferral();
    const sns = new SNSClient({
      region: 'eu-west-2',
      endpoint: runtime.emulators.messagingEndpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const reply = inboundSms(amhp.phone, `1 ${reference}`, randomUUID());
    await Promise.all(
      [1, 2].map(() => sns.send(new PublishCommand({ TopicArn: runtime.resources.topicArns.inboundSms, Message: reply }))),
    );
    sns.destroy();
    await waitForSms(gp.phone, reference);
    await quiet();
    expect(smsAbout(gp.phone, reference)).toHaveLength(1);
    // The page and one confirmation of the accept.
    expect(smsAbout(amhp.phone, reference)).toHaveLength(2);
    const referral = await stored(id);
    expect(referral.assignedTo).toBe(amhp.id);
    expect(count(referral.timeline.map((entry) => entry.type), 'accepted')).toBe(1);
  });

  it('the same decline by SMS delivered again later: one decline, the next step paged once, nothing more to the decliner', async () => {
    const { id, reference, amhp } = await pagedReferral();
    const sns = new SNSClient({
      region: 'eu-west-2',
      endpoint: runtime.emulators.messagingEndpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const reply = inboundSms(amhp.phone, `2 ${reference} at another assessment`, randomUUID());
    const publish = () => sns.send(new PublishCommand({ TopicArn: runtime.resources.topicArns.inboundSms, Message: reply }));
    await publish();
    const next = await pagedFor(id, 2);
    await waitForSms(next.phone, reference);
    await publish();
    await quiet();
    sns.destroy();
    // The page and one confirmation of the decline: no "already handled" for the repeat.
    expect(smsAbout(amhp.phone, reference)).toHaveLength(2);
    expect(smsAbout(next.phone, reference)).toHaveLength(1);
    expect(count(await timelineTypes(id), 'declined')).toBe(1);
  });

  it('the same accept twice, at once, by the API: one state change, the referrer told once', async () => {
    const { id, reference, amhp } = await pagedReferral();
    const token = await login(amhp.id);
    const answers = await Promise.all([1, 2].map(() => api('POST', `/api/referrals/${id}/accept`, token)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    await waitForSms(gp.phone, reference);
    await quiet();
    expect(smsAbout(gp.phone, reference)).toHaveLength(1);
    expect(count(await timelineTypes(id), 'accepted')).toBe(1);
  });
});

describe('what the faults left in the logs', () => {
  it('names errors and ids, never the person', () => {
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) for (const identifier of ['Zebedee', 'Quartermaine', '1987-03-14', '9434765919']) expect(line).not.toContain(identifier);
  });
});
