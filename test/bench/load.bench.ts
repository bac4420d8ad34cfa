/**
 * Load on the local runtime (one process: the functions, dynalite, fauxqs and this load generator
 * share two cores): a sustained rate of referrals and a burst, each on a fresh runtime, with the
 * time from submit to the first SMS about each referral, throughput, errors and memory; then the
 * AWS calls one referral costs, end to end, by function and command. Bundle sizes and init times
 * are test/bench/pipeline.bench.ts's.
 *
 * The referrals are spread over LOAD_TEAMS teams (120 by default, about the number of local
 * authorities in England and Wales) made through the admin API, each with its own primary,
 * secondary and manager on duty: 50 a second over the whole service, so that no phone reaches its
 * page limit. With LOAD_TEAMS=0 they all go to the demo team instead, a stress no real night
 * brings: each phone takes 30 pages per 10 minutes (shared/app/sms-policy.ts), past that pages move
 * along the chain and, once every phone is over its limit, the referral reaches the team's fallback
 * phone and the manager. So "first SMS" is the first to anyone: a page while phones have room,
 * else the fallback alert. Each is counted apart.
 *
 * Settings: LOAD_RATE (50/s), LOAD_SECONDS (60, after LOAD_WARMUP_SECONDS, 5, not counted), BURST (500), LOAD_POLLERS (pollers per queue, 4),
 * LOAD_THREADS (emulators on worker threads, true), LOAD_TEAMS (120), LOAD_SCENARIOS (calls,sustained,burst,escalation),
 * LOAD_TTL_SWEEP_MS (the local TTL sweep's interval; AWS has none to run).
 *
 * `escalation`: the same sustained rate, but nobody answers and the extra teams wait only
 * LOAD_ACK_SECONDS (20) for an acknowledgement, so from then on every referral's timer falls due
 * while new referrals keep coming: the lateness of each next page (the secondary's SMS) after its
 * deadline (the primary's page plus the wait), p50/p99, target p99 within 2 s.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { FunctionName } from '../../infra/definition.ts';
import type { Invoke } from '../../infra/local/queue-poller.ts';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { demoStaff } from '../../infra/local/seed.ts';
import type { SmsSender } from '../../shared/ports.ts';
import { percentile, writeResults } from './report.ts';
import { localToken } from '../support/local-api.ts';

const RATE = Number(process.env.LOAD_RATE ?? 50);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const WARMUP_SECONDS = Number(process.env.LOAD_WARMUP_SECONDS ?? 5);
const BURST = Number(process.env.BURST ?? 500);
const POLLERS = Number(process.env.LOAD_POLLERS ?? 4);
const THREADS = process.env.LOAD_THREADS !== 'false';
const TEAMS = Number(process.env.LOAD_TEAMS ?? 120);
const SCENARIOS = (process.env.LOAD_SCENARIOS ?? 'calls,sustained,burst,escalation').split(',');
const ACK_SECONDS = Number(process.env.LOAD_ACK_SECONDS ?? 20);
/** `s136` (each referral also plans its clock's warnings as delayed timer messages) or `none`. */
const LEGAL_STATUS = process.env.LOAD_LEGAL_STATUS ?? 's136';
/** The local stand-in for DynamoDB's TTL (infra/local/ttl-sweeper.ts: reads dynalite's store for expired items, deletes each) every this many ms; unset: the runtime's minute. */
const TTL_SWEEP_MS = process.env.LOAD_TTL_SWEEP_MS ? Number(process.env.LOAD_TTL_SWEEP_MS) : undefined;
/** After the last submit, how long every referral has to reach someone before it counts as lost. */
const DRAIN_MS = 60_000;
const BURST_LIMIT_MS = 30_000;

const targets = { sustainedP50Ms: 100, sustainedP99Ms: 500, burstAllPagedMs: BURST_LIMIT_MS, escalationLatenessP99Ms: 2_000 };
const REFERENCE = /EDT-[0-9A-Z]{4}-[0-9A-Z]{4}/;

/** Districts of the extra teams: BD1–BD99, then HX1–HX99. */
const teamDistrict = (i: number) => (i < 99 ? `BD${i + 1}` : `HX${i - 98}`);
let sent = 0;

/** With LOAD_TEAMS, spread over the extra teams; `demo` keeps it in the demo team (whose phones the calls count answers from). */
function referralBody(demo = false) {
  const postcode = TEAMS > 0 && !demo ? `${teamDistrict(sent++ % TEAMS)} 1AA` : 'LS1 4AP';
  return {
    referrer: { name: 'Dr Gill Price', kind: 'gp', organisation: 'Leeds Central Surgery', phone: '07700 900201' },
    subject: {
      givenName: 'Load',
      familyName: 'Test',
      dateOfBirth: '1980-01-01',
      nhsNumberUnknownReason: 'benchmark',
      currentLocation: { kind: 'police_station', postcode },
    },
    legal: LEGAL_STATUS === 'none' ? { status: 'none' } : { status: 's136', detentionStart: new Date(Date.now() - 3_600_000).toISOString() },
    reason: 'benchmark referral',
    risks: [],
    urgency: 'immediate',
  };
}

interface FirstSms {
  at: number;
  kind: 'page' | 'other';
}

/** A runtime whose SMS sender notes, per reference, when the first SMS about it went out. */
async function instrumentedRuntime(
  onAwsClient?: (client: DynamoDBClient | SQSClient | SNSClient) => void,
  wrapFunction?: (name: FunctionName, invoke: Invoke<unknown, unknown>) => Invoke<unknown, unknown>,
  ackTimeoutSeconds = 600,
) {
  const first = new Map<string, FirstSms>();
  /** Every page (an SMS with an accept link) about each reference, in the order sent. */
  const pages = new Map<string, { at: number; to: string }[]>();
  const smsTotal = { count: 0 };
  const wrapSms = (outbox: SmsSender): SmsSender => ({
    async send(to, text) {
      await outbox.send(to, text);
      smsTotal.count++;
      const reference = REFERENCE.exec(text)?.[0];
      if (reference && text.includes('/a/')) pages.set(reference, [...(pages.get(reference) ?? []), { at: performance.now(), to }]);
      // A page carries its accept link; anything else (the fallback alert, a manager's notice) does not.
      if (reference && !first.has(reference)) first.set(reference, { at: performance.now(), kind: text.includes('/a/') ? 'page' : 'other' });
    },
  });
  const runtime = await startLocalRuntime({ port: 0, seed: true, pollerConcurrency: POLLERS, emulatorThreads: THREADS, wrapSms, ...(TTL_SWEEP_MS ? { timing: { ttlSweepIntervalMs: TTL_SWEEP_MS } } : {}), ...(onAwsClient ? { onAwsClient } : {}), ...(wrapFunction ? { wrapFunction } : {}) });
  const login = (username: string) => localToken(runtime.url, username);
  if (TEAMS > 0) await addTeams(runtime, await login('admin'), ackTimeoutSeconds);
  return { runtime, first, pages, smsTotal, token: await login('gp') };
}

/** LOAD_TEAMS teams like the demo one, each on duty now with three people of its own. */
async function addTeams(runtime: LocalRuntime, adminToken: string, ackTimeoutSeconds: number) {
  const put = async (path: string, body: unknown) => {
    const response = await fetch(`${runtime.url}${path}`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` }, body: JSON.stringify(body) });
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  };
  const hour = 3_600_000;
  const start = new Date(Math.floor(Date.now() / hour) * hour - hour).toISOString();
  const end = new Date(Math.floor(Date.now() / hour) * hour + 23 * hour).toISOString();
  for (let i = 0; i < TEAMS; i++) {
    const teamId = `load-team-${i}`;
    const phone = (n: number) => `+447700${String(800000 + i * 4 + n).padStart(6, '0')}`;
    await put(`/api/teams/${teamId}`, { name: `Load team ${i}`, areas: [teamDistrict(i)], escalation: { ackTimeoutSeconds, repeat: 1 }, continuity: 'ignore', fallbackPhone: phone(3) });
    const staff = [
      { id: `${teamId}-primary`, roles: ['amhp'], position: 'primary' },
      { id: `${teamId}-secondary`, roles: ['amhp'], position: 'secondary' },
      { id: `${teamId}-manager`, roles: ['manager'], position: 'manager' },
    ];
    for (const [n, person] of staff.entries()) {
      await put(`/api/staff/${person.id}`, { name: person.id, phone: phone(n), teamIds: [teamId], roles: person.roles });
      // Proven phones, as the demo staff's are: a page to an unverified one also texts the manager.
      await runtime.deps.phoneVerifications.markVerified(person.id, phone(n), new Date().toISOString());
    }
    await put(`/api/teams/${teamId}/rota`, { shifts: staff.map((person) => ({ staffId: person.id, position: person.position, start, end })) });
  }
}

interface Submitted {
  startedAt: number;
  answeredAt: number;
  id?: string;
  reference?: string;
  status: number;
}

async function submit(runtime: LocalRuntime, token: string, demo = false): Promise<Submitted> {
  const startedAt = performance.now();
  try {
    const response = await fetch(`${runtime.url}/api/referrals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(referralBody(demo)),
    });
    const body = (await response.json()) as { id?: string; reference?: string };
    return { startedAt, answeredAt: performance.now(), status: response.status, ...(body.id && body.reference ? { id: body.id, reference: body.reference } : {}) };
  } catch {
    return { startedAt, answeredAt: performance.now(), status: 0 };
  }
}

/**
 * CPU the whole process (functions, emulators on their threads, load generator) spent, per
 * referral: what bounds the sustainable rate on this machine (cores × 1000 / ms per referral),
 * and a figure that other work on the machine disturbs less than latency.
 */
function cpuMeter() {
  const start = process.cpuUsage();
  return { msPer: (count: number) => { const used = process.cpuUsage(start); return Math.round(((used.user + used.system) / 1000 / Math.max(count, 1)) * 10) / 10; } };
}

function memorySampler() {
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const { rss, heapUsed } = process.memoryUsage();
    peakRss = Math.max(peakRss, rss);
    peakHeap = Math.max(peakHeap, heapUsed);
  };
  sample();
  const timer = setInterval(sample, 250);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { peakRssMB: Math.round(peakRss / 2 ** 20), peakHeapMB: Math.round(peakHeap / 2 ** 20) };
    },
  };
}

/** Waits until every accepted referral has had its first SMS, or the deadline passes. */
async function drain(submitted: Submitted[], first: Map<string, FirstSms>, deadline: number) {
  const references = submitted.flatMap((s) => (s.reference ? [s.reference] : []));
  while (performance.now() < deadline && references.some((reference) => !first.has(reference))) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function summarise(name: string, submitted: Submitted[], first: Map<string, FirstSms>, elapsedSeconds: number, memory: { peakRssMB: number; peakHeapMB: number }, cpuMsPerReferral: number) {
  const accepted = submitted.filter((s) => s.status === 202 && s.reference);
  const latencies: number[] = [];
  const pageLatencies: number[] = [];
  let pagedFirst = 0;
  let otherFirst = 0;
  let lastSmsAt = 0;
  for (const s of accepted) {
    const sms = first.get(s.reference ?? '');
    if (!sms) continue;
    const latency = sms.at - s.startedAt;
    latencies.push(latency);
    lastSmsAt = Math.max(lastSmsAt, sms.at);
    if (sms.kind === 'page') {
      pagedFirst++;
      pageLatencies.push(latency);
    } else otherFirst++;
  }
  const round = (value: number) => (Number.isFinite(value) ? Math.round(value) : null);
  const firstStart = Math.min(...submitted.map((s) => s.startedAt));
  // p50/p99 of the referrals submitted in each 10 s: whether latency holds or creeps up over the run.
  const windows = new Map<number, number[]>();
  for (const s of accepted) {
    const sms = first.get(s.reference ?? '');
    if (!sms) continue;
    const window = Math.floor((s.startedAt - firstStart) / 10_000);
    windows.set(window, [...(windows.get(window) ?? []), sms.at - s.startedAt]);
  }
  const byTenSeconds = [...windows.entries()].sort(([a], [b]) => a - b).map(([window, values]) => `${window * 10}s: ${round(percentile(values, 50))}/${round(percentile(values, 99))}`);
  return {
    scenario: TEAMS > 0 ? `${name} over ${TEAMS} teams` : name,
    submitted: submitted.length,
    accepted202: accepted.length,
    errors: submitted.length - accepted.length,
    reachedSomeone: latencies.length,
    lost: accepted.length - latencies.length,
    firstSmsWasPage: pagedFirst,
    firstSmsWasFallbackOrNotice: otherFirst,
    submitToFirstSmsMs: {
      p50: round(percentile(latencies, 50)),
      p95: round(percentile(latencies, 95)),
      p99: round(percentile(latencies, 99)),
      max: round(Math.max(...latencies)),
    },
    submitToFirstPageMs: { count: pageLatencies.length, p50: round(percentile(pageLatencies, 50)), p99: round(percentile(pageLatencies, 99)) },
    submitAnswerMs: {
      p50: round(percentile(accepted.map((s) => s.answeredAt - s.startedAt), 50)),
      p99: round(percentile(accepted.map((s) => s.answeredAt - s.startedAt), 99)),
    },
    submitsPerSecond: Math.round((submitted.length / elapsedSeconds) * 10) / 10,
    allReachedWithinMs: latencies.length === accepted.length && accepted.length > 0 ? round(lastSmsAt - firstStart) : null,
    firstSmsP50P99By10s: byTenSeconds,
    cpuMsPerReferral,
    ...memory,
  };
}

async function sustained() {
  const { runtime, first, token } = await instrumentedRuntime();
  const memory = memorySampler();
  try {
    const warmup = RATE * WARMUP_SECONDS;
    const total = warmup + RATE * SECONDS;
    const started = performance.now();
    const pending: Promise<Submitted>[] = [];
    let cpu = cpuMeter();
    let measuredFrom = started;
    // Open loop: each referral is sent at its time whether or not earlier ones have been answered.
    // The first WARMUP_SECONDS are not counted: every function's first call loads its module and
    // opens its connections, which is the cold start pipeline.bench.ts measures on its own.
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (i === warmup) {
        cpu = cpuMeter();
        measuredFrom = performance.now();
      }
      pending.push(submit(runtime, token));
    }
    const submitted = (await Promise.all(pending)).slice(warmup);
    const elapsed = (performance.now() - measuredFrom) / 1000;
    await drain(submitted, first, performance.now() + DRAIN_MS);
    const cpuMs = cpu.msPer(submitted.length);
    return summarise(`sustained ${RATE}/s for ${SECONDS} s (after ${WARMUP_SECONDS} s warm-up)`, submitted, first, elapsed, memory.stop(), cpuMs);
  } finally {
    memory.stop();
    await runtime.stop();
  }
}

async function burst() {
  const { runtime, first, token } = await instrumentedRuntime();
  const memory = memorySampler();
  const cpu = cpuMeter();
  try {
    const started = performance.now();
    const submitted = await Promise.all(Array.from({ length: BURST }, () => submit(runtime, token)));
    const elapsed = (performance.now() - started) / 1000;
    await drain(submitted, first, started + BURST_LIMIT_MS + DRAIN_MS);
    return summarise(`burst of ${BURST}`, submitted, first, elapsed, memory.stop(), cpu.msPer(submitted.length));
  } finally {
    memory.stop();
    await runtime.stop();
  }
}

/**
 * Nobody answers: each referral's next page is due ACK_SECONDS after its first. Lateness is how
 * long after that deadline the next page (to another phone) went out; a referral whose deadline
 * passed over a minute before the end with no next page is counted as missed.
 */
async function escalation() {
  if (TEAMS === 0) throw new Error('the escalation scenario needs LOAD_TEAMS > 0 (the demo team waits 10 minutes)');
  const { runtime, pages, token } = await instrumentedRuntime(undefined, undefined, ACK_SECONDS);
  const memory = memorySampler();
  try {
    const total = RATE * SECONDS;
    const started = performance.now();
    const pending: Promise<Submitted>[] = [];
    for (let i = 0; i < total; i++) {
      const wait = started + (i * 1000) / RATE - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      pending.push(submit(runtime, token));
    }
    const submitted = (await Promise.all(pending)).flatMap((s) => (s.status === 202 && s.reference ? [s.reference] : []));
    const nextPage = (reference: string) => {
      const [firstPage, ...rest] = pages.get(reference) ?? [];
      const next = rest.find((page) => page.to !== firstPage?.to);
      return firstPage && next ? { deadline: firstPage.at + ACK_SECONDS * 1000, at: next.at } : firstPage ? { deadline: firstPage.at + ACK_SECONDS * 1000 } : undefined;
    };
    const until = performance.now() + (ACK_SECONDS + 60) * 1000;
    while (performance.now() < until && submitted.some((reference) => nextPage(reference)?.at === undefined)) await new Promise((resolve) => setTimeout(resolve, 250));
    const lateness: number[] = [];
    /** Lateness by the 10-second window its deadline fell in: a tail spread evenly is load, one bunched in a window is a pause. */
    const byWindow = new Map<number, number[]>();
    let missed = 0;
    for (const reference of submitted) {
      const next = nextPage(reference);
      if (next?.at === undefined) {
        missed++;
        continue;
      }
      lateness.push(next.at - next.deadline);
      const window = Math.floor((next.deadline - started) / 10_000) * 10;
      byWindow.set(window, [...(byWindow.get(window) ?? []), next.at - next.deadline]);
    }
    const round = (value: number) => (Number.isFinite(value) ? Math.round(value) : null);
    return {
      scenario: `escalation: ${RATE}/s for ${SECONDS} s over ${TEAMS} teams, nobody answering, next page due after ${ACK_SECONDS} s`,
      referrals: submitted.length,
      escalated: lateness.length,
      missed,
      latenessMs: { p50: round(percentile(lateness, 50)), p99: round(percentile(lateness, 99)), max: round(Math.max(...lateness)), earliest: round(Math.min(...lateness)) },
      latenessP99ByDeadlineWindow: Object.fromEntries([...byWindow].sort(([a], [b]) => a - b).map(([window, values]) => [`${window}-${window + 10} s`, round(percentile(values, 99))])),
      ...memory.stop(),
    };
  } finally {
    memory.stop();
    await runtime.stop();
  }
}

// --- AWS calls per referral -------------------------------------------------------------------

type CallCounts = Record<string, number>;
/** The one middleware-stack method used here, typed the same for all three clients. */
interface CountingStack {
  add(
    middleware: (next: (args: unknown) => Promise<unknown>, context: { clientName?: string; commandName?: string }) => (args: unknown) => Promise<unknown>,
    options: { step: 'initialize'; name: string },
  ): void;
}

/**
 * One referral, end to end: submitted, routed and paged, accepted by SMS (the referrer told),
 * then closed. Every call the functions' SDK clients make is counted by a middleware, per step
 * and per `Service:Command`. Not counted: the queues' event-source polling (Lambda's, not the
 * function's) and the acknowledgement timer that fires after the team's timeout.
 */
async function awsCallsPerReferral() {
  let current: CallCounts = {};
  const running = new AsyncLocalStorage<FunctionName>();
  const count = (name: string) => {
    const key = `${running.getStore() ?? 'other'} ${name}`;
    current[key] = (current[key] ?? 0) + 1;
  };
  const onAwsClient = (client: DynamoDBClient | SQSClient | SNSClient) => {
    (client.middlewareStack as unknown as CountingStack).add(
      (next, context) => async (args) => {
        count(`${String(context.clientName).replace(/Client$/, '')}:${String(context.commandName).replace(/Command$/, '')}`);
        return next(args);
      },
      { step: 'initialize', name: 'countAwsCalls' },
    );
  };
  // Each call is put down to the function it was made in.
  const wrapFunction = (name: FunctionName, invoke: Invoke<unknown, unknown>): Invoke<unknown, unknown> => (event, context) => running.run(name, () => invoke(event, context));
  const { runtime, first, token } = await instrumentedRuntime(onAwsClient, wrapFunction);
  const [asha] = demoStaff;
  const steps: Record<string, CallCounts> = {};
  const settle = async () => {
    // Quiet for a second and a half: the functions have finished what the step set off (a reply
    // by SMS reaches its function through a topic and a queue poll, which can take a second).
    let seen = -1;
    for (;;) {
      const now = Object.values(current).reduce((sum, n) => sum + n, 0);
      if (now === seen) return;
      seen = now;
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
  };
  const step = async (name: string, action: () => Promise<void>) => {
    current = {};
    await action();
    await settle();
    steps[name] = current;
  };
  try {
    let submitted: Submitted | undefined;
    await step('submit (intake)', async () => {
      submitted = await submit(runtime, token, true);
    });
    const { id = '', reference = '' } = submitted ?? {};
    if (!first.has(reference)) throw new Error('the referral was not paged');
    await step('accept by SMS (the referrer told)', async () => {
      await fetch(`${runtime.url}/local/sms/inbound`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: asha.phone, body: '1' }) });
    });
    const ashaLogin = await fetch(`${runtime.url}/local/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: asha.id }) });
    const ashaToken = ((await ashaLogin.json()) as { token: string }).token;
    await step('close', async () => {
      await fetch(`${runtime.url}/api/referrals/${id}/close`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ashaToken}` },
        body: JSON.stringify({ outcome: 'assessed', result: 'detained_s2' }),
      });
    });
  } finally {
    await runtime.stop();
  }
  const total: CallCounts = {};
  const rows: Record<string, string | number>[] = [];
  for (const [stepName, counts] of Object.entries(steps)) {
    const byFunction = new Map<string, CallCounts>();
    for (const [key, n] of Object.entries(counts)) {
      const [fn = '', call = ''] = key.split(' ');
      byFunction.set(fn, { ...byFunction.get(fn), [call]: n });
      total[call] = (total[call] ?? 0) + n;
    }
    for (const [fn, calls] of byFunction) {
      rows.push({ step: stepName, function: fn, calls: Object.values(calls).reduce((a, b) => a + b, 0), ...calls });
    }
  }
  return { steps, rows, total, sum: Object.values(total).reduce((a, b) => a + b, 0) };
}

export async function run(): Promise<void> {
  const results: Record<string, unknown> = {
    at: new Date().toISOString(),
    node: process.version,
    settings: { rate: RATE, seconds: SECONDS, burst: BURST, pollersPerQueue: POLLERS, emulatorThreads: THREADS, extraTeams: TEAMS },
  };
  if (SCENARIOS.includes('calls')) {
    const calls = await awsCallsPerReferral();
    console.log('AWS calls for one referral, end to end (the functions\' SDK clients; by step and function):');
    console.table(calls.rows);
    console.log(`total ${calls.sum}:`, calls.total);
    results.awsCallsPerReferral = calls;
  }
  const scenarios: ReturnType<typeof summarise>[] = [];
  if (SCENARIOS.includes('sustained')) scenarios.push(await sustained());
  if (SCENARIOS.includes('burst')) scenarios.push(await burst());
  for (const r of scenarios) console.log(`${r.scenario}, first SMS p50/p99 ms of those submitted in each 10 s:`, r.firstSmsP50P99By10s.join(', '));
  console.table(
    scenarios.map((r) => ({
      scenario: r.scenario,
      '202s': `${r.accepted202}/${r.submitted}`,
      errors: r.errors,
      lost: r.lost,
      'first SMS p50/p95/p99 ms': `${r.submitToFirstSmsMs.p50}/${r.submitToFirstSmsMs.p95}/${r.submitToFirstSmsMs.p99}`,
      'first was a page': r.firstSmsWasPage,
      'submits/s': r.submitsPerSecond,
      'all reached in ms': r.allReachedWithinMs,
      'CPU ms/referral': r.cpuMsPerReferral,
      'peak RSS MB': r.peakRssMB,
      'peak heap MB': r.peakHeapMB,
    })),
  );
  const late = SCENARIOS.includes('escalation') ? await escalation() : undefined;
  if (late) console.table([{ scenario: late.scenario, referrals: late.referrals, escalated: late.escalated, missed: late.missed, 'lateness p50/p99/max ms': `${late.latenessMs.p50}/${late.latenessMs.p99}/${late.latenessMs.max}`, 'peak RSS MB': late.peakRssMB }]);
  if (late) console.log('escalation lateness p99 by deadline window (ms):', late.latenessP99ByDeadlineWindow);
  const load = scenarios.find((r) => r.scenario.startsWith('sustained'));
  const spike = scenarios.find((r) => r.scenario.startsWith('burst'));
  const verdict = {
    ...(load
      ? {
          sustainedP50: { target: targets.sustainedP50Ms, measured: load.submitToFirstSmsMs.p50, met: (load.submitToFirstSmsMs.p50 ?? Infinity) <= targets.sustainedP50Ms },
          sustainedP99: { target: targets.sustainedP99Ms, measured: load.submitToFirstSmsMs.p99, met: (load.submitToFirstSmsMs.p99 ?? Infinity) <= targets.sustainedP99Ms },
        }
      : {}),
    ...(spike
      ? { burstAllReached: { target: targets.burstAllPagedMs, measured: spike.allReachedWithinMs, met: spike.lost === 0 && (spike.allReachedWithinMs ?? Infinity) <= targets.burstAllPagedMs } }
      : {}),
    ...(late
      ? { escalationLatenessP99: { target: targets.escalationLatenessP99Ms, measured: late.latenessMs.p99, met: late.missed === 0 && (late.latenessMs.p99 ?? Infinity) <= targets.escalationLatenessP99Ms } }
      : {}),
    noneLost: { met: scenarios.every((r) => r.lost === 0) && (late?.missed ?? 0) === 0 },
  };
  console.table(verdict);
  writeResults(TEAMS > 0 ? `load-${TEAMS}-teams` : 'load', { ...results, ...(load ? { sustained: load } : {}), ...(spike ? { burst: spike } : {}), ...(late ? { escalation: late } : {}), targets: verdict });
}
