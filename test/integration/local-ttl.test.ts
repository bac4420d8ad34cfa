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

  it('finds every expired item of a large table by reading dynalite where it runs, never by a Scan, and deletes only those', async () => {
    // The directory table, which the runtime's own sweeper leaves alone, swept by one of our own that never runs by itself.
    const client = new DynamoDBClient({ region: 'eu-west-2', endpoint: runtime.emulators.dynamodbEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const sent: string[] = [];
    client.middlewareStack.add((next, context) => (args) => (sent.push(context.commandName ?? ''), next(args)), { step: 'initialize' });
    const sweeper = new TtlSweeper(client, [{ tableName: runtime.resources.tableNames.directory, partitionKey: 'pk', sortKey: 'sk', attribute: 'pagedExpiry' }], {
      now: () => new Date(NOW),
      intervalMs: 3_600_000,
      onError: (error) => {
        throw error;
      },
      findExpired: runtime.emulators.expiredKeys,
    });
    const expired = Array.from({ length: 450 }, (_, i) => `TTL#paged-${i}`);
    const kept = Array.from({ length: 1_550 }, (_, i) => `TTL#kept-${i}`);
    await Promise.all(expired.map((pk) => put('directory', pk, { pagedExpiry: nowSeconds - 10 })));
    // Kept: not yet expired, a nested value of the same name, a string value.
    await Promise.all(
      kept.map((pk, i) => put('directory', pk, i % 3 === 0 ? { pagedExpiry: nowSeconds + 600 } : i % 3 === 1 ? { nested: { pagedExpiry: nowSeconds - 10 } } : { pagedExpiry: String(nowSeconds - 10) })),
    );
    expect(await sweeper.sweep()).toBe(450);
    expect(sent.filter((name) => name !== 'DeleteItemCommand')).toEqual([]);
    expect(sent).toHaveLength(450);
    const left = await Promise.all(expired.map((pk) => exists('directory', pk)));
    expect(left.filter(Boolean)).toHaveLength(0);
    const still = await Promise.all(kept.map((pk) => exists('directory', pk)));
    expect(still.filter((present) => !present)).toHaveLength(0);
    client.destroy();
  });

  it('keeps an item whose expiry moved on after it was found expired: the delete is conditional', async () => {
    await put('referrals', 'TTL#moved-on', { expiresAt: nowSeconds + 3_600 });
    const sweeper = new TtlSweeper(
      new DynamoDBClient({ region: 'eu-west-2', endpoint: runtime.emulators.dynamodbEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
      [{ tableName: runtime.resources.tableNames.referrals, partitionKey: 'pk', sortKey: 'sk', attribute: 'expiresAt' }],
      { now: () => new Date(NOW), intervalMs: 3_600_000, onError: () => undefined, findExpired: () => Promise.resolve([{ pk: { S: 'TTL#moved-on' }, sk: { S: 'ITEM' } }]) },
    );
    expect(await sweeper.sweep()).toBe(0);
    expect(await exists('referrals', 'TTL#moved-on')).toBe(true);
  });

  it('runs by itself every interval', async () => {
    await put('referrals', 'TTL#swept-in-the-background', { expiresAt: nowSeconds - 3_600 });
    await until(async () => !(await exists('referrals', 'TTL#swept-in-the-background')));
  });
});

describe('the local TTL sweep, with the emulators on worker threads (the load bench\'s setting)', () => {
  it('finds expired items by asking the DynamoDB emulator\'s thread, and deletes them', async () => {
    const threaded = await startLocalRuntime({ port: 0, seed: false, emulatorThreads: true, now: () => new Date(NOW), timing: { ttlSweepIntervalMs: 3_600_000 } });
    const client = DynamoDBDocumentClient.from(
      new DynamoDBClient({ region: 'eu-west-2', endpoint: threaded.emulators.dynamodbEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    );
    try {
      const table = threaded.resources.tableNames.referrals;
      await client.send(new PutCommand({ TableName: table, Item: { pk: 'TTL#threaded-expired', sk: 'ITEM', expiresAt: nowSeconds - 1 } }));
      await client.send(new PutCommand({ TableName: table, Item: { pk: 'TTL#threaded-kept', sk: 'ITEM', expiresAt: nowSeconds + 60 } }));
      expect(await threaded.ttl.sweep()).toBe(1);
      expect((await client.send(new GetCommand({ TableName: table, Key: { pk: 'TTL#threaded-expired', sk: 'ITEM' } }))).Item).toBeUndefined();
      expect((await client.send(new GetCommand({ TableName: table, Key: { pk: 'TTL#threaded-kept', sk: 'ITEM' } }))).Item).toBeDefined();
    } finally {
      client.destroy();
      await threaded.stop();
    }
  }, 30_000);
});
