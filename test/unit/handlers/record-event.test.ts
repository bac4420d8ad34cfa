import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../../functions/events/record-event.ts';
import { GP_USER_ID, acceptedReferral, asReferral, detailsItem, leedsDirectory, referralItem } from '../../support/dataset.ts';
import { dynamoWrites, sentMessages, stateWrites, tableHolds } from '../../support/aws.ts';
import { TABLES } from '../../support/dependencies.ts';
import { httpEvent } from '../../support/events.ts';
import { handlerTest } from '../../support/handler-test.ts';

/**
 * `POST /api/referrals/{id}/events` with the event API Gateway sends (events/http-record-event.json:
 * Asha, who accepted the referral, reports the arrival at 01:40 of a person detained at 00:30).
 */

const leeds = handlerTest({ referrals: () => [referralItem(acceptedReferral()), detailsItem()] });

describe('POST /api/referrals/{id}/events', () => {
  it('restarts the v1 clock from the reported arrival in one conditional write, and plans its warnings', async () => {
    const result = await makeHandler(leeds.deps)(httpEvent('http-record-event'));
    expect(result.statusCode).toBe(200);
    const [write, ...more] = stateWrites();
    expect(more).toEqual([]);
    const stored = asReferral(write?.Item);
    expect(stored.clocks).toEqual([expect.objectContaining({ kind: 's136', startEvent: 'arrived_at_place_of_safety', startedAt: '2026-11-25T01:40:00.000Z', expiresAt: '2026-11-26T01:40:00.000Z' })]);
    expect(stored.legal.placeOfSafety).toEqual({ kind: 'health_based', arrivedAt: '2026-11-25T01:40:00.000Z' });
    expect(sentMessages().map((m) => JSON.parse(m.MessageBody ?? '{}') as Record<string, unknown>)).toEqual([
      expect.objectContaining({ kind: 'clock-warning', clockKind: 's136', hoursBefore: 6, expiresAt: '2026-11-26T01:40:00.000Z' }),
      expect.objectContaining({ kind: 'clock-warning', clockKind: 's136', hoursBefore: 2, expiresAt: '2026-11-26T01:40:00.000Z' }),
      expect.objectContaining({ kind: 'clock-warning', clockKind: 's136', hoursBefore: 1, expiresAt: '2026-11-26T01:40:00.000Z' }),
      expect.objectContaining({ kind: 'clock-warning', clockKind: 's136', hoursBefore: 0, expiresAt: '2026-11-26T01:40:00.000Z' }),
      // The arrival moved the clock's start, so the 3-hour assessment standard runs from it too.
      { kind: 'overrun', referralId: expect.any(String), overrun: 'assessment_not_started', dueAt: '2026-11-25T04:40:00.000Z' },
    ]);
  });

  it('refuses the referrer a release, and writes nothing', async () => {
    const result = await makeHandler(leeds.deps)(
      httpEvent('http-record-event', { body: { type: 'released' }, claims: { sub: GP_USER_ID, 'cognito:groups': '[referrer]', 'custom:staffId': undefined } }),
    );
    expect(result.statusCode).toBe(403);
    expect(dynamoWrites()).toEqual([]);
    expect(sentMessages()).toEqual([]);
  });

  it('names the field of a bad body, and writes nothing', async () => {
    const result = await makeHandler(leeds.deps)(httpEvent('http-record-event', { body: { type: 'transferred', placeKind: 'castle', postcode: 'LS1 3EX' } }));
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body ?? '{}')).toMatchObject({ error: 'validation_failed', issues: [{ path: 'placeKind' }] });
    expect(dynamoWrites()).toEqual([]);
  });
});

describe('POST /api/referrals/{id}/events after the accept', () => {
  const post = (body: Record<string, unknown>, claims?: Record<string, string | undefined>) =>
    makeHandler(leeds.deps)(httpEvent('http-record-event', { body, ...(claims ? { claims } : {}) }));
  const answer = (result: { body?: string }) => JSON.parse(result.body ?? '{}') as Record<string, unknown>;

  it('records attending with who and when, and answers with the stage', async () => {
    const result = await post({ type: 'attending', at: '2026-11-25T02:00:00Z', etaMinutes: 40 });
    expect(result.statusCode).toBe(200);
    expect(answer(result)).toMatchObject({ stage: 'attending', stageSince: '2026-11-25T02:00:00.000Z', delays: [] });
    const [write] = stateWrites();
    expect(asReferral(write?.Item).timeline.at(-1)).toMatchObject({ type: 'attending', by: '8d2f6a10-3c4b-4e5d-9f60-718293a4b5c6', eventAt: '2026-11-25T02:00:00.000Z', etaMinutes: 40 });
  });

  it('refuses a decision before the assessment started with a 409 that says why, and writes nothing', async () => {
    const result = await post({ type: 'decision', outcome: 'application_s2' });
    expect(result.statusCode).toBe(409);
    expect(answer(result)).toEqual({ error: 'not_started', message: 'the assessment has not started: record the start of the assessment before its decision' });
    expect(dynamoWrites()).toEqual([]);
  });

  it('refuses ending a delay that is not open', async () => {
    const result = await post({ type: 'delay_ended', reason: 'bed' });
    expect(result.statusCode).toBe(409);
    expect(answer(result)).toMatchObject({ error: 'no_open_delay', message: expect.stringContaining('a bed') });
  });

  it('names the field of a bad outcome', async () => {
    const result = await post({ type: 'decision', outcome: 'sectioned' });
    expect(result.statusCode).toBe(400);
    expect(answer(result)).toMatchObject({ error: 'validation_failed', issues: [{ path: 'outcome' }] });
    expect(dynamoWrites()).toEqual([]);
  });

  it('forbids the referrer an assessment event', async () => {
    const result = await post({ type: 'assessment_started' }, { sub: GP_USER_ID, 'cognito:groups': '[referrer]', 'custom:staffId': undefined });
    expect(result.statusCode).toBe(403);
    expect(dynamoWrites()).toEqual([]);
  });

  it('forbids another AMHP of the team, who did not accept it', async () => {
    const result = await post({ type: 'attending' }, { sub: 'ben-user', username: 'amhp-ben', 'cognito:groups': '[amhp]', 'custom:staffId': 'amhp-ben' });
    expect(result.statusCode).toBe(403);
    expect(dynamoWrites()).toEqual([]);
  });

  describe('relative_consulted', () => {
    /** The service's commencement date for the nominated person (PUT /api/service settings). */
    const nominatedPersonFrom = (date: string) => tableHolds(TABLES.directory, [...leedsDirectory(), { pk: 'SERVICE', sk: 'SETTINGS', settings: { nominatedPersonFrom: date } }]);

    it('records the nearest relative consulted while the nominated person is not yet in force, role and action only', async () => {
      nominatedPersonFrom('2027-06-01');
      const result = await post({ type: 'relative_consulted', role: 'nearest_relative', action: 'consulted' });
      expect(result.statusCode).toBe(200);
      const [write] = stateWrites();
      expect(asReferral(write?.Item).timeline.at(-1)).toMatchObject({ type: 'relative_consulted', role: 'nearest_relative', action: 'consulted' });
    });

    it('refuses the nominated person before the date the service set, naming role and why, and writes nothing', async () => {
      nominatedPersonFrom('2027-06-01');
      const result = await post({ type: 'relative_consulted', role: 'nominated_person', action: 'consulted' });
      expect(result.statusCode).toBe(400);
      expect(answer(result)).toMatchObject({ error: 'validation_failed', issues: [{ path: 'role', message: expect.stringMatching(/nearest relative .*from 2027-06-01/) }] });
      expect(dynamoWrites()).toEqual([]);
    });

    it('from that date refuses the nearest relative and records the nominated person', async () => {
      nominatedPersonFrom('2026-11-01');
      const refused = await post({ type: 'relative_consulted', role: 'nearest_relative', action: 'objected' });
      expect(refused.statusCode).toBe(400);
      expect(answer(refused)).toMatchObject({ issues: [{ path: 'role', message: expect.stringMatching(/from 2026-11-01 the nominated person replaces the nearest relative/) }] });
      expect(dynamoWrites()).toEqual([]);
      expect((await post({ type: 'relative_consulted', role: 'nominated_person', action: 'objected' })).statusCode).toBe(200);
    });

    it('judges by when it happened: a nearest relative consulted the day before the date is still recorded after it', async () => {
      nominatedPersonFrom('2026-11-25');
      // 23:50 GMT on 24 November, reported at 02:00 on the 25th.
      expect((await post({ type: 'relative_consulted', at: '2026-11-24T23:50:00Z', role: 'nearest_relative', action: 'informed' })).statusCode).toBe(200);
    });
  });

  it("lets the team's manager record a delay", async () => {
    const result = await post({ type: 'delay_started', reason: 's12_doctor' }, { sub: 'dev-user', username: 'manager-dev', 'cognito:groups': '[manager]', 'custom:staffId': 'manager-dev' });
    expect(result.statusCode).toBe(200);
    expect(answer(result)).toMatchObject({ delays: [{ reason: 's12_doctor', until: null }] });
  });
});
