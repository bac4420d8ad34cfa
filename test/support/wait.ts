import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { LocalRuntime } from '../../infra/local/runtime.ts';

/**
 * Polls `check` until it gives a value (anything but undefined, null or false) and returns it;
 * past the deadline it throws, naming what was awaited, so a test never passes by timing out.
 */
export async function waitFor<T>(what: string, check: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * What is still to happen on a local runtime: messages queued or in flight, and referrals with
 * effects in their outbox. Delayed messages are timers not yet due (a statutory clock's warning
 * hours away is one), so they do not count; `drained`'s `timersDueBy` waits for those due sooner.
 */
export async function pendingWork(runtime: LocalRuntime): Promise<string[]> {
  const queues = { ...runtime.resources.queueUrls, ...runtime.resources.topicDeliveryQueueUrls };
  const pending: string[] = [];
  for (const [name, queueUrl] of Object.entries(queues)) {
    const { Attributes = {} } = await runtime.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    const count = Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
    if (count > 0) pending.push(`${count} message(s) on ${name}`);
  }
  // Every referral whose outbox holds an effect, however recent.
  const withEffects = await runtime.deps.referrals.withPendingEffects(new Date(Date.now() + 86_400_000), 25);
  if (withEffects.length > 0) pending.push(`effects pending on ${withEffects.length} referral(s)`);
  return pending;
}

/**
 * Waits until nothing more is going to happen: every queue is empty and no referral has an effect
 * left in its outbox, twice in a row (a handler in flight holds its message invisible, so it
 * counts until it has sent what it sends and deleted it). With `timersDueBy` (epoch ms), first
 * until then, so that the timers due by that time have come out of their delay and are counted.
 * Replaces "wait a few seconds and see that nothing more happened": it ends as soon as the work
 * does, and fails, saying what is left, if it never does.
 */
export async function drained(runtime: LocalRuntime, options: { timersDueBy?: number; timeoutMs?: number } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const untilDue = (options.timersDueBy ?? 0) - Date.now();
  if (untilDue > 0) await new Promise((resolve) => setTimeout(resolve, untilDue));
  const deadline = Date.now() + timeoutMs;
  let quietChecks = 0;
  for (;;) {
    const left = await pendingWork(runtime);
    quietChecks = left.length === 0 ? quietChecks + 1 : 0;
    if (quietChecks >= 2) return;
    if (Date.now() > deadline) throw new Error(`not drained after ${timeoutMs} ms: ${left.join('; ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
