import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';
import { lambdaContext, type Invoke } from './queue-poller.ts';

/**
 * What an EventBridge schedule does for a function: invoke it every interval with a scheduled
 * event. A run still going when the next is due is not overlapped (in AWS the reconciler's
 * reserved concurrency of one has the same effect), and `stop()` waits for the run in flight.
 */
export class ScheduledRunner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly options: {
      functionName: string;
      intervalMs: number;
      region: string;
      onError: (error: unknown) => void;
    },
    private readonly invoke: Invoke<ScheduledEvent, unknown>,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.runOnce(), this.options.intervalMs);
  }

  /** One run now, unless one is going (then that one). */
  runOnce(): Promise<void> {
    this.running ??= this.invoke(scheduledEvent(this.options.region), lambdaContext(this.options.functionName))
      .then(() => undefined, this.options.onError)
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}

function scheduledEvent(region: string): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: ['arn:aws:events:local:000000000000:rule/local-schedule'],
    detail: {},
  };
}
