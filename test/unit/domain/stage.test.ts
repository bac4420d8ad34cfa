import { describe, expect, it } from 'vitest';
import { admissionSection, delaysOf, expectedArrival, stageOf } from '../../../shared/domain/stage.ts';
import { referrerStageSentence, stageLabel } from '../../../shared/domain/stage-words.ts';
import type { TimelineEntry } from '../../../shared/domain/types.ts';

/** The stage and delays a referral's view shows: read from its timeline alone. */

const entry = (type: string, eventAt: string, fields: Record<string, unknown> = {}): TimelineEntry =>
  ({ at: '2026-11-25T05:00:00.000Z', type, eventAt, by: 'asha', ...fields }) as TimelineEntry;
const received: TimelineEntry = { at: '2026-11-25T00:30:00.000Z', type: 'received' };
const accepted: TimelineEntry = { at: '2026-11-25T00:45:00.000Z', type: 'accepted', staffId: 'asha' };

describe('the stage', () => {
  const rows: [string, TimelineEntry[], string, string | null][] = [
    ['is not accepted while paging, since receipt', [received, { at: '2026-11-25T00:31:00.000Z', type: 'paged' }], 'not_accepted', '2026-11-25T00:30:00.000Z'],
    ['is accepted from the accept', [received, accepted], 'accepted', '2026-11-25T00:45:00.000Z'],
    ['follows each step, since when it happened (not when it was recorded)', [received, accepted, entry('attending', '2026-11-25T01:00:00.000Z', { etaMinutes: 40 })], 'attending', '2026-11-25T01:00:00.000Z'],
    ['does not go back for a later call to the referrer', [received, accepted, entry('attending', '2026-11-25T01:00:00.000Z'), entry('referrer_contacted', '2026-11-25T01:10:00.000Z')], 'attending', '2026-11-25T01:00:00.000Z'],
    ['keeps its start when a new ETA is sent', [received, accepted, entry('attending', '2026-11-25T01:00:00.000Z', { etaMinutes: 40 }), entry('attending', '2026-11-25T01:20:00.000Z', { etaMinutes: 30 })], 'attending', '2026-11-25T01:00:00.000Z'],
    ['is not moved by doctors, delays or relatives', [received, accepted, entry('assessment_started', '2026-11-25T02:00:00.000Z'), entry('doctor_arrived', '2026-11-25T02:10:00.000Z', { role: 's12' }), entry('delay_started', '2026-11-25T02:20:00.000Z', { reason: 'bed' }), entry('relative_consulted', '2026-11-25T02:30:00.000Z', { role: 'nearest_relative', action: 'consulted' })], 'assessment_started', '2026-11-25T02:00:00.000Z'],
    ['is admitted from the legal admission', [received, accepted, entry('conveyed', '2026-11-25T04:00:00.000Z'), entry('admitted', '2026-11-25T04:30:00.000Z', { section: 's2' })], 'admitted', '2026-11-25T04:30:00.000Z'],
    ['is handed over from the handover', [received, accepted, entry('bed_requested', '2026-11-25T04:00:00.000Z'), entry('handed_over', '2026-11-25T08:45:00.000Z', { to: 'day_service' })], 'handed_over', '2026-11-25T08:45:00.000Z'],
    ['is closed from the close', [received, accepted, entry('decision', '2026-11-25T03:00:00.000Z', { outcome: 'community_plan' }), { at: '2026-11-25T03:30:00.000Z', type: 'closed' }], 'closed', '2026-11-25T03:30:00.000Z'],
  ];
  it.each(rows)('%s', (_rule, timeline, stage, since) => {
    expect(stageOf(timeline)).toMatchObject({ stage, since });
  });

  it('has a label for the team and, after the accept, a sentence for the referrer', () => {
    const attending = [received, accepted, entry('attending', '2026-11-25T01:55:00.000Z', { etaMinutes: 45 })];
    expect(stageLabel[stageOf(attending).stage]).toBe('On the way');
    expect(referrerStageSentence(stageOf(attending), attending)).toBe('The AMHP is on the way, expected about 02:40.');
  });

  it('gives the expected arrival on the London clock in summer time too', () => {
    const summer = [accepted, entry('attending', '2026-07-01T01:55:00.000Z', { etaMinutes: 45 })];
    expect(expectedArrival(summer)).toBe('2026-07-01T02:40:00.000Z');
    expect(referrerStageSentence(stageOf(summer), summer)).toBe('The AMHP is on the way, expected about 03:40.');
  });

  it('says nothing of its own before the accept, at the accept and at the close (the status line does)', () => {
    expect(referrerStageSentence(stageOf([received]), [received])).toBeNull();
    expect(referrerStageSentence(stageOf([received, accepted]), [received, accepted])).toBeNull();
  });
});

describe('the delays', () => {
  it('lists open and closed delays with reason, since and until, in the order they started', () => {
    const timeline = [
      accepted,
      entry('delay_started', '2026-11-25T01:00:00.000Z', { reason: 's12_doctor' }),
      entry('delay_started', '2026-11-25T02:00:00.000Z', { reason: 'bed' }),
      entry('delay_ended', '2026-11-25T02:30:00.000Z', { reason: 's12_doctor' }),
      entry('delay_started', '2026-11-25T03:00:00.000Z', { reason: 's12_doctor' }),
    ];
    expect(delaysOf(timeline)).toEqual([
      { reason: 's12_doctor', since: '2026-11-25T01:00:00.000Z', until: '2026-11-25T02:30:00.000Z' },
      { reason: 'bed', since: '2026-11-25T02:00:00.000Z', until: null },
      { reason: 's12_doctor', since: '2026-11-25T03:00:00.000Z', until: null },
    ]);
  });
});

describe('the section an admission follows', () => {
  it.each([
    ['application_s2', 's2'],
    ['application_s3', 's3'],
    ['application_s4', 's4'],
    ['informal_admission', null],
    ['community_plan', null],
  ])('after %s it is %s', (outcome, section) => {
    expect(admissionSection([entry('decision', '2026-11-25T03:00:00.000Z', { outcome })])).toBe(section);
  });
});
