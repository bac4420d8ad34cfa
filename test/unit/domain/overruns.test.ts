import { describe, expect, it } from 'vitest';
import { statutoryClocks } from '../../../shared/domain/clocks.ts';
import { nextActions } from '../../../shared/domain/next-action.ts';
import { currentOverruns, overrunAtFor, owedOverruns, type OverrunInput } from '../../../shared/domain/overruns.ts';
import { overrunText } from '../../../shared/domain/sms.ts';
import type { TimelineEntry } from '../../../shared/domain/types.ts';

/** Overruns (issue 13 part 3): which stage has taken too long, from the clocks and the timeline alone. */

const NOW = new Date('2026-12-03T04:00:00Z');
const MINUTE = 60_000;
const ago = (m: number) => new Date(NOW.getTime() - m * MINUTE).toISOString();
const settings = { bedMinutes: 120, conveyanceMinutes: 60 };

function s136(arrivedMinutesAgo: number, timeline: TimelineEntry[] = []): OverrunInput {
  const legal = { status: 's136' as const, placeOfSafety: { kind: 'health_based' as const, arrivedAt: ago(arrivedMinutesAgo) } };
  return { status: 'accepted', clocks: statutoryClocks(legal), timeline: [{ at: ago(arrivedMinutesAgo), type: 'received' }, ...timeline] };
}
const entry = (type: string, minutes: number, extra: Record<string, unknown> = {}): TimelineEntry => ({ at: ago(minutes), eventAt: ago(minutes), type: type as TimelineEntry['type'], ...extra });

describe('an s136 assessment not started 3 h after arrival (Royal College standard)', () => {
  it('is owed from the arrival, due 3 h after it', () => {
    expect(owedOverruns(s136(30))).toEqual([{ kind: 'assessment_not_started', since: ago(30), dueAt: ago(30 - 180) }]);
    expect(currentOverruns(s136(30), NOW)).toEqual([]);
    expect(currentOverruns(s136(200), NOW)).toEqual([{ kind: 'assessment_not_started', since: ago(200), dueAt: ago(20) }]);
  });

  it('is not owed once the assessment started, before arrival (clock pending), or once closed', () => {
    expect(owedOverruns(s136(200, [entry('assessment_started', 10)]))).toEqual([]);
    const pending = { status: 'accepted', clocks: statutoryClocks({ status: 's136' }), timeline: [] };
    expect(owedOverruns(pending)).toEqual([]);
    expect(owedOverruns({ ...s136(200), status: 'closed' })).toEqual([]);
  });

  it('is owed no more once the manager has been told, but still shows on the board', () => {
    const told = s136(200, [{ at: ago(19), type: 'overrun_alerted', overrun: 'assessment_not_started', dueAt: ago(20) }]);
    expect(owedOverruns(told)).toEqual([]);
    expect(currentOverruns(told, NOW)).toHaveLength(1);
  });
});

describe('no bed, and conveyance not done, after the team-set times', () => {
  it('writes the deadline on the entry that plans it, only for a decision to admit', () => {
    expect(overrunAtFor(entry('decision', 10, { outcome: 'application_s2' }), settings)).toBe(ago(10 - 120));
    expect(overrunAtFor(entry('decision', 10, { outcome: 'community_plan' }), settings)).toBeNull();
    expect(overrunAtFor(entry('conveyance_requested', 10, { by: 'ambulance' }), { ...settings, conveyanceMinutes: 30 })).toBe(ago(10 - 30));
    expect(overrunAtFor(entry('attending', 10), settings)).toBeNull();
  });

  it('is owed until the bed is identified, and the conveyance done', () => {
    const decided = s136(300, [entry('assessment_started', 200), entry('decision', 150, { outcome: 'application_s2', overrunAt: ago(30) })]);
    expect(owedOverruns(decided).map((o) => o.kind)).toEqual(['no_bed']);
    expect(owedOverruns({ ...decided, timeline: [...decided.timeline, entry('bed_identified', 20)] })).toEqual([]);
    const conveying = { ...decided, timeline: [...decided.timeline, entry('bed_identified', 20), entry('conveyance_requested', 15, { overrunAt: ago(-45) })] };
    expect(owedOverruns(conveying)).toEqual([{ kind: 'conveyance_not_done', since: ago(15), dueAt: ago(-45) }]);
    expect(owedOverruns({ ...conveying, timeline: [...conveying.timeline, entry('conveyed', 5)] })).toEqual([]);
  });

  it('is a next action, so the reconciler arms a lost overrun timer again', () => {
    const decided = s136(300, [entry('assessment_started', 200), entry('decision', 150, { outcome: 'application_s2', overrunAt: ago(30) })]);
    const input = { ...decided, status: 'accepted' as const, createdAt: ago(300), clocks: decided.clocks, timeline: decided.timeline };
    expect(nextActions(input, NOW)).toEqual(expect.arrayContaining([{ kind: 'overrun', at: ago(30), overrun: 'no_bed' }]));
  });
});

describe('the overrun text', () => {
  it('gives the reference, the stage and since when in London time, and nothing of the person', () => {
    expect(overrunText({ reference: 'EDT-4F7K-2Q9M', overrun: 'assessment_not_started', since: '2026-07-01T00:10:00Z', legalStatus: 's136' })).toBe(
      'dutyline EDT-4F7K-2Q9M: s136 assessment not started 3 h after arrival at the place of safety (arrived 01:10 1 Jul). Please check the referral on the board.',
    );
    expect(overrunText({ reference: 'EDT-4F7K-2Q9M', overrun: 'no_bed', since: '2026-12-03T02:00:00Z', legalStatus: 's136' })).toContain('no bed identified since the decision to admit at 02:00 3 Dec');
  });
});
