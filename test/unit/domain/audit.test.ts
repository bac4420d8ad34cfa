import { describe, expect, it } from 'vitest';
import { auditCsv, auditLines, csvCell } from '../../../shared/domain/audit.ts';
import type { TimelineEntry } from '../../../shared/domain/types.ts';

const timeline: TimelineEntry[] = [
  { at: '2026-11-25T02:00:00.000Z', type: 'received', channel: 'web', urgency: 'immediate', legalStatus: 's136', district: 'LS1' },
  { at: '2026-11-25T02:00:01.000Z', type: 'routed', teamId: 'leeds-edt', chain: [{ position: 'primary', staffId: 'amhp-asha' }, { position: 'manager', staffId: null }] },
  { at: '2026-11-25T02:00:01.000Z', type: 'no_one_on_duty', position: 'secondary', round: 0 },
  { at: '2026-11-25T02:00:01.000Z', type: 'paged', staffId: 'amhp-asha', position: 'primary', round: 0, pageSeq: 1 },
  { at: '2026-11-25T02:04:00.000Z', type: 'accepted', staffId: 'amhp-asha', round: 0, pageSeq: 1, via: 'sms' },
  { at: '2026-11-25T02:10:00.000Z', type: 'viewed', by: 'amhp-asha', what: 'details' },
  { at: '2026-11-25T06:00:00.000Z', type: 'closed', outcome: 'assessed', result: 'detained_s2', by: 'manager-dev' },
];
const names = { 'amhp-asha': 'Asha Patel', 'manager-dev': 'Dev Sharma' };

describe('the audit trail', () => {
  it('describes every entry in plain English, with who acted', () => {
    expect(auditLines(timeline, names).map((line) => [line.type, line.who, line.text])).toEqual([
      ['received', null, 'Received by web: immediate, s136, LS1'],
      ['routed', null, 'Routed to team leeds-edt; chain: primary Asha Patel, manager nobody'],
      ['no_one_on_duty', null, 'No one on duty as secondary: step skipped'],
      ['paged', null, 'Paged Asha Patel as primary'],
      ['accepted', 'Asha Patel', 'Accepted by Asha Patel by sms'],
      ['viewed', 'Asha Patel', 'Personal details viewed by Asha Patel'],
      ['closed', 'Dev Sharma', 'Closed by Dev Sharma: Assessed, Detained under section 2'],
    ]);
  });

  it('says when the details were found removed under the retention policy, and when they went', () => {
    const removal: TimelineEntry[] = [
      { at: '2026-11-25T06:00:00.000Z', type: 'referrer_notified', channel: 'none', reason: 'details_removed' },
      { at: '2027-01-02T09:00:00.000Z', type: 'details_removed', expiredAt: '2026-12-25T06:00:00.000Z' },
    ];
    expect(auditLines(removal, names).map((line) => line.text)).toEqual([
      'Referrer not texted: their number was removed under the retention policy',
      'Personal details found removed under the retention policy (kept until 2026-12-25 06:00 UK time)',
    ]);
  });

  it('says who was rung after an unanswered page, or why the call was not placed, with nobody as the actor', () => {
    const calls: TimelineEntry[] = [
      { at: '2026-11-25T02:02:01.000Z', type: 'voice_call', staffId: 'amhp-asha', pageSeq: 1 },
      { at: '2026-11-25T02:12:01.000Z', type: 'voice_call_failed', staffId: 'amhp-asha', pageSeq: 2, reason: 'rate_limited' },
    ];
    expect(auditLines(calls, names).map((line) => [line.who, line.text])).toEqual([
      [null, 'Rang Asha Patel: the page was not answered, so a voice call followed'],
      [null, 'Voice call to Asha Patel not placed: rate limited; the chain went on'],
    ]);
  });

  it('exports as CSV with UTC and London times and every field of the entry', () => {
    const csv = auditCsv('EDT-AAAA-BBBB', timeline, names).split('\r\n');
    expect(csv[0]).toBe('reference,at_utc,at_london,type,who,description,details');
    expect(csv[1]).toBe('EDT-AAAA-BBBB,2026-11-25T02:00:00.000Z,2026-11-25T02:00:00+00:00,received,,"Received by web: immediate, s136, LS1","{""channel"":""web"",""urgency"":""immediate"",""legalStatus"":""s136"",""district"":""LS1""}"');
    expect(csv).toHaveLength(timeline.length + 2);
    expect(csv.at(-1)).toBe('');
  });

  it('keeps the seconds in the London time, as in the UTC time, in winter and in summer', () => {
    const entries: TimelineEntry[] = [
      { at: '2026-11-25T02:00:07.000Z', type: 'viewed', by: 'manager-dev', what: 'details' },
      { at: '2026-07-01T21:15:42.500Z', type: 'viewed', by: 'manager-dev', what: 'details' },
    ];
    const [, winter, summer] = auditCsv('EDT-AAAA-BBBB', entries, names).split('\r\n');
    expect(winter?.split(',').slice(1, 3)).toEqual(['2026-11-25T02:00:07.000Z', '2026-11-25T02:00:07+00:00']);
    expect(summer?.split(',').slice(1, 3)).toEqual(['2026-07-01T21:15:42.500Z', '2026-07-01T22:15:42+01:00']);
  });

  it('keeps spreadsheet formulas out of cells', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell(null)).toBe('');
    expect(csvCell(0.25)).toBe('0.25');
    expect(csvCell(-2)).toBe('-2');
  });

  it('describes the legal events and the clocks they moved, with who reported them and when', () => {
    const legal: TimelineEntry[] = [
      { at: '2026-11-25T02:20:00.000Z', type: 'arrived_at_place_of_safety', eventAt: '2026-11-25T02:15:00.000Z', by: 'police', placeKind: 'police_station', district: 'LS1', policeStationAuthorised: true },
      { at: '2026-11-25T02:20:00.000Z', type: 'clock_started', clockKind: 's136', startEvent: 'arrived_at_place_of_safety', startedAt: '2026-11-25T02:15:00.000Z', expiresAt: '2026-11-26T02:15:00.000Z' },
      { at: '2026-11-25T05:00:00.000Z', type: 'transferred', eventAt: '2026-11-25T04:50:00.000Z', by: 'police', placeKind: 'health_based', district: 'LS2', clockKind: 's136' },
      { at: '2026-11-25T09:00:00.000Z', type: 'admitted', eventAt: '2026-11-25T09:00:00.000Z', by: 'amhp-asha', section: 's2', from: 's136' },
      { at: '2026-11-25T09:00:00.000Z', type: 'clock_ended', clockKind: 's136', endedAt: '2026-11-25T09:00:00.000Z', endReason: 'admitted' },
    ];
    expect(auditLines(legal, names).map((line) => [line.who, line.text])).toEqual([
      ['police', 'Arrived at a place of safety (police station, LS1) at 2026-11-25 02:15 UK time, reported by police'],
      [null, 's136 clock started from arrived at place of safety at 2026-11-25 02:15 UK time; ends 2026-11-26 02:15 UK time'],
      ['police', 'Moved to another place of safety (health-based, LS2) at 2026-11-25 04:50 UK time, reported by police; the s136 clock goes on'],
      ['Asha Patel', 'Admitted under s2 at 2026-11-25 09:00 UK time, recorded by Asha Patel'],
      [null, 's136 clock ended (admitted) at 2026-11-25 09:00 UK time'],
    ]);
  });
});

describe('the audit trail of the assessment', () => {
  it('says each step in the words the pages use, with when and who', () => {
    const timeline = [
      { at: '2026-11-25T02:01:00.000Z', type: 'attending', eventAt: '2026-11-25T02:00:00.000Z', by: 'u-asha', etaMinutes: 40 },
      { at: '2026-11-25T03:01:00.000Z', type: 'decision', eventAt: '2026-11-25T03:00:00.000Z', by: 'u-asha', outcome: 'application_s2' },
      { at: '2026-11-25T03:11:00.000Z', type: 'delay_started', eventAt: '2026-11-25T03:10:00.000Z', by: 'u-asha', reason: 'bed' },
    ] as const;
    expect(auditLines([...timeline], { 'u-asha': 'Asha Patel' }).map((line) => line.text)).toEqual([
      'AMHP on the way (about 40 min) at 2026-11-25 02:00 UK time, recorded by Asha Patel',
      'Decision: application under section 2 at 2026-11-25 03:00 UK time, recorded by Asha Patel',
      'Waiting for a bed at 2026-11-25 03:10 UK time, recorded by Asha Patel',
    ]);
  });
});
