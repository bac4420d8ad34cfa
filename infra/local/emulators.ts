import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { buildApp } from 'fauxqs';

export interface Emulators {
  dynamodbEndpoint: string;
  /** fauxqs serves SQS and SNS on one endpoint. */
  messagingEndpoint: string;
  stop(): Promise<void>;
}

/**
 * dynalite (DynamoDB) and fauxqs (SQS and SNS), in this process, on free loopback ports, so that
 * several runtimes can run side by side and nothing is reachable from outside the machine.
 */
export async function startEmulators(region: string): Promise<Emulators> {
  const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    dynamo.once('error', reject);
    dynamo.listen(0, '127.0.0.1', () => resolve());
  });
  const messaging = buildApp({ logger: false, defaultRegion: region });
  const messagingAddress = await messaging.listen({ port: 0, host: '127.0.0.1' });
  return {
    dynamodbEndpoint: `http://127.0.0.1:${(dynamo.address() as AddressInfo).port}`,
    messagingEndpoint: messagingAddress,
    async stop() {
      await messaging.close();
      await new Promise<void>((resolve) => dynamo.close(() => resolve()));
    },
  };
}
