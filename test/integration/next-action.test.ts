import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Invoke } from '../../infra/local/queue-poller.ts';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { demoReferrers, demoStaff } from '../../infra/local/seed.ts';
import type { RecordingMetrics } from '../../shared/adapters/recording-metrics.ts';
import { localToken } from '../support/local-api.ts';

/**
 * The next action lives in the table: on the emulators, through the real handlers, a timer that
 * SQS loses is found by the reconciler in the `nextAction` index and armed again, and a clock
 * warning that finds its referral not yet routed stands down instead of re-scheduling itself.
 * The functions' clock is moved on rather than waiting the team's 600 s for real.
 */

let runtime: LocalRuntime;
let offsetMs = 0;
const faults = { dropTimers: false, dropped: 0, timerSends: 0, routerGate: null as Promise<void> | null };
const manager = demoStaff.find((s) => s.id === 'manager-dev')!;

beforeAll(async () => {
  runtime = await startLocalRuntime({
    port: 0,
    seed: true,
    now: () => new Date(Date.now() + offsetMs),
    timing: { visibilityTimeoutSeconds: 1, scheduleIntervalMs: 500, settleSeconds: 2 },
    wrapFunction: (name, invoke) =>
      name === 'router'
        ? ((async (event, context) => {
            if (faults.routerGate) await faults.routerGate;
            return (invoke as Invoke<SQSEvent, unknown>)(event as SQSEvent, context);
          }) as Invoke<unknown, unknown>)
        : invoke,
  });
  // Timer messages (the escalation timers queue) are counted, and dropped while the fault is on.
  const sqsSend = SQSClient.prototype.send;
  vi.spyOn(SQSClient.prototype, 'send').mockImplementation(function (this: SQSClient, ...args: unknown[]) {
    const [command] = args;
    const toTimers =
      (command instanceof SendMessageCommand || command instanceof SendMessageBatchCommand) &&
      command.input.QueueUrl === runtime.resources.queueUrls.escalationTimers;
    if (toTimers) {
      faults.timerSends++;
      if (faults.dropTimers) {
        faults.dropped++;
        const entries = command instanceof SendMessageBatchCommand ? (command.input.Entries ?? []) : [];
        return Promise.resolve({ Successful: entries.map((e) => ({ Id: e.Id, MessageId: 'dropped', MD5OfMessageBody: '' })), Failed: [] });
      }
    }
    return sqsSend.apply(this, args as never);
  } as never);
});

afterEach(() => {
  faults.dropTimers = false;
  faults.routerGate = null;
});

afterAll(async () => {
  vi.restoreAllMocks();
  await runtime?.stop();
});

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function submit(body: unknown): Promise<{ id: string; reference: string }> {
  const response = await fetch(`${runtime.url}/api/referrals`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await localToken(runtime.url, 'police')}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(202);
  const json = (await response.json()) as { id: string; reference: string };
  return { id: json.id, reference: json.reference };
}

const phoneReferral = (legal: Record<string, unknown>) => ({
  channel: 'phone',
  callbackPhone: demoReferrers[1].phone,
  currentLocation: { postcode: 'LS2 7UE' },
  legal,
  urgency: 'immediate',
});

const stored = async (id: string) => {
  const referral = await runtime.deps.referrals.get(id);
  if (!referral) throw new Error(`referral ${id} is not stored`);
  return referral;
};

describe('a lost timer is armed again', () => {
  it('pages the next in the chain after the first page’s timer message was dropped', async () => {
    const { id } = await submit(phoneReferral({ status: 'none' }));
    faults.dropTimers = true;
    const first = await until('the first page', async () => (await stored(id)).escalation?.pages[0]);
    // The page's timer went to SQS and was lost; the index knows when it was due.
    await until('the timer to be dropped', async () => (faults.dropped > 0 ? true : undefined));
    faults.dropTimers = false;
    const due = Date.parse(first.at) + 600_000;
    expect((await runtime.deps.referrals.withOverdueActions(new Date(due + 1), 100))).toContain(id);
    expect(await runtime.deps.referrals.withOverdueActions(new Date(due - 1_000), 100)).not.toContain(id);
    const metrics = runtime.deps.metrics as RecordingMetrics;
    const rearmedBefore = metrics.total('TimersRearmed');

    // Past its due time by more than a minute: the reconciler re-arms it, and the chain moves on.
    offsetMs = due + 61_000 - Date.now();
    const second = await until('the second page', async () => (await stored(id)).escalation?.pages.find((page) => page.pageSeq === 2));
    expect(second.staffId).not.toBe(first.staffId);
    const referral = await stored(id);
    const types = referral.timeline.map((entry) => entry.type);
    expect(types.indexOf('timers_rearmed')).toBeGreaterThan(types.indexOf('paged'));
    expect(types.indexOf('ack_timeout')).toBeGreaterThan(types.indexOf('timers_rearmed'));
    expect(referral.timeline.find((entry) => entry.type === 'timers_rearmed')?.actions).toEqual(['ack-timer']);
    expect(metrics.total('TimersRearmed')).toBe(rearmedBefore + 1);
    // Its new timer is armed, and recorded as its next action: not overdue.
    expect(await runtime.deps.referrals.withOverdueActions(new Date(Date.now() + offsetMs), 100)).not.toContain(id);
    offsetMs = 0;
  });
});

describe('clock warnings before routing', () => {
  it('stands down while the referral is not yet routed (no 1 s re-schedule) and warns once routing is done', async () => {
    let release: () => void = () => undefined;
    faults.routerGate = new Promise<void>((resolve) => (release = resolve));
    // An s136 arrival 19 h ago: T−6 h has passed, so the warning is due at once.
    const arrived = new Date(Date.now() - 19 * 3_600_000).toISOString();
    const before = faults.timerSends;
    const { id, reference } = await submit(phoneReferral({ status: 's136', detentionStart: arrived }));
    await until('the warning to fire on a received referral', async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      return faults.timerSends > before ? true : undefined;
    });
    const sendsWhileReceived = faults.timerSends;
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    // The old loop sent a timer a second for as long as routing took.
    expect(faults.timerSends).toBe(sendsWhileReceived);
    expect((await stored(id)).status).toBe('received');
    expect((await stored(id)).timeline.some((entry) => entry.type === 'clock_warning')).toBe(false);

    release();
    await runtime.outbox.waitFor((sms) => sms.phone === manager.phone && sms.body.includes(reference) && sms.body.includes('clock'), 15_000);
    const warnings = (await stored(id)).timeline.filter((entry) => entry.type === 'clock_warning');
    expect(warnings.map((entry) => entry.hoursBefore)).toEqual([6]);
  });
});
