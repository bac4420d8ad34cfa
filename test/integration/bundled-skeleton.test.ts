import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueTriggers, scheduleTriggers, topicTriggers, type FunctionName } from '../../infra/definition.ts';
import { buildFunctionBundles, type FunctionBundles } from '../../infra/local/function-bundles.ts';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { DEMO_TEAM_ID, demoReferrers, demoStaff } from '../../infra/local/seed.ts';
import { localApi, localToken } from '../support/local-api.ts';
import { drained, waitFor } from '../support/wait.ts';

/**
 * What deploys is what is tested: the walking skeleton's flow once more, through the functions'
 * bundles (the stack's esbuild output, the AWS SDK inside) rather than their source, on the
 * emulators. Each bundle is wired by its own copy of the adapters, so the bundled SDK is what
 * talks to dynalite and fauxqs.
 */

const [asha, ben, , manager] = demoStaff;
const [gp] = demoReferrers;

/**
 * The functions the flow runs: every one a queue, topic or schedule triggers, and those behind the
 * routes it calls. The rest would load from source; building all thirty takes minutes on a busy
 * machine, and test/infra/bundles.test.ts builds them all.
 */
const flow: FunctionName[] = [
  ...new Set([
    ...[...queueTriggers, ...topicTriggers, ...scheduleTriggers].map((trigger) => trigger.function),
    'health',
    'putTeam',
    'createReferral',
    'getReferral',
    'acceptLink',
  ] satisfies FunctionName[]),
];

let built: FunctionBundles;
let runtime: LocalRuntime;
const clients: unknown[] = [];
const api = localApi(() => runtime.url);
const login = (username: string) => localToken(runtime.url, username);

const referralBody = () => ({
  referrer: { name: 'Dr Gill Price', kind: 'gp', organisation: 'Leeds Central Surgery', phone: gp.phone },
  subject: {
    givenName: 'Zebedee',
    familyName: 'Quartermaine',
    dateOfBirth: '1987-03-14',
    nhsNumber: '943 476 5919',
    homeAddress: '17 Juniper Crescent, Leeds LS6 9QQ',
    currentLocation: { kind: 'home', postcode: 'ls1 4ap' },
  },
  legal: { status: 's136', detentionStart: new Date(Date.now() - 3_600_000).toISOString() },
  reason: 'Zebedee has stopped eating and is hearing commanding voices since Tuesday',
  risks: ['self-neglect'],
  urgency: 'immediate',
});

beforeAll(async () => {
  built = await buildFunctionBundles({ names: flow });
  runtime = await startLocalRuntime({ port: 0, seed: true, functionBundles: built.bundles, onAwsClient: (client) => void clients.push(client) });
  const team = await api('PUT', `/api/teams/${DEMO_TEAM_ID}`, await login('admin'), {
    name: 'Leeds Emergency Duty Team (test policy)',
    areas: ['LS1', 'LS2', 'LS6'],
    // 6 s to answer (the source skeleton gives 2): time enough, on a loaded machine, for Ben's reply to land before his own timeout.
    escalation: { ackTimeoutSeconds: 6, repeat: 0 },
    continuity: 'ignore',
    fallbackPhone: '+447700900199',
  });
  expect(team.status).toBe(200);
}, 600_000);

afterAll(async () => {
  await runtime?.stop();
  built?.remove();
});

describe('the walking skeleton, through the deployed bundles', () => {
  it('runs bundles that hold the same modules as those the stack deploys, with their own SDK clients', () => {
    expect(Object.keys(built.bundles).sort()).toEqual([...flow].sort());
    for (const bundle of Object.values(built.bundles)) {
      // health wires nothing, so only its local copy carries the adapters' module.
      if (bundle.name === ('health' satisfies FunctionName)) expect(bundle.localInputs).toEqual(expect.arrayContaining(bundle.inputs));
      else expect(bundle.localInputs, bundle.name).toEqual(bundle.inputs);
    }
    const fromSource = clients.filter((c) => c instanceof DynamoDBClient || c instanceof SQSClient || c instanceof SNSClient);
    expect(clients.length - fromSource.length).toBeGreaterThan(0);
  });

  it('pages the primary, escalates on no answer, takes the secondary\'s SMS accept and tells the referrer', async () => {
    const token = await login('gp');
    const submitted = await api('POST', '/api/referrals', token, referralBody(), { 'idempotency-key': 'bundled-skeleton-1' });
    expect(submitted.status).toBe(202);
    const { id, reference } = submitted.body as { id: string; reference: string };

    await runtime.outbox.waitFor((sms) => sms.phone === asha.phone && sms.body.includes(reference), 10_000);
    await runtime.outbox.waitFor((sms) => sms.phone === ben.phone && sms.body.includes(reference), 30_000);
    // Ben's acknowledgement timer (the test policy's 6 s) is due by then, plus the poller's slack.
    const lastTimerDue = Date.now() + 6_500;
    expect((await api('POST', '/local/sms/inbound', undefined, { from: '07700 900102', body: '1' })).status).toBe(202);

    const managerToken = await login(manager.id);
    const accepted = await waitFor('the secondary\'s accept', async () => {
      const view = await api('GET', `/api/referrals/${id}`, managerToken);
      return view.body.status === 'accepted' ? view.body : undefined;
    });
    expect(accepted.assignedTo).toBe(ben.id);
    expect(accepted.timeline.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['received', 'routed', 'paged', 'ack_timeout', 'accepted', 'referrer_notified']),
    );
    const toReferrer = await runtime.outbox.waitFor((sms) => sms.phone === gp.phone && sms.body.includes(reference), 5_000);
    expect(toReferrer.body).toContain('Ben Okafor');

    // Once Ben's timer is due and every queue and outbox is empty, nobody else was paged.
    await drained(runtime, { timersDueBy: lastTimerDue });
    const pages = runtime.outbox.list().filter((sms) => sms.direction === 'outbound' && sms.body.includes(reference));
    expect(pages.filter((sms) => sms.phone === manager.phone)).toHaveLength(0);
    // Asha had her page and, once Ben accepted, the stand-down; nothing more.
    expect(pages.filter((sms) => sms.phone === asha.phone).map((sms) => sms.body.includes('accepted by another AMHP') ? 'stand-down' : 'page'))
      .toEqual(['page', 'stand-down']);
  }, 120_000);

  it('accepts through the signed link the bundle signed, once', async () => {
    const submitted = await api('POST', '/api/referrals', await login('gp'), referralBody());
    const { id, reference } = submitted.body as { id: string; reference: string };
    const page = await runtime.outbox.waitFor((sms) => sms.phone === asha.phone && sms.body.includes(reference), 10_000);
    const link = /(http:\/\/\S+\/a\/\S+)/.exec(page.body)?.[1];
    expect(link).toBeDefined();
    expect((await fetch(link!, { method: 'POST' })).status).toBe(200);
    const managerToken = await login(manager.id);
    const accepted = await waitFor('the link\'s accept', async () => {
      const view = await api('GET', `/api/referrals/${id}`, managerToken);
      return view.body.status === 'accepted' ? view.body : undefined;
    });
    expect(accepted.assignedTo).toBe(asha.id);
    expect((await fetch(link!, { method: 'POST' })).status).toBe(409);
  }, 120_000);
});
