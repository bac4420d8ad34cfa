import { DynamoDBClient, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { demoStaff } from '../../infra/local/seed.ts';
import { itemBytes } from '../support/item-size.ts';
import { localApi, localToken } from '../support/local-api.ts';
import { WebClient } from './web-client.ts';

/**
 * The audit trail of who saw a person's details is append-only items of its own, beside the
 * referral: a view never writes the referral's state item, so it never bumps its version, never
 * competes with escalation writes and never makes the next state write bigger.
 */
const VIEWS = 60;
const asha = demoStaff.find((staff) => staff.id === 'amhp-asha')!;
const manager = demoStaff.find((staff) => staff.roles.includes('manager' as never))!;

let runtime: LocalRuntime;
let db: DynamoDBClient;
const api = localApi(() => runtime.url);

/** A phone referral, once its first page is out; `paged`: who got it. */
async function pagedReferral(token: string): Promise<{ id: string; reference: string; paged: (typeof demoStaff)[number] }> {
  const submitted = await api('POST', '/api/referrals', token, {
    channel: 'phone',
    callbackPhone: '07700 900201',
    currentLocation: { postcode: 'LS1 4AP' },
    legal: { status: 'none' },
    urgency: 'immediate',
  });
  expect(submitted.status).toBe(202);
  const page = await runtime.outbox.waitFor((sms) => sms.direction === 'outbound' && sms.body.includes(String(submitted.body.reference)), 15_000);
  const paged = demoStaff.find((staff) => staff.phone === page.phone)!;
  return { id: String(submitted.body.id), reference: String(submitted.body.reference), paged };
}

const stateItem = async (id: string) => {
  const { Item = {} } = await db.send(
    new GetItemCommand({ TableName: runtime.resources.tableNames.referrals, Key: { pk: { S: `REFERRAL#${id}` }, sk: { S: 'REFERRAL' } }, ConsistentRead: true }),
  );
  return { bytes: itemBytes(Item), version: Number(Item.version?.N), timeline: Item.timeline?.L?.length ?? 0 };
};

const auditItems = async (id: string) =>
  (
    await db.send(
      new QueryCommand({
        TableName: runtime.resources.tableNames.referrals,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
        ExpressionAttributeValues: { ':pk': { S: `REFERRAL#${id}` }, ':audit': { S: 'AUDIT#' } },
        ConsistentRead: true,
      }),
    )
  ).Items ?? [];

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, seed: true });
  db = new DynamoDBClient({ region: 'eu-west-2', endpoint: runtime.emulators.dynamodbEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
});

describe('the audit trail of views', () => {
  it(`records each of ${VIEWS} views as an item of its own, leaving the referral's state item, its version and the next state write as they were`, async () => {
    const gp = await localToken(runtime.url, 'gp');
    const amhp = await localToken(runtime.url, asha.id);
    const viewed = await pagedReferral(gp);
    const unviewed = await pagedReferral(gp);
    // Both to the primary (nobody has accepted yet, so nobody is busy): the accepts below are alike.
    expect([viewed.paged.id, unviewed.paged.id]).toEqual([asha.id, asha.id]);
    const before = await stateItem(viewed.id);

    for (let i = 0; i < VIEWS; i++) expect((await api('GET', `/api/referrals/${viewed.id}?include=details`, amhp)).status).toBe(200);

    expect(await stateItem(viewed.id)).toEqual(before);
    const items = await auditItems(viewed.id);
    expect(items).toHaveLength(VIEWS);
    expect(items.map((item) => item.entry?.M?.staffId?.S)).toEqual(Array(VIEWS).fill(asha.id));

    // The answer's timeline has every view, in time order among the state's own entries.
    const view = await api('GET', `/api/referrals/${viewed.id}?include=details`, amhp);
    const types = (view.body.timeline as { type: string; at: string }[]).map((entry) => entry.type);
    expect(types.filter((type) => type === 'viewed')).toHaveLength(VIEWS + 1);
    expect(types.slice(0, 3)).toEqual(['received', 'routed', 'paged']);
    const times = (view.body.timeline as { at: string }[]).map((entry) => entry.at);
    expect(times).toEqual([...times].sort());

    // A state write after the views is the size of one after none (the ids differ, not their lengths).
    for (const { id } of [viewed, unviewed]) expect((await api('POST', `/api/referrals/${id}/accept`, amhp)).status).toBe(200);
    const [acceptedViewed, acceptedUnviewed] = [await stateItem(viewed.id), await stateItem(unviewed.id)];
    expect(acceptedViewed.version).toBe(before.version + 1);
    expect(Math.abs(acceptedViewed.bytes - acceptedUnviewed.bytes)).toBeLessThan(64);
    expect(acceptedViewed.timeline).toBe(acceptedUnviewed.timeline);
  }, 120_000);

  it("shows the views in the manager's audit trail and its export, with who looked", async () => {
    const gp = await localToken(runtime.url, 'gp');
    const referral = await pagedReferral(gp);
    const amhp = await localToken(runtime.url, referral.paged.id);
    expect((await api('GET', `/api/referrals/${referral.id}?include=details`, amhp)).status).toBe(200);
    const browser = new WebClient(runtime.url);
    await browser.signIn(manager.id, '/');
    const page = await browser.get(`/manage/referrals/${referral.id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`Personal details viewed by ${referral.paged.name}`);
    const exported = JSON.parse((await browser.get(`/manage/referrals/${referral.id}?format=json`)).html) as { timeline: { type: string; by?: string }[] };
    expect(exported.timeline.filter((entry) => entry.type === 'viewed')).toEqual([expect.objectContaining({ type: 'viewed', staffId: referral.paged.id })]);
  }, 60_000);
});
