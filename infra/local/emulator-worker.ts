/**
 * One emulator on its own thread (infra/local/emulators.ts): it answers on a free loopback port,
 * posts that port back, and closes when told. Plain erasable TypeScript, so Node runs it as it is.
 */
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import dynalite from 'dynalite';
import { buildApp } from 'fauxqs';

const { kind, region } = workerData as { kind: 'dynamodb' | 'messaging'; region: string };
const port = parentPort;
if (!port) throw new Error('emulator-worker.ts runs as a worker thread');

if (kind === 'dynamodb') {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  server.listen(0, '127.0.0.1', () => port.postMessage({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  port.once('message', () => server.close(() => port.close()));
} else {
  const app = buildApp({ logger: false, defaultRegion: region });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  port.postMessage({ url });
  port.once('message', () => void app.close().then(() => port.close()));
}
