import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDirectoryStore } from '../../../shared/adapters/dynamo-directory-store.ts';
import { dynamo, resetAws } from '../../support/aws.ts';
import { TABLES } from '../../support/dependencies.ts';

/** Who is busy is read for every routing: one BatchGetItem, however many are on duty. */

const busyKey = (staffId: string) => ({ pk: `STAFF#${staffId}`, sk: 'BUSY' });
const marker = (staffId: string) => ({ ...busyKey(staffId), referralIds: new Set(['ref-1']) });
const batchGets = () => dynamo.commandCalls(BatchGetCommand).map((call) => call.args[0].input);

let store: DynamoDirectoryStore;

beforeEach(() => {
  resetAws();
  store = new DynamoDirectoryStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-2' })), TABLES.directory);
});

describe('busy staff', () => {
  it('asks again for the keys DynamoDB left unprocessed (throttling), and counts only those holding a referral', async () => {
    dynamo
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { [TABLES.directory]: [marker('amhp-a')] }, UnprocessedKeys: { [TABLES.directory]: { Keys: [busyKey('amhp-b'), busyKey('amhp-c')] } } })
      .resolvesOnce({ Responses: { [TABLES.directory]: [marker('amhp-b'), { ...busyKey('amhp-c'), referralIds: new Set() }] } });
    const busy = await store.busyStaff(['amhp-a', 'amhp-b', 'amhp-c', 'amhp-a']);
    expect([...busy].sort()).toEqual(['amhp-a', 'amhp-b']);
    expect(batchGets().map((input) => input.RequestItems?.[TABLES.directory]?.Keys)).toEqual([
      [busyKey('amhp-a'), busyKey('amhp-b'), busyKey('amhp-c')],
      [busyKey('amhp-b'), busyKey('amhp-c')],
    ]);
  });

  it('fails for a retry rather than call someone free when the markers stay unprocessed', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: {}, UnprocessedKeys: { [TABLES.directory]: { Keys: [busyKey('amhp-a')] } } });
    await expect(store.busyStaff(['amhp-a'])).rejects.toThrow(/unprocessed/);
    expect(batchGets()).toHaveLength(5);
  });

  it('reads nobody for an empty list', async () => {
    expect((await store.busyStaff([])).size).toBe(0);
    expect(batchGets()).toHaveLength(0);
  });
});
