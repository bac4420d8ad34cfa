import { SendMessageBatchCommand, SendMessageCommand, SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';
import type { ReferralQueue, TimerMessage, TimerQueue } from '../ports.ts';

/** The client both queues share (shared/adapters/dependencies.ts makes it only where a function sends to a queue). */
export const makeSqsClient = (config: SQSClientConfig) => new SQSClient(config);

/** SQS will not delay a message for longer than this; the escalator re-delays longer waits. */
export const MAX_SQS_DELAY_SECONDS = 900;

export class SqsReferralQueue implements ReferralQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(referralId: string): Promise<void> {
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify({ referralId }) }));
  }
}

/** A timer this early is due: SQS delays by whole seconds, rounded to the nearest (below). */
export const TIMER_EARLY_TOLERANCE_MS = 500;

/**
 * Whole seconds, as SQS takes them, to the nearest: the message arrives within half a second of
 * its deadline either way, and the escalator takes it as due (TIMER_EARLY_TOLERANCE_MS).
 * Rounding up made every timer up to a second late.
 */
export function timerDelaySeconds(dueAt: string, now: Date): number {
  const remaining = Math.round((Date.parse(dueAt) - now.getTime()) / 1000);
  return Math.min(Math.max(remaining, 0), MAX_SQS_DELAY_SECONDS);
}

export class SqsTimerQueue implements TimerQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async schedule(message: TimerMessage, now: Date): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(message),
        DelaySeconds: timerDelaySeconds(message.dueAt, now),
      }),
    );
  }

  /** Up to ten to a SendMessageBatch. Any entry SQS refuses fails the whole call, for a retry of them all (timers may repeat). */
  async scheduleAll(messages: readonly TimerMessage[], now: Date): Promise<void> {
    for (let start = 0; start < messages.length; start += 10) {
      const { Failed = [] } = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: messages.slice(start, start + 10).map((message, i) => ({
            Id: String(i),
            MessageBody: JSON.stringify(message),
            DelaySeconds: timerDelaySeconds(message.dueAt, now),
          })),
        }),
      );
      if (Failed.length > 0) throw new Error(`SQS refused ${Failed.length} timer(s): ${Failed.map((f) => f.Code).join(', ')}`);
    }
  }
}
