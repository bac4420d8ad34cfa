import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createDependencies, type AdapterConfig } from '../../shared/adapters/dependencies.ts';
import type { RetentionPolicy } from '../../shared/domain/retention.ts';
import type { Dependencies, Log, SmsSender } from '../../shared/ports.ts';
import { functions, queueTriggers, scheduleTriggers, tables, topicTriggers, type FunctionName, type RouteDefinition, type TableName } from '../definition.ts';
import { startEmulators, type Emulators } from './emulators.ts';
import { serveApiRoute, readBody, send, type HttpInvoke } from './http-api.ts';
import { LocalIdentityProvider } from './identity.ts';
import { servePage } from './pages.ts';
import { serveLocalSignIn } from './sign-in.ts';
import { StaticIntegratorSecrets } from '../../shared/adapters/secrets-manager-integrators.ts';
import { provision, type ProvisionedResources } from './provision.ts';
import { QueuePoller, snsTrigger, sqsTrigger, type Invoke } from './queue-poller.ts';
import { ScheduledRunner } from './scheduler.ts';
import { LocalCanary } from './canary.ts';
import { seedDemoData } from './seed.ts';
import { LocalCallOutbox } from './call-outbox.ts';
import { LocalSmsOutbox } from './sms-outbox.ts';
import { TtlSweeper } from './ttl-sweeper.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const REGION = 'eu-west-2';
/** The service's own SMS number that replies are sent to, as an origination number would be. */
export const LOCAL_SERVICE_NUMBER = '+447700900000';

export interface LocalRuntimeOptions {
  /** HTTP port; 0 picks a free one. */
  port: number;
  seed: boolean;
  log?: Log;
  /** Parallel pollers per queue. */
  pollerConcurrency?: number;
  /** Faster timings for tests; the definition (and AWS) keep their own. */
  timing?: LocalTiming;
  /** Wraps each function as it is loaded: fault tests make one crash or fail on purpose. */
  wrapFunction?: (name: FunctionName, invoke: Invoke<unknown, unknown>) => Invoke<unknown, unknown>;
  /** Stands between the functions and the SMS outbox: fault tests make a phone unreachable. */
  wrapSms?: (outbox: SmsSender) => SmsSender;
  /** Told of each AWS client the functions' adapters make: the benchmark counts their calls by command. */
  onAwsClient?: AdapterConfig['onClient'];
  /** Runs the emulators on worker threads, so that they and the functions use separate cores. */
  emulatorThreads?: boolean;
  /** How long the person's details are kept (`npm start` reads the same environment variables as Lambda). */
  retention?: RetentionPolicy;
  /** The functions' clock (and the TTL sweep's); tests move it on to see what time does. */
  now?: () => Date;
  /**
   * Runs these functions from their bundles (infra/local/function-bundles.ts) rather than their
   * source: each wired by its bundle's own `createDependencies`, so the bundled handler, adapters
   * and AWS SDK are what talk to the emulators.
   */
  functionBundles?: Partial<Record<FunctionName, { localFile: string }>>;
}

export interface LocalTiming {
  /** Hides a received message for this long instead of the queue's visibility timeout. */
  visibilityTimeoutSeconds?: number;
  /** Runs the scheduled functions this often instead of every `everyMinutes`. */
  scheduleIntervalMs?: number;
  /** How long effects must be pending before the reconciler finishes them (60 s in AWS). */
  settleSeconds?: number;
  /** How often expired items are deleted (DynamoDB's TTL, which dynalite lacks); every minute unless set. */
  ttlSweepIntervalMs?: number;
  /**
   * Runs the canary this often instead of its schedule. Apart from `scheduleIntervalMs`, so that
   * tests which hurry the reconciler do not also fill the line with synthetic referrals.
   */
  canaryIntervalMs?: number;
  /**
   * Runs the shift notices this often instead of their schedule. Apart from `scheduleIntervalMs`,
   * so that tests which hurry the reconciler do not also text everyone on their rotas.
   */
  shiftNoticeIntervalMs?: number;
  /** Runs the morning handover this often instead of its schedule (apart from `scheduleIntervalMs`, as the shift notices). */
  handoverIntervalMs?: number;
  /** Runs the statistics roll-up job this often instead of hourly (apart from `scheduleIntervalMs`: tests run it when they mean to). */
  rollupIntervalMs?: number;
  /** How long the canary waits for routing and paging (60 s, as in AWS). */
  canaryRoutingTimeoutMs?: number;
}

/** What the runtime wired up, for the test that compares it with the synthesized stack. */
export interface LocalWiring {
  queueTriggers: { queue: string; function: string; batchSize: number; reportBatchItemFailures: boolean }[];
  topicTriggers: { topic: string; function: string }[];
  scheduleTriggers: { function: string; everyMinutes: number }[];
  /** Tables whose expired items the TTL sweep deletes, by their TTL attribute. */
  timeToLive: { table: TableName; attribute: string }[];
}

export interface LocalRuntime {
  url: string;
  wiring: LocalWiring;
  deps: Dependencies;
  outbox: LocalSmsOutbox;
  /** Every voice call the functions placed (`GET /local/calls?to=`). */
  calls: LocalCallOutbox;
  identity: LocalIdentityProvider;
  resources: ProvisionedResources;
  emulators: Emulators;
  sqs: SQSClient;
  /** The local telephony integrator: webhook requests signed with this secret are accepted. */
  telephony: { integrator: string; secret: string };
  /** Deletes expired items as DynamoDB's TTL does; `sweep()` runs it at once. */
  ttl: TtlSweeper;
  /** The canary's last run, which `/local` shows. */
  canary: LocalCanary;
  /** Runs a scheduled function now, as its schedule would (or waits for the run in flight). */
  runScheduled(name: FunctionName): Promise<void>;
  stop(): Promise<void>;
}

/** The integrator id whose webhook secret the local runtime knows (in AWS: Secrets Manager). */
export const LOCAL_TELEPHONY_INTEGRATOR = 'local-telephony';

type FunctionModule = {
  makeHandler?: (deps: Dependencies, settings?: unknown) => unknown;
  handler?: unknown;
  /** Exported by a bundle's `local.mjs` only: its own copy of shared/adapters/dependencies.ts. */
  createDependencies?: typeof createDependencies;
};

/** Loads each function from the entry the CDK stack bundles (or from the bundle itself), wired to the local adapters. */
function functionLoader(
  deps: Dependencies,
  options: LocalRuntimeOptions,
  bundledDependencies: (create: typeof createDependencies) => Dependencies,
  canary: LocalCanary,
) {
  const cache = new Map<FunctionName, Promise<unknown>>();
  // Settings a function's `makeHandler` takes besides its dependencies.
  const settings: Partial<Record<FunctionName, unknown>> = {
    reconciler: options.timing?.settleSeconds === undefined ? {} : { settleSeconds: options.timing.settleSeconds },
    canary: canary.settings,
  };
  const wrap = options.wrapFunction ?? ((_name, invoke) => invoke);
  return <E, R>(name: FunctionName): Promise<Invoke<E, R>> => {
    if (!cache.has(name)) {
      const bundle = options.functionBundles?.[name];
      const entry = pathToFileURL(bundle ? bundle.localFile : path.join(repoRoot, functions[name].entry)).href;
      cache.set(
        name,
        import(entry).then((mod: FunctionModule) => {
          const own = bundle && mod.createDependencies ? bundledDependencies(mod.createDependencies) : deps;
          return wrap(name, (mod.makeHandler ? mod.makeHandler(own, settings[name]) : mod.handler) as Invoke<unknown, unknown>);
        }),
      );
    }
    return cache.get(name) as Promise<Invoke<E, R>>;
  };
}

const quietLog: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

export function consoleLog(): Log {
  const line = (level: string) => (message: string, extra?: Record<string, unknown>) =>
    console.log(JSON.stringify({ level, timestamp: new Date().toISOString(), message, ...extra }));
  return { info: line('INFO'), warn: line('WARN'), error: line('ERROR') };
}

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const log = options.log ?? quietLog;
  const emulators = await startEmulators(REGION, { threads: options.emulatorThreads ?? false });
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const dynamodb = new DynamoDBClient({ region: REGION, endpoint: emulators.dynamodbEndpoint, credentials });
  const sqs = new SQSClient({ region: REGION, endpoint: emulators.messagingEndpoint, credentials });
  const sns = new SNSClient({ region: REGION, endpoint: emulators.messagingEndpoint, credentials });
  const resources = await provision({ dynamodb, sqs, sns }, `dutyline-local`);

  let handle: (request: IncomingMessage, response: ServerResponse) => Promise<void> = async (_req, res) =>
    send(res, 503, JSON.stringify({ message: 'starting' }));
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log.error('local HTTP request failed', { error: String(error) });
      if (!response.headersSent) send(response, 500, JSON.stringify({ message: 'Internal Server Error' }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const outbox = new LocalSmsOutbox();
  const calls = new LocalCallOutbox();
  const linkSecret = randomBytes(32).toString('base64url');
  const adapterConfig: AdapterConfig = {
    region: REGION,
    endpoints: { dynamodb: emulators.dynamodbEndpoint, sqs: emulators.messagingEndpoint, sns: emulators.messagingEndpoint },
    tableNames: resources.tableNames,
    queueUrls: resources.queueUrls,
    publicBaseUrl: url,
    linkSecret: async () => linkSecret,
    log,
    sms: options.wrapSms ? options.wrapSms(outbox) : outbox,
    voice: calls,
    ...(options.onAwsClient ? { onClient: options.onAwsClient } : {}),
    ...(options.retention ? { retention: options.retention } : {}),
    ...(options.now ? { now: options.now } : {}),
  };
  const deps = createDependencies(adapterConfig);
  const identity = new LocalIdentityProvider(deps.directory);
  // Web sign-in and telephony webhooks: the local identity provider and a local secret stand in
  // for Cognito and Secrets Manager.
  const telephony = { integrator: LOCAL_TELEPHONY_INTEGRATOR, secret: randomBytes(32).toString('base64url') };
  deps.sessions = identity.sessionVerifier;
  deps.signIn = identity;
  deps.integratorSecrets = new StaticIntegratorSecrets({ [telephony.integrator]: telephony.secret });
  // A bundled function's own adapters, with the runtime's stand-ins and metrics (which tests read).
  const bundledDependencies = (create: typeof createDependencies): Dependencies => ({
    ...create({ ...adapterConfig, metrics: deps.metrics }),
    ...(deps.sessions ? { sessions: deps.sessions } : {}),
    ...(deps.signIn ? { signIn: deps.signIn } : {}),
    ...(deps.integratorSecrets ? { integratorSecrets: deps.integratorSecrets } : {}),
  });
  const canary = new LocalCanary(url, identity, outbox, options.timing?.canaryRoutingTimeoutMs);
  const load = functionLoader(deps, options, bundledDependencies, canary);

  const onError = (error: unknown) => log.error('local trigger failed', { error: error instanceof Error ? error.name : 'unknown' });
  const queueArn = async (queueUrl: string) =>
    (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn ?? '';
  const pollers: QueuePoller[] = [];
  const wiring: LocalWiring = { queueTriggers: [], topicTriggers: [], scheduleTriggers: [], timeToLive: [] };
  for (const trigger of queueTriggers) {
    const queueUrl = resources.queueUrls[trigger.queue];
    const base = {
      sqs,
      queueUrl,
      queueArn: await queueArn(queueUrl),
      region: REGION,
      functionName: trigger.function,
      batchSize: trigger.batchSize,
      concurrency: options.pollerConcurrency ?? 2,
      visibilityTimeoutSeconds: options.timing?.visibilityTimeoutSeconds,
      onError,
    };
    const fn = await load(trigger.function);
    pollers.push(sqsTrigger(base, fn as Parameters<typeof sqsTrigger>[1]));
    wiring.queueTriggers.push({ queue: trigger.queue, function: trigger.function, batchSize: base.batchSize, reportBatchItemFailures: true });
  }
  for (const trigger of topicTriggers) {
    const queueUrl = resources.topicDeliveryQueueUrls[trigger.topic];
    const base = {
      sqs,
      queueUrl,
      queueArn: await queueArn(queueUrl),
      region: REGION,
      functionName: trigger.function,
      batchSize: 1,
      concurrency: 1,
      visibilityTimeoutSeconds: options.timing?.visibilityTimeoutSeconds,
      onError,
    };
    const fn = await load(trigger.function);
    pollers.push(snsTrigger(base, resources.topicArns[trigger.topic], fn as Parameters<typeof snsTrigger>[2]));
    wiring.topicTriggers.push({ topic: trigger.topic, function: trigger.function });
  }

  const schedules = new Map<FunctionName, ScheduledRunner>();
  for (const trigger of scheduleTriggers) {
    const apart: Partial<Record<FunctionName, number | undefined>> = {
      canary: options.timing?.canaryIntervalMs,
      shiftNotices: options.timing?.shiftNoticeIntervalMs,
      handover: options.timing?.handoverIntervalMs,
      statisticsRollups: options.timing?.rollupIntervalMs,
    };
    const hurried = trigger.function in apart ? apart[trigger.function] : options.timing?.scheduleIntervalMs;
    const intervalMs = hurried ?? trigger.everyMinutes * 60_000;
    const fn = await load(trigger.function);
    schedules.set(
      trigger.function,
      new ScheduledRunner({ functionName: trigger.function, intervalMs, region: REGION, onError }, fn as ConstructorParameters<typeof ScheduledRunner>[1]),
    );
    wiring.scheduleTriggers.push({ function: trigger.function, everyMinutes: intervalMs / 60_000 });
  }

  const ttlTables = (Object.entries(tables) as [TableName, (typeof tables)[TableName]][]).flatMap(([key, table]) =>
    table.timeToLiveAttribute ? [{ key, tableName: resources.tableNames[key], partitionKey: table.partitionKey, sortKey: table.sortKey, attribute: table.timeToLiveAttribute }] : [],
  );
  const ttl = new TtlSweeper(dynamodb, ttlTables, {
    now: options.now ?? (() => new Date()),
    intervalMs: options.timing?.ttlSweepIntervalMs ?? 60_000,
    onError,
    findExpired: emulators.expiredKeys,
  });
  wiring.timeToLive = ttlTables.map(({ key, attribute }) => ({ table: key, attribute }));

  if (options.seed) await seedDemoData(deps, identity);

  const publishInboundSms = async (from: string, body: string) => {
    outbox.record('inbound', from, body);
    await sns.send(
      new PublishCommand({
        TopicArn: resources.topicArns.inboundSms,
        Message: JSON.stringify({
          originationNumber: from,
          destinationNumber: LOCAL_SERVICE_NUMBER,
          messageKeyword: 'KEYWORD_LOCAL',
          messageBody: body,
          inboundMessageId: randomUUID(),
        }),
      }),
    );
  };

  handle = async (request, response) => {
    const requestUrl = new URL(request.url ?? '/', url);
    if (await serveLocalRoute(request, response, requestUrl)) return;
    if (await serveLocalSignIn(request, response, requestUrl, identity, url)) return;
    const invoker = (route: RouteDefinition) => load(route.function) as Promise<HttpInvoke>;
    const onApiError = (error: unknown, requestId: string) =>
      log.error('function failed', { requestId, error: error instanceof Error ? error.name : 'unknown' });
    if (await serveApiRoute(request, response, requestUrl, identity, invoker, onApiError)) return;
    if (await servePage(request, response, requestUrl, { outbox, calls, reply: publishInboundSms, canary: () => canary.last })) return;
    send(response, 404, JSON.stringify({ message: 'Not Found' }));
  };

  async function serveLocalRoute(request: IncomingMessage, response: ServerResponse, requestUrl: URL): Promise<boolean> {
    const route = `${request.method} ${requestUrl.pathname}`;
    if (route === 'GET /local/sms') {
      const to = requestUrl.searchParams.get('to') ?? undefined;
      send(response, 200, JSON.stringify({ messages: outbox.list(to) }));
      return true;
    }
    if (route === 'GET /local/calls') {
      const to = requestUrl.searchParams.get('to') ?? undefined;
      send(response, 200, JSON.stringify({ calls: calls.list(to) }));
      return true;
    }
    if (route !== 'POST /local/login' && route !== 'POST /local/sms/inbound') return false;
    const raw = await readBody(request, 64 * 1024);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw?.toString('utf8') ?? '') as Record<string, unknown>;
      if (typeof body !== 'object' || body === null) throw new Error('not an object');
    } catch {
      send(response, 400, JSON.stringify({ error: 'invalid_json', message: 'the body must be a JSON object' }));
      return true;
    }
    if (route === 'POST /local/login') {
      const { username, roles } = body;
      if (typeof username !== 'string' || username === '' || (roles !== undefined && !Array.isArray(roles))) {
        send(response, 400, JSON.stringify({ error: 'validation_failed', message: 'username is required; roles must be a list', issues: [{ path: 'username', message: 'is required' }] }));
        return true;
      }
      const result = await identity.signIn(username, roles as string[] | undefined);
      send(response, 'token' in result ? 200 : 401, JSON.stringify('token' in result ? result : { error: 'unknown_user', message: result.error }));
      return true;
    }
    const { from, body: text } = body;
    if (typeof from !== 'string' || typeof text !== 'string') {
      send(response, 400, JSON.stringify({ error: 'validation_failed', message: 'from and body are required', issues: [{ path: typeof from !== 'string' ? 'from' : 'body', message: 'is required text' }] }));
      return true;
    }
    await publishInboundSms(from, text);
    send(response, 202, JSON.stringify({ status: 'queued' }));
    return true;
  }

  for (const poller of pollers) poller.start();
  for (const schedule of schedules.values()) schedule.start();
  ttl.start();

  return {
    url,
    wiring,
    deps,
    outbox,
    calls,
    identity,
    resources,
    emulators,
    sqs,
    telephony,
    ttl,
    canary,
    async runScheduled(name) {
      const schedule = schedules.get(name);
      if (!schedule) throw new Error(`${name} has no schedule`);
      await schedule.runOnce();
    },
    async stop() {
      await ttl.stop();
      await Promise.all([...schedules.values()].map((s) => s.stop()));
      await Promise.all(pollers.map((p) => p.stop()));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await emulators.stop();
      dynamodb.destroy();
      sqs.destroy();
      sns.destroy();
    },
  };
}
