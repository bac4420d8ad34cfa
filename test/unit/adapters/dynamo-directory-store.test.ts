import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDirectoryStore } from '../../../shared/adapters/dynamo-directory-store.ts';
import { dynamo, resetAws } from '../../support/aws.ts';
import { TABLES } from '../../support/dependencies.ts';

/** Who is on duty, and who of them is busy, is read for every routing: one BatchGetItem, however many are on duty. */

const busyKey = (staffId: string) => ({ pk: `STAFF#${staffId}`, sk: 'BUSY' });
const staffKey = (staffId: string) => ({ pk: `STAFF#${staffId}`, sk: 'STAFF' });
const record = (staffId: string) => ({ ...staffKey(staffId), id: staffId, name: staffId, phone: '+447700900999', teamIds: ['leeds-edt'], roles: ['amhp'] });
const marker = (staffId: string) => ({ ...busyKey(staffId), referralIds: new Set(['ref-1']) });
const batchGets = () => dynamo.commandCalls(BatchGetCommand).map((call) => call.args[0].input);

let store: DynamoDirectoryStore;

beforeEach(() => {
  resetAws();
  store = new DynamoDirectoryStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-2' })), TABLES.directory);
});

describe('staff on duty, read for routing', () => {
  it('reads the records and busy markers of everyone on duty in one BatchGetItem, and counts only markers holding a referral', async () => {
    dynamo.on(BatchGetCommand).resolves({
      Responses: { [TABLES.directory]: [record('amhp-a'), marker('amhp-a'), record('amhp-b'), { ...busyKey('amhp-b'), referralIds: new Set() }] },
    });
    const { staff, busy } = await store.staffOnDuty(['amhp-a', 'amhp-b', 'amhp-a']);
    expect([...busy]).toEqual(['amhp-a']);
    expect(staff.get('amhp-b')).toEqual({ id: 'amhp-b', name: 'amhp-b', phone: '+447700900999', teamIds: ['leeds-edt'], roles: ['amhp'] });
    expect(batchGets().map((input) => input.RequestItems?.[TABLES.directory]?.Keys)).toEqual([
      [staffKey('amhp-a'), busyKey('amhp-a'), staffKey('amhp-b'), busyKey('amhp-b')],
    ]);
  });

  it('asks again for the keys DynamoDB left unprocessed (throttling)', async () => {
    dynamo
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { [TABLES.directory]: [record('amhp-a')] }, UnprocessedKeys: { [TABLES.directory]: { Keys: [busyKey('amhp-a')] } } })
      .resolvesOnce({ Responses: { [TABLES.directory]: [marker('amhp-a')] } });
    const { staff, busy } = await store.staffOnDuty(['amhp-a']);
    expect([...busy]).toEqual(['amhp-a']);
    expect([...staff.keys()]).toEqual(['amhp-a']);
    expect(batchGets().map((input) => input.RequestItems?.[TABLES.directory]?.Keys)).toEqual([[staffKey('amhp-a'), busyKey('amhp-a')], [busyKey('amhp-a')]]);
  });

  it('fails for a retry rather than call someone busy free when the markers stay unprocessed', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: {}, UnprocessedKeys: { [TABLES.directory]: { Keys: [busyKey('amhp-a')] } } });
    await expect(store.staffOnDuty(['amhp-a'])).rejects.toThrow(/unprocessed/);
    expect(batchGets()).toHaveLength(5);
  });

  it('reads nobody for an empty list', async () => {
    expect((await store.staffOnDuty([])).busy.size).toBe(0);
    expect(batchGets()).toHaveLength(0);
  });
});

describe('staff records by id, for names on the statistics', () => {
  it('reads them a hundred to a BatchGetItem, each once, and leaves out those not found', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => `amhp-${i}`);
    dynamo.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: { pk: string }[] }> }) => ({
      Responses: { [TABLES.directory]: input.RequestItems[TABLES.directory]!.Keys.filter((key) => key.pk !== 'STAFF#amhp-7').map((key) => record(key.pk.slice('STAFF#'.length))) },
    }));
    const staff = await store.getStaffMany!([...ids, 'amhp-0']);
    expect(batchGets().map((input) => input.RequestItems?.[TABLES.directory]?.Keys?.length)).toEqual([100, 50]);
    expect(staff.size).toBe(149);
    expect(staff.get('amhp-7')).toBeUndefined();
    expect(staff.get('amhp-149')).toMatchObject({ id: 'amhp-149', name: 'amhp-149' });
  });
});
