import { beforeEach, describe, expect, it } from 'vitest';
import { makeHandler } from '../../../functions/escalator/handler.ts';
import type { ClockWarningMessage, Referral } from '../../../shared/ports.ts';
import { publishedSms, resetAws, stateWrites, storedAt, tableHolds } from '../../support/aws.ts';
import { REFERENCE, asReferral, asha, dev, leedsDirectory, pagingReferral, receivedReferral, referralItem, subjectIdentifiers, team } from '../../support/dataset.ts';
import { NOW, TABLES } from '../../support/dependencies.ts';
import { handlerTest } from '../../support/handler-test.ts';
import { lambdaContext, sqsEvent } from '../../support/events.ts';

/**
 * A statutory clock warning when its timer falls due (shared/app/clock-warnings.ts): who is told
 * at each threshold, what the text says, and that nothing ends in silence where no team can tell.
 */
const SERVICE_FALLBACK = '+447700900190';
const context = lambdaContext('dutyline-escalator');
const leeds = handlerTest();
let escalate: ReturnType<typeof makeHandler>;

beforeEach(() => {
  escalate = makeHandler(leeds.deps);
  storedAt(TABLES.directory, { pk: 'SERVICE', sk: 'SETTINGS', fallbackPhone: SERVICE_FALLBACK });
});

/** The referral's s136 clock, made to run out `minutesLeft` after NOW. */
function withClock(referral: Referral, minutesLeft: number): Referral {
  const expiresAt = new Date(NOW.getTime() + minutesLeft * 60_000).toISOString();
  const startedAt = new Date(Date.parse(expiresAt) - 24 * 3_600_000).toISOString();
  return { ...referral, clocks: [{ kind: 's136', startedAt, expiresAt }] };
}

async function warn(referral: Referral, hoursBefore: number) {
  tableHolds(TABLES.referrals, [referralItem(referral)]);
  const clock = referral.clocks[0]!;
  const message: ClockWarningMessage = { kind: 'clock-warning', referralId: referral.id, clockKind: 's136', hoursBefore, expiresAt: clock.expiresAt, dueAt: NOW.toISOString() };
  const result = await escalate(sqsEvent('sqs-escalation-timer', [message]), context);
  expect(result, JSON.stringify(leeds.recorded.lines)).toEqual({ batchItemFailures: [] });
  const sent = publishedSms().map((sms) => ({ to: sms.PhoneNumber, text: String(sms.Message) }));
  for (const { text } of sent) for (const identifier of subjectIdentifiers) expect(text).not.toContain(identifier);
  const entries = stateWrites().flatMap((write) => asReferral(write.Item).timeline.filter((entry) => entry.type === 'clock_warning'));
  return { sent, entries };
}

const accepted = (referral: Referral): Referral => ({ ...referral, status: 'accepted', assignedTo: asha.id });

describe('a statutory clock warning falling due', () => {
  it('texts the manager on duty alone at T−2 h, with the time left now', async () => {
    const { sent, entries } = await warn(withClock(pagingReferral(), 110), 2);
    expect(sent).toEqual([{ to: dev.phone, text: expect.stringMatching(/s136 clock expires .* \(1 h 50 min left\)\. Referral NOT YET ACCEPTED\./) }]);
    expect(entries).toEqual([expect.objectContaining({ hoursBefore: 2, told: ['manager'], managerTold: true })]);
  });

  it('texts the accepting AMHP as well at T−1 h, telling them what to do', async () => {
    const { sent } = await warn(withClock(accepted(pagingReferral()), 55), 1);
    expect(sent.map((sms) => sms.to)).toEqual([dev.phone, asha.phone]);
    expect(sent[1]?.text).toContain('You accepted it: complete the assessment or end the detention before then.');
  });

  it('at expiry texts the manager, the accepting AMHP and the team fallback that detention past it is unlawful', async () => {
    const { sent, entries } = await warn(withClock(accepted(pagingReferral()), -3), 0);
    expect(sent.map((sms) => sms.to)).toEqual([dev.phone, asha.phone, team.fallbackPhone]);
    for (const { text } of sent) expect(text).toMatch(new RegExp(`dutyline ${REFERENCE}: s136 clock EXPIRED at .* \\(3 min ago\\)\\. Detention past it is unlawful`));
    expect(entries).toEqual([expect.objectContaining({ hoursBefore: 0, told: ['manager', 'amhp', 'fallback'] })]);
  });

  it('texts the service fallback in the manager’s place when no team holds the referral (unrouted)', async () => {
    const { teamId: _none, ...unrouted } = { ...receivedReferral(), status: 'unrouted' as const };
    const { sent, entries } = await warn(withClock(unrouted, 100), 2);
    expect(sent).toEqual([{ to: SERVICE_FALLBACK, text: expect.stringContaining('NOT YET ACCEPTED') }]);
    expect(entries).toEqual([expect.objectContaining({ told: ['manager'] })]);
  });

  it('gives nothing for a clock that has ended, nor twice for the same threshold', async () => {
    const referral = withClock(pagingReferral(), 100);
    const ended = { ...referral, clocks: referral.clocks.map((clock) => ({ ...clock, endedAt: NOW.toISOString() })) };
    expect(await warn(ended, 2)).toEqual({ sent: [], entries: [] });
    resetAws();
    tableHolds(TABLES.directory, leedsDirectory());
    const given = { ...referral, timeline: [...referral.timeline, { at: NOW.toISOString(), type: 'clock_warning' as const, clockKind: 's136', hoursBefore: 2, expiresAt: referral.clocks[0]!.expiresAt }] };
    expect(await warn(given, 2)).toEqual({ sent: [], entries: [] });
  });
});
