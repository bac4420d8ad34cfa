import type { ConnectContactFlowEvent, ConnectContactFlowResult, ScheduledEvent, SNSEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { NOW } from '../support/dependencies.ts';
import { REFERRAL_ID, REFERENCE, asha, ben } from '../support/dataset.ts';
import { lambdaContext, loadEvent } from '../support/events.ts';
import { fuzzWorld, loadFunction, oddString, otherAmhp, RECEIVED_ID, RUNS, SLOW_CASE_MS } from './harness.ts';

/**
 * Every event handler takes RUNS arbitrary events, each handled within SLOW_CASE_MS: SQS records for the router and the escalator,
 * SNS notifications of inbound SMS, Amazon Connect contact-flow events and scheduled events. None
 * throws (a throw would have the platform retry the whole batch); a record that cannot be
 * understood touches nothing and is either dropped or reported failed (SQS then moves it to the
 * dead-letter queue after its retries, and its alarm tells the operators).
 */
const world = fuzzWorld();
const report: Record<string, { cases: number; ms: number; outcomes: Record<string, number> }> = {};

afterAll(() => {
  console.table(Object.fromEntries(Object.entries(report).map(([name, r]) => [name, { cases: r.cases, ms: Math.round(r.ms), outcomes: JSON.stringify(r.outcomes) }])));
});

async function fuzz<T>(name: string, arbitrary: fc.Arbitrary<T>, check: (input: T) => Promise<string>) {
  const outcomes: Record<string, number> = {};
  const started = performance.now();
  let warm = false;
  await fc.assert(
    fc.asyncProperty(arbitrary, async (input) => {
      world.aws.reset();
      const began = performance.now();
      const outcome = await check(input);
      // The first case also pays for the handler's lazy start, which is not what this is about.
      if (warm && performance.now() - began > SLOW_CASE_MS) throw new Error(`took ${Math.round(performance.now() - began)} ms`);
      warm = true;
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }),
    { numRuns: RUNS },
  );
  report[name] = { cases: RUNS, ms: performance.now() - started, outcomes };
}

const json = fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value));
const isoInstant = fc.oneof(
  fc.date({ min: new Date('2026-01-01'), max: new Date('2027-12-31'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom(NOW.toISOString(), '2026-11-25T02:00:00Z', 'not a date', '9999-12-31T23:59:59.999Z'),
);
const someId = fc.oneof(oddString, fc.constantFrom(REFERRAL_ID, RECEIVED_ID));

/** One SQS event of 1 to 10 records with distinct message ids. */
const sqsEvent = (bodies: fc.Arbitrary<string>) =>
  fc.array(bodies, { minLength: 1, maxLength: 10 }).map(
    (records): SQSEvent => ({
      Records: records.map((body, i) => ({
        messageId: `fuzz-${i}`,
        receiptHandle: `receipt-${i}`,
        body,
        attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(NOW.getTime()), SenderId: 'fuzz', ApproximateFirstReceiveTimestamp: String(NOW.getTime()) },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:eu-west-2:123456789012:fuzz',
        awsRegion: 'eu-west-2',
      })),
    }),
  );

/**
 * Failed records are records of the batch; a record that is not even JSON is failed; a batch whose
 * every record failed wrote nothing; and with `mayWrite`, nothing is written unless a record allows it.
 */
function checkBatch(event: SQSEvent, response: SQSBatchResponse, mayWrite?: (body: unknown) => boolean): string {
  const ids = new Set(event.Records.map((r) => r.messageId));
  const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
  for (const id of failed) if (!ids.has(id)) throw new Error(`reported a failure for ${id}, which is not in the batch`);
  const bodies = event.Records.map((record) => {
    try {
      return JSON.parse(record.body) as unknown;
    } catch {
      if (!failed.has(record.messageId)) throw new Error(`a record that is not JSON (${record.body.slice(0, 80)}) was not reported failed`);
      return undefined;
    }
  });
  const writes = world.aws.totalWrites();
  if (writes > 0 && failed.size === event.Records.length) throw new Error(`every record failed, yet ${writes} write(s): ${world.aws.commands.join(', ')}`);
  if (writes > 0 && mayWrite && !bodies.some(mayWrite)) throw new Error(`wrote for records naming no stored referral: ${world.aws.commands.join(', ')}`);
  return failed.size === 0 ? 'all done' : failed.size === event.Records.length ? 'all failed' : 'some failed';
}

const heldReferral = (body: unknown) =>
  typeof body === 'object' && body !== null && 'referralId' in body && (body.referralId === REFERRAL_ID || body.referralId === RECEIVED_ID);

describe('fuzzing the event handlers', () => {
  it(`the router takes ${RUNS} arbitrary SQS batches without throwing, fails only malformed records, and writes only for stored referrals`, async () => {
    const router = await loadFunction<SQSEvent, SQSBatchResponse>('router', world.deps);
    const body = fc.oneof(json, oddString, fc.record({ referralId: someId }).map((b) => JSON.stringify(b)));
    await fuzz('router', sqsEvent(body), async (event) => checkBatch(event, await router(event, lambdaContext('router')), heldReferral));
    expect(report.router?.cases).toBe(RUNS);
  }, 120_000);

  it(`the escalator takes ${RUNS} arbitrary SQS batches without throwing, fails only malformed records, and acts only on well-formed timers`, async () => {
    const escalator = await loadFunction<SQSEvent, SQSBatchResponse>('escalator', world.deps);
    const ackTimer = fc.record(
      { kind: fc.constantFrom('ack', undefined, 'other'), referralId: someId, pageSeq: fc.oneof(fc.integer({ min: -2, max: 5 }), fc.double()), dueAt: isoInstant, reason: fc.constantFrom('no-answer', 'page-failed', 'x') },
      { requiredKeys: ['referralId', 'pageSeq', 'dueAt'] },
    );
    const clockWarning = fc.record({
      kind: fc.constant('clock-warning'),
      referralId: someId,
      clockKind: fc.constantFrom('s136', 's135', 's5_2', 's5_4', 'x'),
      hoursBefore: fc.integer({ min: -1, max: 80 }),
      expiresAt: isoInstant,
      dueAt: isoInstant,
    });
    const body = fc.oneof(json, oddString, ackTimer.map((b) => JSON.stringify(b)), clockWarning.map((b) => JSON.stringify(b)));
    // Any well-formed timer may write: one that comes early is sent on again, whatever it names.
    await fuzz('escalator', sqsEvent(body), async (event) => checkBatch(event, await escalator(event, lambdaContext('escalator'))));
    expect(report.escalator?.cases).toBe(RUNS);
  }, 120_000);

  it(`inbound SMS takes ${RUNS} arbitrary notifications without throwing, and writes or replies only to staff`, async () => {
    const inbound = await loadFunction<SNSEvent, void>('inboundSms', world.deps);
    const sample = loadEvent<SNSEvent>('sns-inbound-sms');
    const staffPhones = [asha.phone, ben.phone, otherAmhp.phone, '07700 900101'];
    const message = fc.record(
      {
        originationNumber: fc.oneof(fc.constantFrom(...staffPhones), oddString),
        messageBody: fc.oneof(fc.constantFrom('1', '2', 'ACCEPT', `ACCEPT ${REFERENCE.slice(4, 8)}`, '2 CONFLICT', 'DECLINE busy', 'STOP', 'START', 'HELP', ''), oddString),
        destinationNumber: fc.option(oddString, { nil: undefined }),
        inboundMessageId: fc.option(fc.oneof(fc.uuid(), oddString), { nil: undefined }),
      },
      { requiredKeys: [] },
    );
    const notification = fc.oneof(json, oddString, message.map((m) => JSON.stringify(m)));
    const event = fc.array(notification, { minLength: 1, maxLength: 3 }).map((messages): SNSEvent => ({
      Records: messages.map((Message, i) => ({ ...structuredClone(sample.Records[0]!), Sns: { ...sample.Records[0]!.Sns, MessageId: `fuzz-${i}`, Message } })),
    }));
    await fuzz('inboundSms', event, async (input) => {
      await inbound(input, lambdaContext('inboundSms'));
      const fromStaff = input.Records.some((r) => staffPhones.some((phone) => r.Sns.Message.includes(phone)));
      if (!fromStaff && world.aws.totalWrites() > 0) throw new Error(`wrote for a notification from no staff phone: ${world.aws.commands.join(', ')}`);
      return world.aws.totalWrites() > 0 ? 'acted' : 'dropped';
    });
    expect(report.inboundSms?.cases).toBe(RUNS);
  }, 120_000);

  it(`the Connect contact flow takes ${RUNS} arbitrary events, always answers accepted, invalid or error, and writes only when accepted`, async () => {
    const connect = await loadFunction<ConnectContactFlowEvent, ConnectContactFlowResult>('connectIntake', world.deps);
    const sample = loadEvent<ConnectContactFlowEvent>('connect-contact-flow');
    const parameters = fc.record(
      {
        postcode: fc.oneof(fc.constantFrom('LS1 4AP', 'BD1 1AA', 'ls14ap'), oddString),
        legalStatus: fc.oneof(fc.constantFrom('s136', 's135_1', 's5_2', 'none', 'other'), oddString),
        detentionStartTime: fc.oneof(fc.constantFrom('0030', '2359', '2400', '9999'), oddString),
        urgency: fc.oneof(fc.constantFrom('immediate', 'within_4_hours', 'within_24_hours'), oddString),
        callbackPhone: fc.oneof(fc.constantFrom('07700 900123', '+447700900123'), oddString),
      },
      { requiredKeys: [] },
    );
    const event = fc.oneof(
      { weight: 4, arbitrary: fc.tuple(parameters, fc.option(oddString, { nil: undefined }), fc.uuid()).map(([Parameters, address, contactId]) => {
        const copy = structuredClone(sample) as ConnectContactFlowEvent & { Details: { Parameters: Record<string, string | undefined> } };
        copy.Details.Parameters = Parameters as Record<string, string>;
        copy.Details.ContactData.ContactId = contactId;
        if (address !== undefined && copy.Details.ContactData.CustomerEndpoint) copy.Details.ContactData.CustomerEndpoint.Address = address;
        return copy as ConnectContactFlowEvent;
      }) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<unknown> as fc.Arbitrary<ConnectContactFlowEvent> },
    );
    const context = { ...lambdaContext('connectIntake'), getRemainingTimeInMillis: () => 8_000 };
    await fuzz('connectIntake', event, async (input) => {
      const result = await connect(input, context);
      if (!['accepted', 'invalid', 'error'].includes(String(result.result))) throw new Error(`answered ${JSON.stringify(result)}`);
      if (result.result !== 'accepted' && world.aws.totalWrites() > 0) throw new Error(`answered ${result.result} after writes: ${world.aws.commands.join(', ')}`);
      return String(result.result);
    });
    expect(report.connectIntake?.cases).toBe(RUNS);
  }, 120_000);

  for (const name of ['reconciler', 'coverageAlert', 'shiftNotices'] as const) {
    it(`the ${name} takes ${RUNS} arbitrary scheduled events without throwing, and with nothing to do writes nothing`, async () => {
      const scheduled = await loadFunction<ScheduledEvent, unknown>(name, world.deps);
      const event = fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.record({ version: fc.string(), id: fc.uuid(), 'detail-type': fc.string(), source: fc.string(), time: isoInstant, detail: fc.jsonValue({ maxDepth: 2 }) }),
      ) as fc.Arbitrary<unknown> as fc.Arbitrary<ScheduledEvent>;
      await fuzz(name, event, async (input) => {
        await scheduled(input, lambdaContext(name));
        if (world.aws.totalWrites() > 0) throw new Error(`wrote with nothing pending: ${world.aws.commands.join(', ')}`);
        return 'nothing to do';
      });
      expect(report[name]?.cases).toBe(RUNS);
    }, 120_000);
  }
});
