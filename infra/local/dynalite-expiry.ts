/**
 * dynalite with a way to find its expired items, for the local TTL sweep (infra/local/ttl-sweeper.ts).
 * A Scan would find them too, but dynalite serves every request on one thread and a Scan costs it
 * about 0.2 ms an item (sizes and filters computed with arbitrary-precision numbers): a sweep of a
 * 16,000-item table held it 4.6 s, in which the pipeline's own requests queued (issue 11: the
 * escalation bench's late windows were the sweeps). So the sweep reads dynalite's store where
 * dynalite runs, in its own thread or process, as raw JSON text, parsing only items that name the
 * TTL attribute as a number; the deletes still go through DeleteItem, conditional on the item
 * still being expired, so dynalite keeps its indexes and an item whose expiry moved on is kept.
 *
 * The store is dynalite's own (`db.create`, a memory-level database; items are DynamoDB JSON
 * under `item-{table}~`); test/integration/local-ttl.test.ts fails if an upgrade moves it.
 * Plain erasable TypeScript: the emulator worker runs it as it is.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Server } from 'node:http';
import { setImmediate as breathe } from 'node:timers/promises';
import dynalite from 'dynalite';
import dynaliteDb from 'dynalite/db/index.js';

export interface ExpiryQuery {
  tableName: string;
  partitionKey: string;
  sortKey: string;
  attribute: string;
  /** Epoch seconds: items whose TTL value is below `before` and at least `notBefore` are expired. */
  before: number;
  notBefore: number;
}

export type ItemKey = Record<string, AttributeValue>;

export interface DynaliteWithExpiry {
  server: Server;
  expiredKeys(query: ExpiryQuery): Promise<ItemKey[]>;
}

/** Items read between breaths, so dynalite's requests are served while a sweep reads. */
const ITEMS_PER_BREATH = 500;

export function dynaliteWithExpiry(): DynaliteWithExpiry {
  const create = dynaliteDb.create;
  let store: ReturnType<typeof create> | undefined;
  dynaliteDb.create = (options) => (store = create(options));
  let server: Server;
  try {
    server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  } finally {
    dynaliteDb.create = create;
  }
  if (!store?.db?.iterator) throw new Error("dynalite's store was not found: the local TTL sweep cannot read it (has dynalite changed?)");
  const db = store.db;
  return {
    server,
    async expiredKeys(query) {
      const prefix = `item-${query.tableName}~`;
      const marker = `"${query.attribute}":{"N":"`;
      const keys: ItemKey[] = [];
      const iterator = db.iterator({ gte: prefix, lt: `${prefix}\xff`, keys: false, valueEncoding: 'utf8' });
      try {
        for (;;) {
          const batch = await iterator.nextv(ITEMS_PER_BREATH);
          if (batch.length === 0) break;
          for (const [, text] of batch) {
            if (!text.includes(marker)) continue;
            const item = JSON.parse(text) as Record<string, AttributeValue>;
            const value = Number(item[query.attribute]?.N);
            if (value < query.before && value >= query.notBefore) {
              keys.push({ [query.partitionKey]: item[query.partitionKey]!, [query.sortKey]: item[query.sortKey]! });
            }
          }
          await breathe();
        }
      } finally {
        await iterator.close();
      }
      return keys;
    },
  };
}
