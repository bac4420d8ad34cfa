import { randomUUID } from 'node:crypto';
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SNSEvent, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

/**
 * What Lambda's SQS event source mapping does, against fauxqs: long-poll a batch, invoke the
 * function, delete what succeeded. A failed record (batchItemFailures, or every record when the
 * function throws) is left alone: it reappears after the visibility timeout and, after the
 * queue's maxReceiveCount, fauxqs moves it to the dead-letter queue as SQS does.
 */
export interface PollerOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  region: string;
  functionName: string;
  batchSize: number;
  /** Parallel pollers, as Lambda scales its pollers with the queue. */
  concurrency: number;
  /** Overrides the queue's visibility timeout on each receive (tests see redelivery sooner). */
  visibilityTimeoutSeconds?: number | undefined;
  onError: (error: unknown) => void;
}

export type Invoke<E, R> = (event: E, context: Context) => Promise<R>;

export function lambdaContext(functionName: string): Context {
  const deadline = Date.now() + 30_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(deadline - Date.now(), 0),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function toSqsRecord(message: Message, options: PollerOptions): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: options.queueArn,
    awsRegion: options.region,
  };
}

export class QueuePoller {
  private running = false;
  private readonly abort = new AbortController();
  private loops: Promise<void>[] = [];
  /** Batches being processed right now; `idle()` waits for them. */
  private inFlight = 0;

  constructor(
    private readonly options: PollerOptions,
    private readonly processBatch: (messages: Message[]) => Promise<Set<string>>,
  ) {}

  start(): void {
    this.running = true;
    this.loops = Array.from({ length: this.options.concurrency }, () => this.loop());
  }

  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    await Promise.allSettled(this.loops);
  }

  get busy(): boolean {
    return this.inFlight > 0;
  }

  private async loop(): Promise<void> {
    const { sqs, queueUrl, batchSize } = this.options;
    while (this.running) {
      let messages: Message[];
      try {
        const received = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: batchSize,
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: ['All'],
            ...(this.options.visibilityTimeoutSeconds === undefined ? {} : { VisibilityTimeout: this.options.visibilityTimeoutSeconds }),
          }),
          { abortSignal: this.abort.signal },
        );
        messages = received.Messages ?? [];
      } catch (error) {
        if (!this.running) return;
        this.options.onError(error);
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      if (messages.length === 0) continue;
      this.inFlight++;
      try {
        const failed = await this.processBatch(messages);
        const done = messages.filter((m) => !failed.has(m.MessageId ?? ''));
        if (done.length > 0) {
          await sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
            }),
          );
        }
      } catch (error) {
        this.options.onError(error);
      } finally {
        this.inFlight--;
      }
    }
  }
}

/** An SQS-triggered function: partial batch failures are honoured, a throw fails the batch. */
export function sqsTrigger(options: PollerOptions, invoke: Invoke<SQSEvent, SQSBatchResponse | void>): QueuePoller {
  return new QueuePoller(options, async (messages) => {
    const event: SQSEvent = { Records: messages.map((m) => toSqsRecord(m, options)) };
    try {
      const response = await invoke(event, lambdaContext(options.functionName));
      return new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (error) {
      options.onError(error);
      return new Set(messages.map((m) => m.MessageId ?? ''));
    }
  });
}

/** An SNS-triggered function, fed from a queue subscribed to the topic (fauxqs delivers to SQS only). */
export function snsTrigger(options: PollerOptions, topicArn: string, invoke: Invoke<SNSEvent, void>): QueuePoller {
  return new QueuePoller({ ...options, batchSize: 1 }, async (messages) => {
    const failed = new Set<string>();
    for (const message of messages) {
      const envelope = JSON.parse(message.Body ?? '{}') as Record<string, string>;
      const event: SNSEvent = {
        Records: [
          {
            EventSource: 'aws:sns',
            EventVersion: '1.0',
            EventSubscriptionArn: `${topicArn}:local`,
            Sns: {
              Type: 'Notification',
              MessageId: envelope.MessageId ?? message.MessageId ?? '',
              TopicArn: topicArn,
              Subject: envelope.Subject ?? '',
              Message: envelope.Message ?? '',
              Timestamp: envelope.Timestamp ?? new Date().toISOString(),
              SignatureVersion: '1',
              Signature: '',
              SigningCertUrl: '',
              UnsubscribeUrl: '',
              MessageAttributes: {},
            },
          },
        ],
      };
      try {
        await invoke(event, lambdaContext(options.functionName));
      } catch (error) {
        options.onError(error);
        failed.add(message.MessageId ?? '');
      }
    }
    return failed;
  });
}
