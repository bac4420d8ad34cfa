import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { buildApp } from 'fauxqs';
import { dynaliteWithExpiry, type ExpiryQuery, type ItemKey } from './dynalite-expiry.ts';

export interface Emulators {
  dynamodbEndpoint: string;
  /** fauxqs serves SQS and SNS on one endpoint. */
  messagingEndpoint: string;
  /** The keys of a table's expired items, read where dynalite runs (the local TTL sweep's, infra/local/ttl-sweeper.ts). */
  expiredKeys(query: ExpiryQuery): Promise<ItemKey[]>;
  stop(): Promise<void>;
}

/**
 * dynalite (DynamoDB) and fauxqs (SQS and SNS), in this process, on free loopback ports, so that
 * several runtimes can run side by side and nothing is reachable from outside the machine.
 */
export async function startEmulators(region: string, options: { threads?: boolean } = {}): Promise<Emulators> {
  if (options.threads) return startEmulatorThreads(region);
  const { server: dynamo, expiredKeys } = dynaliteWithExpiry();
  await new Promise<void>((resolve, reject) => {
    dynamo.once('error', reject);
    dynamo.listen(0, '127.0.0.1', () => resolve());
  });
  const messaging = buildApp({ logger: false, defaultRegion: region });
  const messagingAddress = await messaging.listen({ port: 0, host: '127.0.0.1' });
  return {
    dynamodbEndpoint: `http://127.0.0.1:${(dynamo.address() as AddressInfo).port}`,
    messagingEndpoint: messagingAddress,
    expiredKeys,
    async stop() {
      await messaging.close();
      await new Promise<void>((resolve) => dynamo.close(() => resolve()));
    },
  };
}

/**
 * The same emulators, each on a worker thread of this process: the functions, DynamoDB and SQS/SNS
 * then use separate cores instead of taking turns on one (the load benchmark's setting).
 */
async function startEmulatorThreads(region: string): Promise<Emulators> {
  const start = (kind: 'dynamodb' | 'messaging') =>
    new Promise<{ worker: Worker; url: string }>((resolve, reject) => {
      const worker = new Worker(new URL('./emulator-worker.ts', import.meta.url), { workerData: { kind, region } });
      worker.once('message', (message: { url: string }) => resolve({ worker, url: message.url }));
      worker.once('error', reject);
    });
  const [dynamodb, messaging] = await Promise.all([start('dynamodb'), start('messaging')]);
  const asked = new Map<number, { resolve: (keys: ItemKey[]) => void; reject: (error: Error) => void }>();
  let lastId = 0;
  dynamodb.worker.on('message', (message: { id: number; keys?: ItemKey[]; error?: string }) => {
    const question = asked.get(message.id);
    asked.delete(message.id);
    if (message.error !== undefined) question?.reject(new Error(message.error));
    else question?.resolve(message.keys ?? []);
  });
  dynamodb.worker.once('exit', () => {
    for (const question of asked.values()) question.reject(new Error('the DynamoDB emulator has stopped'));
    asked.clear();
  });
  const stop = ({ worker }: { worker: Worker }) =>
    new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      worker.postMessage('stop');
      // A worker that does not close in time is ended: stop() must not hang a test run.
      setTimeout(() => void worker.terminate(), 2_000).unref();
    });
  return {
    dynamodbEndpoint: dynamodb.url,
    messagingEndpoint: messaging.url,
    expiredKeys(query) {
      const id = ++lastId;
      return new Promise<ItemKey[]>((resolve, reject) => {
        asked.set(id, { resolve, reject });
        dynamodb.worker.postMessage({ id, expired: query });
      });
    },
    async stop() {
      await Promise.all([stop(messaging), stop(dynamodb)]);
    },
  };
}
