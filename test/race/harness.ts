/**
 * Races over the real adapters on the embedded emulators: every AWS call a use case makes waits at
 * a gate (before the request and before its answer is handed back) that fast-check's scheduler
 * opens in an order it chooses, so one schedule is one interleaving of two or more use cases.
 * After the race, whatever each run left pending is finished (the reconciler's flush), and the
 * scenario checks what must hold whatever the order: no SMS sent twice, nothing lost or stuck.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBClient as RawDynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient as RawSnsClient } from '@aws-sdk/client-sns';
import { SQSClient as RawSqsClient } from '@aws-sdk/client-sqs';
import type { Scheduler } from 'fast-check';
import { startEmulators, type Emulators } from '../../infra/local/emulators.ts';
import { provision } from '../../infra/local/provision.ts';
import { LocalSmsOutbox } from '../../infra/local/sms-outbox.ts';
import { createDependencies } from '../../shared/adapters/dependencies.ts';
import { putRota, putStaff, putTeam } from '../../shared/app/directory-admin.ts';
import { reconcileOutboxes } from '../../shared/app/reconcile.ts';
import { submitReferral } from '../../shared/app/submit-referral.ts';
import type { Dependencies, Log, TimerMessage } from '../../shared/ports.ts';

/**
 * Schedules per scenario (`RACE_RUNS`): 40 locally, 150 in CI (900 over the six races, about two
 * minutes on a quiet two-core machine; 300 took over nine minutes on a loaded one, most of CI's 15).
 * A deeper search: `RACE_RUNS=1000 npx vitest run test/race`.
 */
export const RACE_RUNS = Number(process.env.RACE_RUNS ?? (process.env.CI ? 150 : 40));
/** A race runs its schedules one after another: ~0.25 s each on a quiet 2-core machine, several times that when busy. */
export const RACE_TIMEOUT_MS = 600_000;

const REGION = 'eu-west-2';
const HOUR = 3_600_000;
const silent: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface RaceWorld {
  deps: Dependencies;
  sms: LocalSmsOutbox;
  /** Every timer the use cases scheduled, in order (the timer queue is the real SQS adapter too). */
  timers: TimerMessage[];
  clock: { now: Date };
  /** While set, every AWS call waits for the scheduler; `inFlight` counts calls on the wire. */
  gate: { scheduler: Scheduler | null; inFlight: number };
  stop(): Promise<void>;
}

type Middleware = (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>;

/** Every call to this client passes the scheduler twice: before it is sent and before its answer returns. */
function gated(client: DynamoDBClient | SQSClient | SNSClient, gate: RaceWorld['gate'], label: string) {
  const middleware: Middleware = (next) => async (args) => {
    if (gate.scheduler) await gate.scheduler.schedule(Promise.resolve(), `${label} send`);
    gate.inFlight++;
    const answer = await next(args).finally(() => gate.inFlight--);
    if (gate.scheduler) await gate.scheduler.schedule(Promise.resolve(), `${label} answer`);
    return answer;
  };
  (client.middlewareStack as unknown as { add(m: Middleware, o: object): void }).add(middleware, { step: 'initialize', name: 'raceGate' });
}

export async function startRaceWorld(): Promise<RaceWorld> {
  const emulators: Emulators = await startEmulators(REGION);
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const provisioned = await provision(
    {
      dynamodb: new RawDynamoDBClient({ region: REGION, endpoint: emulators.dynamodbEndpoint, credentials }),
      sqs: new RawSqsClient({ region: REGION, endpoint: emulators.messagingEndpoint, credentials }),
      sns: new RawSnsClient({ region: REGION, endpoint: emulators.messagingEndpoint, credentials }),
    },
    'race',
  );
  const clock = { now: new Date('2026-11-25T02:00:00Z') };
  const gate: RaceWorld['gate'] = { scheduler: null, inFlight: 0 };
  const sms = new LocalSmsOutbox();
  const base = createDependencies({
    region: REGION,
    endpoints: { dynamodb: emulators.dynamodbEndpoint, sqs: emulators.messagingEndpoint, sns: emulators.messagingEndpoint },
    tableNames: { referrals: provisioned.tableNames.referrals, directory: provisioned.tableNames.directory },
    queueUrls: { referrals: provisioned.queueUrls.referrals, escalationTimers: provisioned.queueUrls.escalationTimers },
    publicBaseUrl: 'http://127.0.0.1:3000',
    linkSecret: async () => 'race-link-secret',
    log: silent,
    sms: {
      // The SMS provider is a call like any other: it waits at the gate too.
      send: async (to, text) => {
        if (gate.scheduler) await gate.scheduler.schedule(Promise.resolve(), 'sms send');
        await sms.send(to, text);
      },
    },
    now: () => clock.now,
    onClient: (client) => gated(client, gate, client.constructor.name),
  });
  const timers: TimerMessage[] = [];
  const deps: Dependencies = {
    ...base,
    timers: {
      schedule: async (message, now) => {
        await base.timers.schedule(message, now);
        timers.push(message);
      },
      scheduleAll: async (messages, now) => {
        await base.timers.scheduleAll(messages, now);
        timers.push(...messages);
      },
    },
  };
  return { deps, sms, timers, clock, gate, stop: () => emulators.stop() };
}

export interface RaceTeam {
  teamId: string;
  district: string;
  amhps: { id: string; phone: string }[];
  manager: { id: string; phone: string };
  fallbackPhone: string;
}

const letters = 'ABCDEFGHKLMNOPQRSTUVWXY';
/** First letters of the districts' areas: Y for the first 2,300 runs, then others Royal Mail allows first, for a deeper search. */
const areaFirstLetters = 'YWUTRP';

/**
 * A team of its own for each run (two AMHPs on duty and a manager, phones no other run uses), so
 * that per-phone limits, busy markers and rotation from earlier runs cannot change this one.
 */
export async function freshTeam(world: RaceWorld, run: number): Promise<RaceTeam> {
  const { deps } = world;
  const teamId = `race-${run}`;
  // Postcode districts shaped as Royal Mail allows (shared/domain/postcode.ts): Y, a letter, 0–99.
  const perFirstLetter = letters.length * 100;
  const first = areaFirstLetters[Math.floor(run / perFirstLetter)];
  if (!first) throw new Error(`a race run past ${areaFirstLetters.length * perFirstLetter} has no district of its own`);
  const district = `${first}${letters[Math.floor(run / 100) % letters.length]}${run % 100}`;
  const phone = (k: number) => `+4477${String(10_000_000 + run * 10 + k).slice(-8)}`;
  const team: RaceTeam = {
    teamId,
    district,
    amhps: [
      { id: `${teamId}-amhp-a`, phone: phone(1) },
      { id: `${teamId}-amhp-b`, phone: phone(2) },
    ],
    manager: { id: `${teamId}-manager`, phone: phone(3) },
    fallbackPhone: phone(4),
  };
  const ok = (result: { ok: boolean }, what: string) => {
    if (!result.ok) throw new Error(`race ${what} did not validate: ${JSON.stringify(result)}`);
  };
  ok(
    await putTeam(deps, teamId, {
      name: `Race team ${run}`,
      areas: [district],
      escalation: { ackTimeoutSeconds: 60, repeat: 0 },
      continuity: 'ignore',
      fallbackPhone: team.fallbackPhone,
    }),
    'team',
  );
  const people = [...team.amhps.map((a) => ({ ...a, roles: ['amhp'] })), { ...team.manager, roles: ['manager'] }];
  for (const person of people) {
    ok(await putStaff(deps, person.id, { name: `Staff ${person.id}`, phone: person.phone, teamIds: [teamId], roles: person.roles }), 'staff');
  }
  const start = new Date(world.clock.now.getTime() - HOUR).toISOString();
  const end = new Date(world.clock.now.getTime() + 12 * HOUR).toISOString();
  ok(
    await putRota(deps, teamId, {
      shifts: [
        { staffId: team.amhps[0]!.id, position: 'primary', start, end },
        { staffId: team.amhps[1]!.id, position: 'secondary', start, end },
        { staffId: team.manager.id, position: 'manager', start, end },
      ],
    }),
    'rota',
  );
  return team;
}

export const REFERRER_PHONE = '+447700900201';

/** A GP's referral about someone in the team's district; no person's details matter to a race. */
export async function submitTo(world: RaceWorld, team: RaceTeam): Promise<string> {
  const body = {
    referrer: { name: 'Dr Race', kind: 'gp', organisation: 'Race Surgery', phone: '07700 900201' },
    subject: {
      givenName: 'Test',
      familyName: 'Person',
      dateOfBirth: '1980-01-01',
      nhsNumber: '943 476 5919',
      currentLocation: { kind: 'home', postcode: `${team.district} 1AA` },
    },
    legal: { status: 'none' },
    reason: 'race test',
    risks: [],
    urgency: 'immediate',
  };
  const result = await submitReferral(world.deps, { userId: 'race-gp', body });
  if (result.kind !== 'accepted') throw new Error(`race referral refused: ${JSON.stringify(result)}`);
  return result.referral.id;
}

/**
 * The scheduler chooses the next call to let through only once no call is on the wire, so that
 * each choice is between racers all waiting at a gate (else a racer with no I/O would run ahead
 * while the others wait for the emulator, and most interleavings would never be tried).
 */
export function quiescent(world: RaceWorld) {
  return async (release: () => Promise<unknown>) => {
    while (world.gate.inFlight > 0) await new Promise((resolve) => setImmediate(resolve));
    await release();
  };
}

/** What the reconciler would do a minute on: finish every effect still pending, ungated. */
export async function settle(world: RaceWorld): Promise<void> {
  world.gate.scheduler = null;
  for (let round = 0; round < 3; round++) await reconcileOutboxes(world.deps, -1);
}

/** Texts sent more than once to the same phone with the same words: each is an effect carried out twice. */
export function doubleSms(world: RaceWorld, reference: string): string[] {
  const seen = new Map<string, number>();
  for (const message of world.sms.list()) {
    if (message.direction !== 'outbound' || !message.body.includes(reference)) continue;
    const key = `${message.phone} ${message.body}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen].filter(([, count]) => count > 1).map(([key, count]) => `${count}× ${key}`);
}

/** The run's SMS to one phone. */
export const smsTo = (world: RaceWorld, phone: string, reference: string) =>
  world.sms.list(phone).filter((message) => message.direction === 'outbound' && message.body.includes(reference));
