import { describe, expect, it } from 'vitest';
import { dueShiftNotices, eveningNoticeAt, rotaChanges, type DueNotice } from '../../../shared/domain/shift-notices.ts';
import { emptyPositionText, rotaCoveredText, rotaCoverText, shiftNoticeText, shiftNoticesSetText, unverifiedPhonePagedText } from '../../../shared/domain/sms.ts';
import type { Position, Shift, Team } from '../../../shared/domain/types.ts';
import { smsSegments } from '../../support/sms-segments.ts';

const team: Pick<Team, 'id' | 'hours' | 'requiredPositions' | 'shiftNotices'> = { id: 'leeds-edt' };
let n = 0;
const shift = (staffId: string, position: Position, start: string, end: string, extra: Partial<Shift> = {}): Shift => ({
  id: `s${++n}`,
  teamId: 'leeds-edt',
  staffId,
  position,
  start: new Date(start).toISOString(),
  end: new Date(end).toISOString(),
  ...extra,
});
/** The three positions held by one set of people over one night. */
const night = (start: string, end: string) => [
  shift('amhp-asha', 'primary', start, end),
  shift('amhp-ben', 'secondary', start, end),
  shift('manager-dev', 'manager', start, end),
];

const shiftNotices = (notices: DueNotice[]) => notices.filter((notice) => notice.kind === 'shift');
const at = (iso: string) => new Date(iso);

/** Every run of a scheduler every `minutes` from `from` to `to`, with what each found due, as a sender that records keys would send it. */
function runEvery(minutes: number, from: string, to: string, plan: (now: Date) => DueNotice[]) {
  const sent = new Map<string, { notice: DueNotice; sentAt: string }>();
  for (let t = Date.parse(from); t <= Date.parse(to); t += minutes * 60_000) {
    for (const notice of plan(new Date(t))) if (!sent.has(notice.key)) sent.set(notice.key, { notice, sentAt: new Date(t).toISOString() });
  }
  return [...sent.values()];
}

describe('shift notices due at now', () => {
  const shifts = night('2026-12-04T17:00:00Z', '2026-12-05T08:45:00Z');

  it('tells each person an hour before their shift, from that instant until the shift starts, never after', () => {
    expect(shiftNotices(dueShiftNotices({ team, shifts, now: at('2026-12-04T15:59:59Z') }))).toEqual([]);
    const due = shiftNotices(dueShiftNotices({ team, shifts, now: at('2026-12-04T16:00:00Z') }));
    expect(due.map((d) => [d.staffId, d.position])).toEqual([
      ['amhp-asha', 'primary'],
      ['amhp-ben', 'secondary'],
      ['manager-dev', 'manager'],
    ]);
    expect(due[0]).toEqual({
      kind: 'shift',
      notice: 'before',
      key: 'shift-notice:leeds-edt:amhp-asha:primary:2026-12-04T17:00:00.000Z:before',
      dueAt: '2026-12-04T16:00:00.000Z',
      staffId: 'amhp-asha',
      position: 'primary',
      start: '2026-12-04T17:00:00.000Z',
      end: '2026-12-05T08:45:00.000Z',
    });
    // A later run finds the same notice by the same key: the sender's record stops a second text.
    expect(shiftNotices(dueShiftNotices({ team, shifts, now: at('2026-12-04T16:59:00Z') })).map((d) => d.key)).toEqual(due.map((d) => d.key));
    expect(shiftNotices(dueShiftNotices({ team, shifts, now: at('2026-12-04T17:00:00Z') }))).toEqual([]);
  });

  it("takes the team's own lead time", () => {
    const early = { ...team, shiftNotices: { minutesBefore: 30 } };
    expect(shiftNotices(dueShiftNotices({ team: early, shifts, now: at('2026-12-04T16:29:00Z') }))).toEqual([]);
    expect(shiftNotices(dueShiftNotices({ team: early, shifts, now: at('2026-12-04T16:30:00Z') }))).toHaveLength(3);
  });

  it('leaves out the people who turned their notices off', () => {
    const due = shiftNotices(dueShiftNotices({ team, shifts, now: at('2026-12-04T16:00:00Z'), noticesOff: new Set(['amhp-ben']) }));
    expect(due.map((d) => d.staffId)).toEqual(['amhp-asha', 'manager-dev']);
  });

  it('gives back-to-back shifts of one person in one position one notice, with the hours of both', () => {
    const split = [shift('amhp-asha', 'primary', '2026-12-04T17:00:00Z', '2026-12-05T00:00:00Z'), shift('amhp-asha', 'primary', '2026-12-05T00:00:00Z', '2026-12-05T08:45:00Z')];
    const sent = runEvery(5, '2026-12-04T12:00:00Z', '2026-12-05T09:00:00Z', (now) => shiftNotices(dueShiftNotices({ team, shifts: split, now })));
    expect(sent.map(({ notice }) => notice)).toMatchObject([{ staffId: 'amhp-asha', start: '2026-12-04T17:00:00.000Z', end: '2026-12-05T08:45:00.000Z' }]);
  });

  it('tells the one who covers part of a shift before their part, and not the one covered when their shift resumes', () => {
    const cover = shift('amhp-chloe', 'primary', '2026-12-05T02:00:00Z', '2026-12-05T04:00:00Z', { kind: 'override' });
    const sent = runEvery(5, '2026-12-04T12:00:00Z', '2026-12-05T09:00:00Z', (now) =>
      shiftNotices(dueShiftNotices({ team, shifts: [...shifts, cover], now })).filter((d) => d.position === 'primary'),
    );
    expect(sent.map(({ notice, sentAt }) => [notice.kind === 'shift' && notice.staffId, sentAt])).toEqual([
      ['amhp-asha', '2026-12-04T16:00:00.000Z'],
      ['amhp-chloe', '2026-12-05T01:00:00.000Z'],
    ]);
  });
});

describe('shift notices across a change of the clocks', () => {
  // The last Sunday of October 2026 is the 25th: BST ends at 02:00 BST (01:00 UTC).
  it('a 17:00–08:45 night over the October change: one notice, at 16:00 BST (15:00 UTC), with its hours on the London clock', () => {
    const shifts = night('2026-10-24T16:00:00Z', '2026-10-25T08:45:00Z');
    const sent = runEvery(5, '2026-10-23T12:00:00Z', '2026-10-26T12:00:00Z', (now) =>
      shiftNotices(dueShiftNotices({ team, shifts, now })).filter((d) => d.staffId === 'amhp-asha'),
    );
    expect(sent).toHaveLength(1);
    const [{ notice, sentAt }] = sent as [(typeof sent)[number]];
    expect(sentAt).toBe('2026-10-24T15:00:00.000Z');
    expect(notice).toMatchObject({ notice: 'before', start: '2026-10-24T16:00:00.000Z', end: '2026-10-25T08:45:00.000Z' });
    if (notice.kind !== 'shift') throw new Error('a shift notice');
    expect(shiftNoticeText({ ...notice, teamName: 'Leeds EDT' })).toBe(
      'dutyline: you are primary AMHP for Leeds EDT 17:00 Sat 24 Oct to 08:45 Sun 25 Oct. Reply NOTICES OFF to stop these.',
    );
  });

  // The last Sunday of March 2026 is the 29th: BST begins at 01:00 GMT.
  it('a 17:00–08:45 night over the March change: one notice, at 16:00 GMT, ending 08:45 BST (07:45 UTC)', () => {
    const shifts = night('2026-03-28T17:00:00Z', '2026-03-29T07:45:00Z');
    const sent = runEvery(5, '2026-03-27T12:00:00Z', '2026-03-30T12:00:00Z', (now) =>
      shiftNotices(dueShiftNotices({ team, shifts, now })).filter((d) => d.staffId === 'amhp-asha'),
    );
    expect(sent.map((s) => s.sentAt)).toEqual(['2026-03-28T16:00:00.000Z']);
    const notice = sent[0]?.notice;
    if (notice?.kind !== 'shift') throw new Error('a shift notice');
    expect(shiftNoticeText({ ...notice, teamName: 'Leeds EDT' })).toContain('17:00 Sat 28 Mar to 08:45 Sun 29 Mar');
  });

  it('the evening-before notice is at the London time the team set, whichever side of the change', () => {
    expect(eveningNoticeAt(at('2026-10-25T17:00:00Z'), '19:00').toISOString()).toBe('2026-10-24T18:00:00.000Z');
    expect(eveningNoticeAt(at('2026-10-26T17:00:00Z'), '19:00').toISOString()).toBe('2026-10-25T19:00:00.000Z');
    expect(eveningNoticeAt(at('2026-03-29T16:00:00Z'), '19:00').toISOString()).toBe('2026-03-28T19:00:00.000Z');
    expect(eveningNoticeAt(at('2026-03-30T16:00:00Z'), '19:00').toISOString()).toBe('2026-03-29T18:00:00.000Z');
  });
});

describe('the evening-before notice', () => {
  const evenings = { ...team, shiftNotices: { eveningBefore: '19:00' } };
  // Sunday 25 October 2026, 17:00 GMT: the evening before is Saturday, still in BST.
  const shifts = night('2026-10-25T17:00:00Z', '2026-10-26T08:45:00Z');

  it('texts at 19:00 London time the day before, and again an hour before the shift', () => {
    const sent = runEvery(5, '2026-10-24T12:00:00Z', '2026-10-26T09:00:00Z', (now) =>
      shiftNotices(dueShiftNotices({ team: evenings, shifts, now })).filter((d) => d.staffId === 'amhp-asha'),
    );
    expect(sent.map(({ notice, sentAt }) => [notice.kind === 'shift' && notice.notice, sentAt])).toEqual([
      ['evening', '2026-10-24T18:00:00.000Z'],
      ['before', '2026-10-25T16:00:00.000Z'],
    ]);
  });

  it('is not sent later than three hours after its time: a duty added at midnight waits for its 1 h notice', () => {
    expect(shiftNotices(dueShiftNotices({ team: evenings, shifts, now: at('2026-10-24T20:59:00Z') })).map((d) => d.kind === 'shift' && d.notice)).toContain('evening');
    expect(shiftNotices(dueShiftNotices({ team: evenings, shifts, now: at('2026-10-24T21:00:00Z') }))).toEqual([]);
  });

  it('is not sent when the shift starts too soon after it for the 1 h notice to be the later', () => {
    // A shift at 00:15 and an evening notice at 23:45 the day before: the 1 h notice is due first, and is the one sent.
    const late = { ...team, shiftNotices: { eveningBefore: '23:45' } };
    const early = night('2026-12-05T00:15:00Z', '2026-12-05T08:45:00Z');
    expect(shiftNotices(dueShiftNotices({ team: late, shifts: early, now: at('2026-12-04T23:45:00Z') })).map((d) => d.kind === 'shift' && d.notice)).toEqual([
      'before',
      'before',
      'before',
    ]);
  });
});

describe('a position that starts empty', () => {
  // Tuesday 1 December 2026 (GMT); office 08:45–17:00, so the secondary is missing from 17:00.
  const shifts = [shift('amhp-asha', 'primary', '2026-12-01T17:00:00Z', '2026-12-02T08:45:00Z'), shift('manager-dev', 'manager', '2026-12-01T17:00:00Z', '2026-12-02T08:45:00Z')];
  const empties = (notices: DueNotice[]) => notices.filter((notice) => notice.kind === 'empty-position');

  it('tells the manager on duty then, an hour before, once', () => {
    expect(empties(dueShiftNotices({ team, shifts, now: at('2026-12-01T15:59:00Z') }))).toEqual([]);
    expect(empties(dueShiftNotices({ team, shifts, now: at('2026-12-01T16:00:00Z') }))).toEqual([
      {
        kind: 'empty-position',
        key: 'shift-gap:leeds-edt:secondary:2026-12-01T17:00:00.000Z',
        dueAt: '2026-12-01T16:00:00.000Z',
        position: 'secondary',
        start: '2026-12-01T17:00:00.000Z',
        end: '2026-12-02T08:45:00.000Z',
        managerStaffId: 'manager-dev',
      },
    ]);
    const sent = runEvery(5, '2026-12-01T09:00:00Z', '2026-12-02T09:00:00Z', (now) => empties(dueShiftNotices({ team, shifts, now })));
    expect(sent).toHaveLength(1);
  });

  it('names no manager when the manager position is the empty one (the fallback is told)', () => {
    const noManager = shifts.filter((s) => s.position !== 'manager');
    const due = empties(dueShiftNotices({ team, shifts: noManager, now: at('2026-12-01T16:00:00Z') }));
    expect(due.map((d) => d.kind === 'empty-position' && [d.position, d.managerStaffId])).toEqual([
      ['secondary', null],
      ['manager', null],
    ]);
  });

  it('a gap the team does not require, or in office hours, tells nobody', () => {
    const onlyPrimary = { ...team, requiredPositions: ['primary', 'manager'] as Position[] };
    expect(empties(dueShiftNotices({ team: onlyPrimary, shifts, now: at('2026-12-01T16:00:00Z') }))).toEqual([]);
    expect(empties(dueShiftNotices({ team, shifts: night('2026-12-01T17:00:00Z', '2026-12-02T08:45:00Z'), now: at('2026-12-01T16:00:00Z') }))).toEqual([]);
  });
});

describe('what an override or swap changes', () => {
  const shifts = night('2026-12-04T17:00:00Z', '2026-12-05T08:45:00Z');
  const now = at('2026-12-04T12:00:00Z');

  it('an override stands in for whoever held the position in its window', () => {
    const cover = shift('amhp-chloe', 'primary', '2026-12-05T02:00:00Z', '2026-12-05T04:00:00Z', { kind: 'override' });
    expect(rotaChanges(shifts, [cover], now)).toEqual([
      { shift: cover, replaced: [{ staffId: 'amhp-asha', position: 'primary', start: '2026-12-05T02:00:00.000Z', end: '2026-12-05T04:00:00.000Z' }] },
    ]);
  });

  it('a swap replaces the person it covers; filling a gap, or an extra AMHP, replaces nobody', () => {
    const swap = shift('amhp-chloe', 'secondary', '2026-12-04T17:00:00Z', '2026-12-05T08:45:00Z', { kind: 'swap', covers: 'amhp-ben' });
    expect(rotaChanges(shifts, [swap], now)[0]?.replaced.map((d) => d.staffId)).toEqual(['amhp-ben']);
    const fill = shift('amhp-chloe', 'secondary', '2026-12-05T09:00:00Z', '2026-12-05T17:00:00Z', { kind: 'override' });
    const extra = shift('amhp-chloe', 'additional', '2026-12-04T17:00:00Z', '2026-12-05T08:45:00Z', { kind: 'override' });
    expect(rotaChanges(shifts, [fill, extra], now).map((c) => c.replaced)).toEqual([[], []]);
  });

  it('only the part still to come counts', () => {
    const cover = shift('amhp-chloe', 'primary', '2026-12-04T17:00:00Z', '2026-12-05T08:45:00Z', { kind: 'override' });
    expect(rotaChanges(shifts, [cover], at('2026-12-05T08:00:00Z'))[0]?.replaced).toEqual([
      { staffId: 'amhp-asha', position: 'primary', start: '2026-12-05T08:00:00.000Z', end: '2026-12-05T08:45:00.000Z' },
    ]);
    expect(rotaChanges(shifts, [cover], at('2026-12-05T09:00:00Z'))[0]?.replaced).toEqual([]);
  });
});

describe('the words of shift notices', () => {
  const hours = { position: 'primary' as const, teamName: 'Leeds Emergency Duty Team', start: '2026-12-04T17:00:00Z', end: '2026-12-05T08:45:00Z' };

  it('say the position, team and London hours, how to stop them, and fit two segments of GSM-7', () => {
    const texts = [
      shiftNoticeText(hours),
      emptyPositionText(hours),
      rotaCoverText({ ...hours, coversName: 'Asha Patel' }),
      rotaCoveredText({ ...hours, coverName: 'Chloe Evans' }),
      shiftNoticesSetText(true),
      shiftNoticesSetText(false),
      unverifiedPhonePagedText({ reference: 'EDT-4F7K-2Q9M', staffName: 'Asha Patel' }),
    ];
    expect(texts[0]).toBe('dutyline: you are primary AMHP for Leeds Emergency Duty Team 17:00 Fri 4 Dec to 08:45 Sat 5 Dec. Reply NOTICES OFF to stop these.');
    expect(texts[1]).toBe('dutyline: Leeds Emergency Duty Team has NO primary AMHP from 17:00 Fri 4 Dec to 08:45 Sat 5 Dec. Please arrange cover.');
    expect(texts[2]).toContain('you are now primary AMHP for Leeds Emergency Duty Team 17:00 Fri 4 Dec to 08:45 Sat 5 Dec instead of Asha Patel');
    expect(texts[3]).toContain('Chloe Evans is now primary AMHP for Leeds Emergency Duty Team 17:00 Fri 4 Dec to 08:45 Sat 5 Dec instead of you');
    expect(texts[6]).toBe('dutyline EDT-4F7K-2Q9M: paged Asha Patel, whose phone is not verified, so the page may not reach them. Please check they have it.');
    for (const text of texts) expect(smsSegments(text), text).toBeLessThanOrEqual(2);
  });
});
