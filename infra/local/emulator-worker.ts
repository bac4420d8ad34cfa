/**
 * One emulator on its own thread (infra/local/emulators.ts): it answers on a free loopback port,
 * posts that port back, and closes when told. The DynamoDB one also answers the TTL sweep's
 * questions (which items have expired, infra/local/dynalite-expiry.ts), by message, as each
 * must be read where dynalite runs. Plain erasable TypeScript, so Node runs it as it is.
 */
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { buildApp } from 'fauxqs';
import { dynaliteWithExpiry, type ExpiryQuery } from './dynalite-expiry.ts';

const { kind, region } = workerData as { kind: 'dynamodb' | 'messaging'; region: string };
const port = parentPort;
if (!port) throw new Error('emulator-worker.ts runs as a worker thread');

if (kind === 'dynamodb') {
  const { server, expiredKeys } = dynaliteWithExpiry();
  server.listen(0, '127.0.0.1', () => port.postMessage({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  port.on('message', (message: 'stop' | { id: number; expired: ExpiryQuery }) => {
    if (message === 'stop') {
      server.close(() => port.close());
      return;
    }
    expiredKeys(message.expired).then(
      (keys) => port.postMessage({ id: message.id, keys }),
      (error: unknown) => port.postMessage({ id: message.id, error: String(error) }),
    );
  });
} else {
  const app = buildApp({ logger: false, defaultRegion: region });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  port.postMessage({ url });
  port.once('message', () => void app.close().then(() => port.close()));
}
