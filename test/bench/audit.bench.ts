import { DynamoDBClient, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { demoStaff } from '../../infra/local/seed.ts';
import { localToken } from '../support/local-api.ts';
import { itemBytes, writeUnits } from '../support/item-size.ts';
import { writeResults } from './report.ts';

/**
 * What a state write costs after many views of a person's details (issue 11 part 7): two
 * referrals are paged alike; one has its details viewed VIEWS times, the other never; then both
 * are accepted (a state write). Printed: the referral item's size and version before and after
 * the views, and after the accept, in bytes and write capacity units (a write costs the larger of
 * the item's old and new sizes). Uses only the HTTP API and a raw read of the table, so the same
 * file measures an older commit too.
 */
const VIEWS = Number(process.env.AUDIT_VIEWS ?? 500);
const asha = demoStaff.find((staff) => staff.id === 'amhp-asha')!;

export async function run(): Promise<void> {
  const runtime = await startLocalRuntime({ port: 0, seed: true });
  try {
    const db = new DynamoDBClient({ region: 'eu-west-2', endpoint: runtime.emulators.dynamodbEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const gp = await localToken(runtime.url, 'gp');
    const amhp = await localToken(runtime.url, asha.id);
    const viewed = await pagedReferral(runtime, gp);
    const unviewed = await pagedReferral(runtime, gp);
    const state = async (id: string) => {
      const { Item = {} } = await db.send(new GetItemCommand({ TableName: runtime.resources.tableNames.referrals, Key: { pk: { S: `REFERRAL#${id}` }, sk: { S: 'REFERRAL' } }, ConsistentRead: true }));
      return { bytes: itemBytes(Item), version: Number(Item.version?.N) };
    };
    const before = await state(viewed);
    const started = performance.now();
    for (let i = 0; i < VIEWS; i++) {
      const response = await fetch(`${runtime.url}/api/referrals/${viewed}?include=details`, { headers: { authorization: `Bearer ${amhp}` } });
      if (response.status !== 200) throw new Error(`view ${i} answered ${response.status}`);
      await response.arrayBuffer();
    }
    const viewMs = (performance.now() - started) / VIEWS;
    const afterViews = await state(viewed);
    const { Count: auditItems = 0 } = await db.send(
      new QueryCommand({
        TableName: runtime.resources.tableNames.referrals,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
        ExpressionAttributeValues: { ':pk': { S: `REFERRAL#${viewed}` }, ':audit': { S: 'AUDIT#' } },
        Select: 'COUNT',
      }),
    );
    for (const id of [viewed, unviewed]) {
      const response = await fetch(`${runtime.url}/api/referrals/${id}/accept`, { method: 'POST', headers: { authorization: `Bearer ${amhp}` } });
      if (response.status !== 200) throw new Error(`accept answered ${response.status}`);
    }
    const [acceptedViewed, acceptedUnviewed] = [await state(viewed), await state(unviewed)];
    const cost = (old: number, now: number) => `${Math.max(old, now)} B, ${writeUnits(Math.max(old, now))} WCU`;
    const rows = [
      ['referral item before the views', `${before.bytes} B`, `version ${before.version}`],
      [`after ${VIEWS} views`, `${afterViews.bytes} B`, `version ${afterViews.version}`],
      ['audit items beside it', String(auditItems), `${viewMs.toFixed(1)} ms per view`],
      [`accept after ${VIEWS} views`, cost(afterViews.bytes, acceptedViewed.bytes), `item now ${acceptedViewed.bytes} B`],
      ['accept after no views', cost(before.bytes, acceptedUnviewed.bytes), `item now ${acceptedUnviewed.bytes} B`],
    ];
    for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(i === 0 ? 34 : 24)).join(''));
    writeResults('audit', { views: VIEWS, before, afterViews, auditItems, viewMs, acceptedViewed, acceptedUnviewed });
  } finally {
    await runtime.stop();
  }
}

async function pagedReferral(runtime: LocalRuntime, token: string): Promise<string> {
  const response = await fetch(`${runtime.url}/api/referrals`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ channel: 'phone', callbackPhone: '07700 900201', currentLocation: { postcode: 'LS1 4AP' }, legal: { status: 'none' }, urgency: 'immediate' }),
  });
  const { id, reference } = (await response.json()) as { id: string; reference: string };
  await runtime.outbox.waitFor((sms) => sms.phone === asha.phone && sms.body.includes(reference), 15_000);
  return id;
}
