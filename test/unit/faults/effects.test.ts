import { PublishCommand } from '@aws-sdk/client-sns';
import { BatchWriteCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ScheduledEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeHandler } from '../../../functions/reconciler/handler.ts';
import type { RecordingMetrics } from '../../../shared/adapters/recording-metrics.ts';
import { CURRENT_FOR_MS } from '../../../shared/app/effects/page.ts';
import { setAsideEffect } from '../../../shared/app/effects/set-aside.ts';
import { flushOutbox } from '../../../shared/app/outbox.ts';
import { SmsDeliveryError, type Dependencies, type PendingEffect, type Referral } from '../../../shared/ports.ts';
import { completedEffects, dynamo, resetAws, sns, storedAt, tableHolds } from '../../support/aws.ts';
import { REFERRAL_ID, REFERRER_PHONE, dev, leedsDirectory, pagingReferral, referralItem, subjectIdentifiers } from '../../support/dataset.ts';
import { NOW, TABLES, recordingLog, testDependencies, type RecordingLog } from '../../support/dependencies.ts';

/**
 * Effects are independent and finite, with the production adapters on mocked AWS clients: one
 * failing effect does not stop the others of its write; each failure is counted; a refusal for
 * good, or the last allowed attempt, sets the effect aside and a person is texted instead.
 */

const scheduled = { time: NOW.toISOString(), detail: {} } as unknown as ScheduledEvent;
const referrerText: PendingEffect = { kind: 'sms', to: REFERRER_PHONE, text: 'EDT-4F7K-2Q9M accepted', purpose: 'referrer-accepted' };

let recorded: RecordingLog;
let deps: Dependencies;
let reconcile: ReturnType<typeof makeHandler>;

/** An accepted referral whose write left `outbox` pending, found by the reconciler. */
function pending(outbox: Record<string, PendingEffect>): Referral {
  const base = pagingReferral();
  const referral: Referral = { ...base, status: 'accepted', assignedTo: 'amhp-asha', escalation: { ...base.escalation!, status: 'accepted', acceptedBy: 'amhp-asha' }, outbox, version: 7 };
  dynamo.on(UpdateCommand).resolves({});
  storedAt(TABLES.referrals, referralItem(referral));
  dynamo.on(QueryCommand, { IndexName: 'gsi2' }).resolves({ Items: [{ ...referralItem(referral), gsi2pk: 'OUTBOX#PENDING', gsi2sk: `2026-11-25T01:50:00.000Z#${referral.id}` }] });
  return referral;
}

/** Makes the failure counter answer `attempts` for an effect, as DynamoDB's ADD would. */
const failedBefore = (effectId: string, attempts: number) =>
  dynamo.on(UpdateCommand, { Key: { pk: `REFERRAL#${REFERRAL_ID}`, sk: `EFFECTFAILS#${effectId}` } }).resolves({ Attributes: { attempts } });

/** The follow-up state write that records what was set aside (the referral's UpdateItem conditional on its version). */
function followUp(): { timeline: Record<string, unknown>[]; outbox: PendingEffect[] } | null {
  const write = dynamo
    .commandCalls(UpdateCommand)
    .map((call) => call.args[0].input)
    .find((input) => input.ConditionExpression === 'version = :expected' && JSON.stringify(input).includes('effect_set_aside'));
  if (!write) return null;
  const values = Object.values(write.ExpressionAttributeValues ?? {});
  const timeline = values.find((value): value is Record<string, unknown>[] => Array.isArray(value) && value.some((entry) => entry?.type === 'effect_set_aside')) ?? [];
  // The effects the write added: `replace` names them `:e0`, `:e1`… (shared/adapters/dynamo-referral-store.ts).
  const outbox = Object.entries(write.ExpressionAttributeValues ?? {})
    .filter(([name]) => /^:e\d+$/.test(name))
    .map(([, value]) => value as PendingEffect);
  return { timeline: timeline.filter((entry) => entry.type === 'effect_set_aside' || entry.type === 'page_withdrawn'), outbox };
}

const metrics = () => deps.metrics as RecordingMetrics;

beforeEach(() => {
  resetAws();
  tableHolds(TABLES.directory, leedsDirectory());
  recorded = recordingLog();
  deps = testDependencies(recorded.log);
  reconcile = makeHandler(deps);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('effects of one write', () => {
  it('attempts every effect even when one fails: the busy marker is stored although the text before it in the outbox failed', async () => {
    pending({ 'e000007-000': referrerText, 'e000007-001': { kind: 'mark-busy', staffId: 'amhp-asha' } });
    sns.on(PublishCommand).rejects(Object.assign(new Error('provider down'), { name: 'ServiceUnavailableException' }));
    await expect(reconcile(scheduled)).rejects.toThrow(/still have effects that fail/);
    expect(completedEffects()).toContain('e000007-001');
    expect(completedEffects()).not.toContain('e000007-000');
    expect(followUp()).toBeNull();
  });
});

describe('setting an effect aside', () => {
  it('sets a text refused for good (an invalid number) aside at once: out of the outbox, on the timeline, counted, and the manager on duty texted', async () => {
    pending({ 'e000007-000': referrerText });
    sns.on(PublishCommand).callsFake((input: { PhoneNumber?: string }) => {
      if (input.PhoneNumber === REFERRER_PHONE) throw Object.assign(new Error('Invalid parameter: PhoneNumber'), { name: 'InvalidParameterException' });
      return { MessageId: 'ok' };
    });
    const result = await reconcile(scheduled);
    expect(result).toMatchObject({ found: 1, finished: 1, failed: 0 });
    // Never counted: a refusal for good needs no more attempts.
    expect(JSON.stringify(dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input))).not.toContain('EFFECTFAILS#');
    expect(completedEffects()).toContain('e000007-000');
    const written = followUp();
    expect(written?.timeline).toEqual([
      expect.objectContaining({ type: 'effect_set_aside', kind: 'sms', reason: 'refused', error: 'SmsDeliveryError', alerted: true }),
    ]);
    expect(JSON.stringify(written?.timeline)).not.toContain(REFERRER_PHONE);
    expect(written?.outbox).toEqual([expect.objectContaining({ kind: 'sms', to: dev.phone, purpose: 'set-aside-alert' })]);
    expect(sns.commandCalls(PublishCommand).map((call) => call.args[0].input.PhoneNumber)).toContain(dev.phone);
    expect(metrics().total('EffectsSetAside')).toBe(1);
    for (const identifier of subjectIdentifiers) expect(recorded.text()).not.toContain(identifier);
  });

  it('keeps a text that fails for a reason a retry may cure until its fifth failed attempt, then sets it aside', async () => {
    pending({ 'e000007-000': referrerText });
    sns.on(PublishCommand).rejects(Object.assign(new Error('provider down'), { name: 'ServiceUnavailableException' }));
    failedBefore('e000007-000', 4);
    await expect(reconcile(scheduled)).rejects.toThrow();
    expect(followUp()).toBeNull();
    expect(completedEffects()).not.toContain('e000007-000');

    resetAws();
    tableHolds(TABLES.directory, leedsDirectory());
    pending({ 'e000007-000': referrerText });
    sns.on(PublishCommand).callsFake((input: { PhoneNumber?: string }) => {
      if (input.PhoneNumber === REFERRER_PHONE) throw Object.assign(new Error('provider down'), { name: 'ServiceUnavailableException' });
      return { MessageId: 'ok' };
    });
    failedBefore('e000007-000', 5);
    await reconcile(scheduled);
    expect(completedEffects()).toContain('e000007-000');
    expect(followUp()?.timeline).toEqual([expect.objectContaining({ type: 'effect_set_aside', reason: 'attempts_exhausted' })]);
  }, 20_000);

  it('sets a page aside after three failed attempts and moves the chain on (a page-failed timer), instead of a text', async () => {
    const page: PendingEffect = { kind: 'page', staffId: 'amhp-ben', pageSeq: 2, to: '+447700900102', text: 'page', linkId: 'link-2', linkExpiresAt: '2026-11-26T02:00:00.000Z' };
    const base = pagingReferral();
    const referral: Referral = { ...base, escalation: { ...base.escalation!, pageSeq: 2 }, outbox: { 'e000007-000': page }, version: 7 };
    storedAt(TABLES.referrals, referralItem(referral));
    dynamo.on(QueryCommand, { IndexName: 'gsi2' }).resolves({ Items: [{ ...referralItem(referral), gsi2pk: 'OUTBOX#PENDING', gsi2sk: `2026-11-25T01:50:00.000Z#${referral.id}` }] });
    dynamo.on(BatchWriteCommand).rejects(Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }));
    failedBefore('e000007-000', 3);
    await reconcile(scheduled);
    const written = followUp();
    expect(written?.timeline).toEqual([expect.objectContaining({ type: 'effect_set_aside', kind: 'page', reason: 'attempts_exhausted' })]);
    expect(written?.outbox).toEqual([{ kind: 'timer', pageSeq: 2, dueAt: NOW.toISOString(), reason: 'page-failed' }]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });
});

describe('a page is checked against the stored referral before it goes out', () => {
  const page: PendingEffect = { kind: 'page', staffId: 'amhp-ben', pageSeq: 2, to: '+447700900102', text: 'page', linkId: 'link-2', linkExpiresAt: '2026-11-26T02:00:00.000Z' };
  /** The flusher's copy: page 2 in its outbox. The stored copy: accepted by Asha since (one version on). */
  function acceptedSince(): Referral {
    const base = pagingReferral();
    const inHand: Referral = { ...base, escalation: { ...base.escalation!, pageSeq: 2 }, outbox: { 'e000007-000': page }, version: 7 };
    storedAt(TABLES.referrals, referralItem({ ...inHand, status: 'accepted', assignedTo: 'amhp-asha', escalation: { ...inHand.escalation!, status: 'accepted', acceptedBy: 'amhp-asha' }, version: 8 }));
    return inHand;
  }
  /** Reads of the referral item (the withdrawal's own follow-up write reads it too). */
  const referralReads = () => dynamo.commandCalls(GetCommand).filter((call) => call.args[0].input.Key?.sk === 'REFERRAL');
  const withdrawals = () => followUpEntries().filter((entry) => entry.type === 'page_withdrawn');
  const followUpEntries = (): Record<string, unknown>[] =>
    dynamo
      .commandCalls(UpdateCommand)
      .flatMap((call) => Object.values(call.args[0].input.ExpressionAttributeValues ?? {}))
      .filter((value): value is Record<string, unknown>[] => Array.isArray(value))
      .flat();
  const at = (ms: number) => ({ now: () => new Date(NOW.getTime() + ms) });

  it('by a later run (a retry, the reconciler): the stored copy is read, and a page someone has accepted since is withdrawn, not sent', async () => {
    await flushOutbox(deps, acceptedSince());
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(withdrawals()).toEqual([expect.objectContaining({ staffId: 'amhp-ben', pageSeq: 2, reason: 'accepted' })]);
  });

  it('by the run that stored it, a moment before: that write was current, so it goes without another read', async () => {
    const referral = acceptedSince();
    deps.clock = at(CURRENT_FOR_MS - 100);
    await flushOutbox(deps, referral, { storedAt: NOW });
    expect(referralReads()).toHaveLength(0);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it('by the run that stored it, but longer ago than that (a slow flush): the stored copy is read first', async () => {
    const referral = acceptedSince();
    deps.clock = at(CURRENT_FOR_MS + 500);
    await flushOutbox(deps, referral, { storedAt: NOW });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(withdrawals()).toHaveLength(1);
  });
});

describe('who is told of an effect set aside', () => {
  const referral = { ...pagingReferral(), teamId: 'leeds-edt' } as Referral;
  const failure = { effectId: 'e000007-000', effect: referrerText, error: new SmsDeliveryError(1, 'InvalidParameterException') };
  const world = (options: { manager?: string; teamFallback?: string; serviceFallback?: string }) =>
    ({
      metrics: { count: () => undefined, duration: () => undefined },
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
      directory: {
        shiftsAt: async () =>
          options.manager ? [{ id: 's', teamId: 'leeds-edt', staffId: 'mgr', position: 'manager', start: '2026-11-24T17:00:00Z', end: '2026-11-25T09:00:00Z', kind: 'base' }] : [],
        getStaff: async () => (options.manager ? { id: 'mgr', name: 'M', phone: options.manager, teamIds: ['leeds-edt'], roles: ['manager'] } : null),
        getTeam: async () => ({ id: 'leeds-edt', fallbackPhone: options.teamFallback }),
        getServiceSettings: async () => (options.serviceFallback ? { fallbackPhone: options.serviceFallback } : {}),
      },
    }) as unknown as Dependencies;
  const toldBy = async (options: Parameters<typeof world>[0]) =>
    (await setAsideEffect(world(options), referral, failure, NOW)).effects.map((effect) => (effect.kind === 'sms' ? effect.to : effect.kind));

  it('the manager on duty first', async () => {
    expect(await toldBy({ manager: '+447700900104', teamFallback: '+447700900199', serviceFallback: '+447700900198' })).toEqual(['+447700900104']);
  });
  it("else the team's fallback phone", async () => {
    expect(await toldBy({ teamFallback: '+447700900199', serviceFallback: '+447700900198' })).toEqual(['+447700900199']);
  });
  it("else the service's fallback phone", async () => {
    expect(await toldBy({ serviceFallback: '+447700900198' })).toEqual(['+447700900198']);
  });
  it('nobody, when none is set: the timeline says nobody was alerted (the alarm still sounds)', async () => {
    const { entry, effects } = await setAsideEffect(world({}), referral, failure, NOW);
    expect(effects).toEqual([]);
    expect(entry).toMatchObject({ type: 'effect_set_aside', alerted: false });
  });
});
