import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { TtlSweeper } from '../../infra/local/ttl-sweeper.ts';

/**
 * dynalite has no TTL; the local runtime sweeps expired items itself, as DynamoDB does in the
 * background: only tables the definition gives a TTL attribute, only numeric epoch-seconds values
 * in the past (not a date string, not one more than five years past, as AWS ignores those).
 */

const NOW = new Date('2026-11-25T02:00:00Z');
const nowSeconds = NOW.getTime() / 1000;

let runtime: LocalRuntime;
let db: DynamoDBDocumentClient;

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, seed: false, now: () => new Date(NOW), timing: { ttlSweepIntervalMs: 100 } });
  db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: 'eu-west-2', endpoint: runtime.emulators.dynamodbEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
}, 30_000);

afterAll(async () => {
  await runtime?.stop();
  db?.destroy();
});

const put = (table: 'referrals' | 'directory', pk: string, attributes: Record<string, unknown>) =>
  db.send(new PutCommand({ TableName: runtime.resources.tableNames[table], Item: { pk, sk: 'ITEM', ...attributes } }));
const exists = async (table: 'referrals' | 'directory', pk: string) =>
  (await db.send(new GetCommand({ TableName: runtime.resources.tableNames[table], Key: { pk, sk: 'ITEM' } }))).Item !== undefined;

async function until(check: () => Promise<boolean>, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the local TTL sweep', () => {
  it('sweeps the tables the definition gives a TTL attribute, by that attribute', () => {
    expect(runtime.wiring.timeToLive).toEqual([{ table: 'referrals', attribute: 'expiresAt' }]);
  });

  it('deletes items whose numeric expiresAt is past, and keeps the rest', async () => {
    await put('referrals', 'TTL#expired', { expiresAt: nowSeconds - 1 });
    await put('referrals', 'TTL#expires-later', { expiresAt: nowSeconds + 60 });
    await put('referrals', 'TTL#no-expiry', {});
    await put('referrals', 'TTL#date-string', { expiresAt: '2020-01-01T00:00:00.000Z' });
    await put('referrals', 'TTL#over-five-years-past', { expiresAt: nowSeconds - 6 * 365 * 86_400 });
    await put('directory', 'TTL#directory-has-no-ttl', { expiresAt: nowSeconds - 1 });

    // The background sweep (every 100 ms here) may get there first: either way, one sweep has run.
    await runtime.ttl.sweep();
    expect(await exists('referrals', 'TTL#expired')).toBe(false);
    for (const kept of ['TTL#expires-later', 'TTL#no-expiry', 'TTL#date-string', 'TTL#over-five-years-past']) {
      expect(await exists('referrals', kept), kept).toBe(true);
    }
    expect(await exists('directory', 'TTL#directory-has-no-ttl')).toBe(true);
  });

  it('reaches every expired item of a table larger than one of its small scan pages, in one sweep', async () => {
    // The directory table, which the runtime's own sweeper leaves alone, swept by one of our own that never runs by itself.
    const client = new DynamoDBClient({ region: 'eu-west-2', endpoint: runtime.emulators.dynamodbEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const sweeper = new TtlSweeper(client, [{ tableName: runtime.resources.tableNames.directory, partitionKey: 'pk', sortKey: 'sk', attribute: 'pagedExpiry' }], {
      now: () => new Date(NOW),
      intervalMs: 3_600_000,
      onError: (error) => {
        throw error;
      },
    });
    const keys = Array.from({ length: 450 }, (_, i) => `TTL#paged-${i}`);
    for (const pk of keys) await put('directory', pk, { pagedExpiry: nowSeconds - 10 });
    await put('directory', 'TTL#paged-kept', { pagedExpiry: nowSeconds + 600 });
    expect(await sweeper.sweep()).toBe(450);
    const left = await Promise.all(keys.map((pk) => exists('directory', pk)));
    expect(left.filter(Boolean)).toHaveLength(0);
    expect(await exists('directory', 'TTL#paged-kept')).toBe(true);
    client.destroy();
  });

  it('runs by itself every interval', async () => {
    await put('referrals', 'TTL#swept-in-the-background', { expiresAt: nowSeconds - 3_600 });
    await until(async () => !(await exists('referrals', 'TTL#swept-in-the-background')));
  });
});
