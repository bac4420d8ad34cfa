import { describe, expect, it } from 'vitest';
import { belongsOnHandover, endedPeriod, handoverListing, handoverStanding, lastEndedPeriod, nextHandoverAt, referenceList, type HandoverPeriod } from '../../../shared/domain/handover.ts';
import { nextAction } from '../../../shared/domain/next-action.ts';
import { currentOverruns, owedOverruns } from '../../../shared/domain/overruns.ts';
import { parseReply } from '../../../shared/domain/reply.ts';
import { handoverListText, handoverReminderText, overrunText } from '../../../shared/domain/sms.ts';
import type { ReferralStatus, TimelineEntry } from '../../../shared/domain/types.ts';

const at = (iso: string) => new Date(iso);
const THURSDAY: HandoverPeriod = { start: '2026-12-02T17:00:00.000Z', end: '2026-12-03T08:45:00.000Z' };

describe('the period a handover closes', () => {
  it('is the night that ended when the office opened, on the default hours (GMT)', () => {
    expect(endedPeriod(undefined, at('2026-12-03T08:45:00Z'))).toEqual(THURSDAY);
    expect(endedPeriod(undefined, at('2026-12-03T09:40:00Z'))).toEqual(THURSDAY);
  });

  it('is none while the night goes on, and none once the catch-up hour has passed', () => {
    expect(endedPeriod(undefined, at('2026-12-03T08:44:59Z'))).toBeNull();
    expect(endedPeriod(undefined, at('2026-12-03T09:45:01Z'))).toBeNull();
    // The page still shows the last list all day.
    expect(lastEndedPeriod(undefined, at('2026-12-03T15:00:00Z'))).toEqual(THURSDAY);
  });

  it('runs from Friday 16:45 to Monday 08:45 over a weekend', () => {
    expect(endedPeriod(undefined, at('2026-12-07T08:50:00Z'))).toEqual({ start: '2026-12-04T16:45:00.000Z', end: '2026-12-07T08:45:00.000Z' });
  });

  it('takes in the Christmas bank holidays: Thursday 24 December 17:00 to Tuesday 29 December 08:45', () => {
    expect(endedPeriod(undefined, at('2026-12-29T08:45:00Z'))).toEqual({ start: '2026-12-24T17:00:00.000Z', end: '2026-12-29T08:45:00.000Z' });
    expect(endedPeriod(undefined, at('2026-12-28T08:50:00Z'))).toBeNull();
  });

  it('follows London time in summer: 08:45 BST is 07:45 UTC', () => {
    expect(endedPeriod(undefined, at('2026-06-02T07:46:00Z'))).toEqual({ start: '2026-06-01T16:00:00.000Z', end: '2026-06-02T07:45:00.000Z' });
  });

  it("follows a team's own hours", () => {
    const hours = { office: { thu: '10:00-16:00' }, bankHolidaysOutOfHours: true };
    expect(endedPeriod(hours, at('2026-12-03T08:50:00Z'))).toBeNull();
    expect(endedPeriod(hours, at('2026-12-03T10:01:00Z'))?.end).toBe('2026-12-03T10:00:00.000Z');
  });

  it('says when the next handover falls', () => {
    expect(nextHandoverAt(undefined, at('2026-12-03T02:00:00Z'))).toBe('2026-12-03T08:45:00.000Z');
    expect(nextHandoverAt(undefined, at('2026-12-04T12:00:00Z'))).toBe('2026-12-07T08:45:00.000Z');
  });
});

const open = (timeline: TimelineEntry[] = [], extra: Partial<{ status: ReferralStatus; createdAt: string; synthetic: boolean }> = {}) => ({
  status: 'accepted' as ReferralStatus,
  createdAt: '2026-12-03T02:00:00.000Z',
  clocks: [],
  timeline: [{ at: '2026-12-03T02:00:00.000Z', type: 'received' }, ...timeline] as TimelineEntry[],
  ...extra,
});

describe('which referrals go on the list', () => {
  it('every open one received before the office opened', () => {
    expect(belongsOnHandover(open(), THURSDAY)).toBe(true);
    expect(belongsOnHandover(open([], { status: 'paging' }), THURSDAY)).toBe(true);
  });

  it('not a closed one, one received after the office opened, a synthetic one, or one already on this list', () => {
    expect(belongsOnHandover(open([], { status: 'closed' }), THURSDAY)).toBe(false);
    expect(belongsOnHandover(open([], { createdAt: '2026-12-03T08:45:00.000Z' }), THURSDAY)).toBe(false);
    expect(belongsOnHandover(open([], { synthetic: true }), THURSDAY)).toBe(false);
    expect(belongsOnHandover(open([handoverListing(THURSDAY, undefined, at('2026-12-03T08:47:00Z'))]), THURSDAY)).toBe(false);
  });

  it('not one the AMHP handed over during the night, but one handed over the night before', () => {
    expect(belongsOnHandover(open([{ at: '2026-12-03T07:30:00.000Z', type: 'handed_over', to: 'day_service' }]), THURSDAY)).toBe(false);
    expect(belongsOnHandover(open([{ at: '2026-12-02T08:50:00.000Z', type: 'handed_over', to: 'day_service' }]), THURSDAY)).toBe(true);
  });
});

describe('a listing and its escalation', () => {
  const listing = handoverListing(THURSDAY, { ackMinutes: 45 }, at('2026-12-03T08:47:00Z'));

  it("carries the team's time to mark it received, and twice that to the service fallback; 30 min by default", () => {
    expect(listing).toMatchObject({ type: 'handover_listed', periodEnd: THURSDAY.end, ackBy: '2026-12-03T09:32:00.000Z', escalateBy: '2026-12-03T10:17:00.000Z' });
    expect(handoverListing(THURSDAY, undefined, at('2026-12-03T08:47:00Z')).ackBy).toBe('2026-12-03T09:17:00.000Z');
  });

  it('owes both steps until the day service marks it received, then neither', () => {
    const listed = open([listing]);
    expect(owedOverruns(listed).map((o) => [o.kind, o.dueAt])).toEqual([
      ['handover_unacknowledged', '2026-12-03T09:32:00.000Z'],
      ['handover_unanswered', '2026-12-03T10:17:00.000Z'],
    ]);
    expect(nextAction(listed, at('2026-12-03T09:00:00Z'))).toMatchObject({ kind: 'overrun', overrun: 'handover_unacknowledged', at: '2026-12-03T09:32:00.000Z' });
    const received = open([listing, { at: '2026-12-03T09:10:00.000Z', type: 'handed_over', to: 'day_service', by: 'dev' }]);
    expect(owedOverruns(received)).toEqual([]);
    expect(handoverStanding(received.timeline).received).toMatchObject({ by: 'dev' });
  });

  it('once the first step is told, owes only the second; the board shows it overdue from ackBy', () => {
    const told = open([listing, { at: '2026-12-03T09:33:00.000Z', type: 'overrun_alerted', overrun: 'handover_unacknowledged', dueAt: '2026-12-03T09:32:00.000Z' }]);
    expect(owedOverruns(told).map((o) => o.kind)).toEqual(['handover_unanswered']);
    expect(currentOverruns(told, at('2026-12-03T09:40:00Z')).map((o) => o.kind)).toEqual(['handover_unacknowledged']);
  });

  it('a closed referral owes nothing', () => {
    expect(owedOverruns(open([listing], { status: 'closed' }))).toEqual([]);
  });
});

describe('what the day service reads and replies', () => {
  it('the list: team, weekday and time, references only', () => {
    const text = handoverListText({ teamName: 'Hull EDT', periodEnd: '2026-12-07T08:45:00.000Z', references: referenceList(['EDT-AAAA-BBBB', 'EDT-CCCC-DDDD']), count: 2 });
    expect(text).toBe('dutyline: Hull EDT handover at 08:45 Mon 7 Dec, 2 referrals still open: EDT-AAAA-BBBB, EDT-CCCC-DDDD. Mark each received on the dutyline Handover page, or reply RECEIVED and its reference.');
    expect(handoverListText({ teamName: 'Hull EDT', periodEnd: THURSDAY.end, references: 'EDT-AAAA-BBBB', count: 1, noDayService: true })).toMatch(/1 referral still open: .* No day-service contact is set for this team: please pass this on\.$/);
  });

  it('a long list names eight and counts the rest', () => {
    const references = Array.from({ length: 11 }, (_, i) => `EDT-000${i % 10}-AAAA`);
    expect(referenceList(references)).toMatch(/EDT-0007-AAAA and 3 more$/);
  });

  it('the reminder and the escalation name the reference and the handover time, never the person', () => {
    expect(handoverReminderText({ reference: 'EDT-AAAA-BBBB', teamName: 'Hull EDT', periodEnd: THURSDAY.end })).toBe(
      'dutyline EDT-AAAA-BBBB: from the Hull EDT handover at 08:45 3 Dec, not yet marked received. Mark it on the Handover page, or reply RECEIVED EDT-AAAA-BBBB.',
    );
    expect(overrunText({ reference: 'EDT-AAAA-BBBB', overrun: 'handover_unanswered', since: THURSDAY.end, legalStatus: 'none' })).toBe(
      'dutyline EDT-AAAA-BBBB: still not marked received by the day service from the 08:45 3 Dec handover. Nobody has taken it on. Please check the referral on the board.',
    );
  });

  it('RECEIVED, RECEIVED with a reference, RECEIVED ALL; anything more is not understood', () => {
    expect(parseReply('received')).toEqual({ kind: 'received' });
    expect(parseReply('RECEIVED 4f7k')).toEqual({ kind: 'received', code: '4F7K' });
    expect(parseReply('Received all')).toEqual({ kind: 'received', all: true });
    expect(parseReply('RECEIVED 4F7K thanks')).toEqual({ kind: 'unknown' });
  });
});
