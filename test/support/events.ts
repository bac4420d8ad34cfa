/**
 * The sample events in events/: the shapes AWS hands a Lambda function, kept as JSON files a
 * newcomer can read and replay. Each loader returns a fresh copy, and the helpers change only
 * what a test is about (the body, a claim, a header), so every test starts from the real shape.
 */
import { readFileSync } from 'node:fs';
import type { Context, SNSEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import type { HttpEvent } from '../../functions/commons/http.ts';

const eventsDirectory = new URL('../../events/', import.meta.url);

export type HttpEventName = 'http-create-referral' | 'http-accept-referral' | 'http-decline-referral' | 'http-close-referral' | 'http-record-event';
export type SqsEventName = 'sqs-route-referral' | 'sqs-escalation-timer' | 'sqs-voice-call-timer';

/** A fresh copy of events/<name>.json. */
export function loadEvent<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`${name}.json`, eventsDirectory), 'utf8')) as T;
}

type Claims = Record<string, string | number | boolean | string[]>;

export interface HttpChanges {
  /** Replaces the JSON body; a string is sent as is. */
  body?: unknown;
  /** Added to (or, with `undefined`, removed from) the request headers. */
  headers?: Record<string, string | undefined>;
  /** Added to (or, with `undefined`, removed from) the JWT authorizer's claims. */
  claims?: Record<string, string | undefined>;
  /** No authorizer context at all, as for a route without one. */
  anonymous?: boolean;
  pathParameters?: Record<string, string>;
}

/** An API Gateway HTTP API (payload v2.0) event with a JWT authorizer, changed as asked. */
export function httpEvent(name: HttpEventName, changes: HttpChanges = {}): HttpEvent {
  const event = loadEvent<HttpEvent>(name);
  if (changes.body !== undefined) {
    event.body = typeof changes.body === 'string' ? changes.body : JSON.stringify(changes.body);
    event.headers['content-length'] = String(Buffer.byteLength(event.body));
  }
  for (const [key, value] of Object.entries(changes.headers ?? {})) {
    if (value === undefined) delete event.headers[key];
    else event.headers[key] = value;
  }
  const claims = event.requestContext.authorizer.jwt.claims as Claims;
  for (const [key, value] of Object.entries(changes.claims ?? {})) {
    if (value === undefined) delete claims[key];
    else claims[key] = value;
  }
  if (changes.anonymous) delete (event.requestContext as { authorizer?: unknown }).authorizer;
  if (changes.pathParameters) {
    event.pathParameters = changes.pathParameters;
    const id = changes.pathParameters.id;
    if (id) {
      event.rawPath = event.rawPath.replace(/\/api\/referrals\/[^/]+/, `/api/referrals/${id}`);
      event.requestContext.http.path = event.rawPath;
    }
  }
  return event;
}

/** The JSON body of a sample HTTP event, parsed. */
export function httpBody(name: HttpEventName): Record<string, unknown> {
  return JSON.parse(loadEvent<HttpEvent>(name).body ?? 'null') as Record<string, unknown>;
}

/**
 * An SQS event with one record per body, each a copy of the sample's record with its own
 * message id (`<sample id>-<n>` after the first). A string body is sent as is, so a test can
 * send something that is not JSON.
 */
export function sqsEvent(name: SqsEventName, bodies?: unknown[]): SQSEvent {
  const event = loadEvent<SQSEvent>(name);
  const [template] = event.Records;
  if (!template) throw new Error(`events/${name}.json has no record`);
  if (!bodies) return event;
  event.Records = bodies.map(
    (body, index): SQSRecord => ({
      ...structuredClone(template),
      messageId: index === 0 ? template.messageId : `${template.messageId}-${index + 1}`,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
  return event;
}

/** The body of the sample's first record, parsed. */
export function sqsBody<T = Record<string, unknown>>(name: SqsEventName): T {
  return JSON.parse(loadEvent<SQSEvent>(name).Records[0]?.body ?? 'null') as T;
}

/** The End User Messaging SMS notification inside events/sns-inbound-sms.json. */
export interface InboundSmsMessage {
  originationNumber: string;
  destinationNumber: string;
  messageKeyword: string;
  messageBody: string;
  inboundMessageId: string;
  previousPublishedMessageId: string;
}

/**
 * The two-way SMS topic's event, with the inner message changed as asked, or replaced outright
 * by a string (to send a notification that is not understood).
 */
export function inboundSmsEvent(changes: Partial<InboundSmsMessage> | string = {}): SNSEvent {
  const event = loadEvent<SNSEvent>('sns-inbound-sms');
  const record = event.Records[0];
  if (!record) throw new Error('events/sns-inbound-sms.json has no record');
  record.Sns.Message =
    typeof changes === 'string' ? changes : JSON.stringify({ ...(JSON.parse(record.Sns.Message) as InboundSmsMessage), ...changes });
  return event;
}

/** What Lambda passes as the second argument; the handlers only hand it on to Powertools. */
export function lambdaContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-2:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/25/[$LATEST]abcdef0123456789abcdef0123456789',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
