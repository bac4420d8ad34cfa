import { describe, expect, it } from 'vitest';
import { referrerProgress } from '../../../shared/domain/referrer-progress.ts';
import type { TimelineEntry } from '../../../shared/domain/types.ts';

const received: TimelineEntry = { at: '2026-11-25T01:50:00.000Z', type: 'received' };
const routed: TimelineEntry = { at: '2026-11-25T01:50:01.000Z', type: 'routed', teamId: 'leeds-edt' };
const paged: TimelineEntry = { at: '2026-11-25T01:50:01.000Z', type: 'paged', staffId: 'amhp-asha', round: 0 };
const input = (status: 'received' | 'paging' | 'accepted' | 'exhausted' | 'unrouted' | 'closed', timeline: TimelineEntry[]) => ({
  status,
  urgency: 'immediate' as const,
  district: 'LS1',
  timeline,
});

describe('what the referrer is told', () => {
  it('says the AMHP on duty has been asked while the first page runs, and keeps checking', () => {
    const progress = referrerProgress(input('paging', [received, routed, paged]), { teamName: 'Leeds EDT' });
    expect(progress).toMatchObject({ stage: 'paging', settled: false, callBackBy: null });
    expect(progress.events.map((e) => e.text)).toEqual(['Referral received', 'Sent to Leeds EDT', 'AMHP on duty asked to accept']);
  });

  it('calls it escalated after no answer or a decline, without naming who declined', () => {
    const declined: TimelineEntry = { at: '2026-11-25T01:52:00.000Z', type: 'declined', staffId: 'amhp-asha', reasonGiven: true };
    const progress = referrerProgress(input('paging', [received, routed, paged, declined]));
    expect(progress.stage).toBe('escalated');
    expect(JSON.stringify(progress)).not.toContain('amhp-asha');
  });

  it('names who accepted and when the call-back is due, by urgency, and stops checking', () => {
    const accepted: TimelineEntry = { at: '2026-11-25T01:55:00.000Z', type: 'accepted', staffId: 'amhp-ben' };
    const progress = referrerProgress(input('accepted', [received, routed, paged, accepted]), { amhpName: 'Ben Okafor' });
    expect(progress).toMatchObject({
      stage: 'accepted',
      settled: true,
      headline: 'Accepted. Ben Okafor will call you back.',
      acceptedAt: '2026-11-25T01:55:00.000Z',
      callBackBy: '2026-11-25T02:25:00.000Z',
    });
    const later = referrerProgress({ ...input('accepted', [accepted]), urgency: 'within_24_hours' });
    expect(later.callBackBy).toBe('2026-11-25T05:55:00.000Z');
  });

  it('keeps checking after every AMHP was asked, since a late accept still counts', () => {
    expect(referrerProgress(input('exhausted', [received])).settled).toBe(false);
  });

  it('leaves out steps skipped, failed pages and audit entries', () => {
    const progress = referrerProgress(
      input('paging', [
        received,
        { at: received.at, type: 'no_one_on_duty', position: 'secondary' },
        { at: received.at, type: 'page_failed', staffId: 'x' },
        { at: received.at, type: 'viewed', by: 'someone' },
      ]),
    );
    expect(progress.events.map((e) => e.text)).toEqual(['Referral received']);
  });

  describe('the truth of what happened, with the number to call', () => {
    const at = '2026-11-25T01:50:01.000Z';
    const contact = { teamName: 'Leeds EDT', contactPhone: '+441134960000' };
    const never = /is being asked|has been asked to accept/;

    it('says no team covers the district, that the service was told, and whom to call; and keeps checking for a re-route', () => {
      const progress = referrerProgress(
        input('unrouted', [received, { at, type: 'no_team_for_area', district: 'LS1' }, { at, type: 'service_fallback_alerted', reason: 'no_team_for_area' }]),
        { contactPhone: '+447700900190' },
      );
      expect(progress).toMatchObject({ stage: 'unrouted', settled: false, callPhone: '+447700900190' });
      expect(progress.headline).toBe("No emergency duty team covers LS1. The service's on-call contact has been told. Call 07700 900190 and give the reference.");
      expect(progress.headline).not.toMatch(never);
    });

    it('says nobody has been told when no service fallback is set', () => {
      const progress = referrerProgress(input('unrouted', [received, { at, type: 'no_team_for_area', district: 'LS1' }, { at, type: 'nobody_told', reason: 'no_team_for_area' }]));
      expect(progress.headline).toBe('No emergency duty team covers LS1. Nobody has been told yet. Call the emergency duty team for the area and give the reference.');
    });

    it('says nobody on duty could be asked, who was told instead, and never that every AMHP has been asked', () => {
      const progress = referrerProgress(
        input('exhausted', [
          received,
          routed,
          { at, type: 'no_one_on_duty', position: 'primary' },
          { at, type: 'nobody_to_page' },
          { at, type: 'chain_exhausted', rounds: 1 },
          { at, type: 'fallback_alerted', managerStaffId: null, fallbackPhone: false },
          { at, type: 'service_fallback_alerted', reason: 'nobody_to_page' },
        ]),
        contact,
      );
      expect(progress.stage).toBe('unreachable');
      expect(progress.headline).toBe("Sent to Leeds EDT, but nobody there can be reached now, and the service's on-call contact has been told. Call 0113 496 0000 and give the reference.");
      expect(progress.events.map((e) => e.text)).toEqual([
        'Referral received',
        'Sent to Leeds EDT',
        'Nobody on duty in the team could be asked',
        "The service's on-call contact has been told",
      ]);
      expect(JSON.stringify(progress)).not.toMatch(never);
    });

    it('names the duty manager as told when the chain ran out and the manager was alerted', () => {
      const progress = referrerProgress(
        input('exhausted', [received, routed, paged, { at, type: 'chain_exhausted', rounds: 1 }, { at, type: 'fallback_alerted', managerStaffId: 'manager-dev', fallbackPhone: true }]),
        contact,
      );
      expect(progress.headline).toBe('Not accepted yet. Every AMHP on duty at Leeds EDT has been asked, and the duty manager has been told. Call 0113 496 0000 and give the reference.');
    });

    it('says it was handed over to the day service when the chain stopped for the morning handover, not that every AMHP was asked', () => {
      const progress = referrerProgress(input('exhausted', [received, routed, paged, { at, type: 'handed_over', to: 'day_service' }]), contact);
      expect(progress.headline).toBe('Handed over to the day service: no AMHP of Leeds EDT had accepted it. Call 0113 496 0000 and give the reference.');
      expect(progress.events.map((e) => e.text)).toContain('Handed over to the day service');
    });

    it("says the team's duty phone was told, not that an AMHP is being asked, at a fallback-phone step", () => {
      const progress = referrerProgress(input('paging', [received, routed, { at, type: 'fallback_phone_alerted', round: 0, pageSeq: 1 }]), contact);
      expect(progress.headline).toBe("Sent to Leeds EDT. No AMHP has accepted yet; the team's duty phone has been told.");
      expect(progress.headline).not.toMatch(never);
    });
  });
});

describe('what the referrer is told of the place of safety', () => {
  it('lists the arrival they reported, a move and the end of the detention, without who reported them or where', () => {
    const legal: TimelineEntry[] = [
      { at: '2026-11-25T02:10:00.000Z', type: 'arrived_at_place_of_safety', eventAt: '2026-11-25T02:05:00.000Z', by: 'police', placeKind: 'health_based', district: 'LS1' },
      { at: '2026-11-25T02:10:00.000Z', type: 'clock_started', clockKind: 's136' },
      { at: '2026-11-25T04:00:00.000Z', type: 'transferred', eventAt: '2026-11-25T03:55:00.000Z', by: 'police', placeKind: 'emergency_department', district: 'LS9' },
      { at: '2026-11-25T07:00:00.000Z', type: 'admitted', eventAt: '2026-11-25T07:00:00.000Z', by: 'amhp-asha', section: 's2' },
    ];
    const progress = referrerProgress(input('accepted', [received, routed, paged, ...legal]));
    expect(progress.events.slice(3).map((e) => e.text)).toEqual([
      'Arrived at the place of safety: the 24 hours started',
      'Moved to another place of safety: the 24 hours go on',
      'Admitted to hospital',
    ]);
    expect(JSON.stringify(progress.events)).not.toMatch(/amhp-asha|LS9/);
  });
});

describe('what the referrer is told after the accept', () => {
  const accepted: TimelineEntry = { at: '2026-11-25T01:55:00.000Z', type: 'accepted', staffId: 'amhp-ben' };
  const step = (type: string, eventAt: string, fields: Record<string, unknown> = {}) => ({ at: eventAt, type, eventAt, by: 'u-ben', ...fields }) as TimelineEntry;

  it('says the AMHP is on the way and when they expect to arrive, on the London clock', () => {
    const progress = referrerProgress(input('accepted', [received, routed, paged, accepted, step('attending', '2026-11-25T01:55:00.000Z', { etaMinutes: 45 })]), { amhpName: 'Ben Okafor' });
    expect(progress.headline).toBe('Accepted. The AMHP is on the way, expected about 02:40.');
    expect(progress.assessment).toBe('The AMHP is on the way, expected about 02:40.');
    expect(progress.events.at(-1)?.text).toBe('AMHP on the way (about 45 min)');
  });

  it('tells of the bed and the conveyance, but not the decision, the doctors, the delays or the relatives', () => {
    const timeline = [
      received, routed, paged, accepted,
      step('attending', '2026-11-25T02:00:00.000Z'),
      step('doctor_requested', '2026-11-25T02:05:00.000Z', { role: 's12' }),
      step('assessment_started', '2026-11-25T02:40:00.000Z'),
      step('relative_consulted', '2026-11-25T02:50:00.000Z', { role: 'nearest_relative', action: 'objected' }),
      step('decision', '2026-11-25T03:10:00.000Z', { outcome: 'application_s2' }),
      step('delay_started', '2026-11-25T03:15:00.000Z', { reason: 'bed' }),
      step('bed_requested', '2026-11-25T03:15:00.000Z'),
    ];
    const progress = referrerProgress(input('accepted', timeline));
    expect(progress.headline).toBe('Accepted. A hospital bed is being found.');
    expect(progress.events.slice(4).map((e) => e.text)).toEqual(['AMHP on the way', 'Assessment started', 'The assessment reached a decision', 'Bed asked for']);
    expect(JSON.stringify(progress)).not.toMatch(/objected|s12|section 2|application/);
  });
});
