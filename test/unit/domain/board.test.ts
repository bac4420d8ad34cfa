import { describe, expect, it } from 'vitest';
import { acceptanceWindowSeconds } from '../../../shared/domain/escalation.ts';
import { boardRow, clockLevel, countdownText, sortBoard, type BoardInput } from '../../../shared/domain/board.ts';
import type { EscalationChain } from '../../../shared/domain/types.ts';

const NOW = new Date('2026-11-25T03:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();
const chain: EscalationChain = {
  steps: [
    { position: 'primary', staffId: 'amhp-asha' },
    { position: 'secondary', staffId: 'amhp-ben' },
    { position: 'manager', staffId: null },
  ],
  ackTimeoutSeconds: 600,
  repeat: 1,
  managerStaffId: null,
  fallbackPhone: null,
};

function referral(overrides: Partial<BoardInput> = {}): BoardInput {
  return {
    id: 'r1',
    reference: 'EDT-AAAA-BBBB',
    district: 'LS1',
    legalStatus: 's136',
    urgency: 'immediate',
    status: 'paging',
    teamId: 'leeds-edt',
    createdAt: minutesAgo(25),
    clocks: [{ kind: 's136', startedAt: minutesAgo(60 * 20), expiresAt: new Date(NOW.getTime() + 4 * 3_600_000).toISOString() }],
    timeline: [
      { at: minutesAgo(25), type: 'received' },
      { at: minutesAgo(24), type: 'paged', staffId: 'amhp-asha', pageSeq: 1 },
      { at: minutesAgo(14), type: 'paged', staffId: 'amhp-ben', pageSeq: 2 },
    ],
    chain,
    escalation: {
      status: 'paging',
      round: 0,
      step: 1,
      pageSeq: 2,
      pages: [
        { staffId: 'amhp-asha', position: 'primary', pageSeq: 1, round: 0, at: minutesAgo(24) },
        { staffId: 'amhp-ben', position: 'secondary', pageSeq: 2, round: 0, at: minutesAgo(14) },
      ],
      declinedBy: [],
    },
    ...overrides,
  };
}

describe('the board row', () => {
  it('shows the clock counting down, who is being paged, and minutes since receipt and the last page', () => {
    expect(boardRow(referral(), NOW)).toEqual({
      id: 'r1',
      reference: 'EDT-AAAA-BBBB',
      district: 'LS1',
      legalStatus: 's136',
      urgency: 'immediate',
      status: 'paging',
      teamId: 'leeds-edt',
      clock: { kind: 's136', expiresAt: '2026-11-25T07:00:00.000Z', secondsLeft: 4 * 3600, level: 'warning', extended: false },
      holder: { staffId: 'amhp-ben', how: 'paged' },
      minutesSinceReceived: 25,
      minutesSinceLastPage: 14,
      overdue: false,
      stage: 'not_accepted',
      minutesInStage: 25,
      openDelay: null,
      // Detained 17 h before: 3 h from arrival passed long ago with no assessment started.
      overruns: [{ kind: 'assessment_not_started', since: '2026-11-24T07:00:00.000Z', dueAt: '2026-11-24T10:00:00.000Z' }],
      under18: false,
    });
  });

  it('marks a person under 18 with the U18 marker only, never their age or date of birth', () => {
    const row = boardRow({ ...referral(), subjectUnder18: true }, NOW);
    expect(row.under18).toBe(true);
    expect(JSON.stringify(row)).not.toMatch(/dateOfBirth|"age"/);
  });

  it('shows the stage, its minutes, the open delay, and no overrun once the assessment has started', () => {
    const base = referral();
    const assessing = {
      ...base,
      status: 'accepted' as const,
      assignedTo: 'amhp-ben',
      timeline: [
        ...base.timeline,
        { at: '2026-11-25T02:50:00.000Z', type: 'accepted' as const },
        { at: '2026-11-25T02:51:00.000Z', eventAt: '2026-11-25T02:51:00.000Z', type: 'assessment_started' as const },
        { at: '2026-11-25T02:55:00.000Z', eventAt: '2026-11-25T02:54:00.000Z', type: 'delay_started' as const, reason: 'interpreter' },
      ],
    };
    expect(boardRow(assessing, NOW)).toMatchObject({ stage: 'assessment_started', minutesInStage: 9, openDelay: { reason: 'interpreter', since: '2026-11-25T02:54:00.000Z', until: null }, overruns: [] });
  });

  it('names the AMHP who accepted as the holder', () => {
    const row = boardRow(referral({ status: 'accepted', assignedTo: 'amhp-asha', escalation: { ...referral().escalation!, status: 'accepted', acceptedBy: 'amhp-asha' } }), NOW);
    expect(row.holder).toEqual({ staffId: 'amhp-asha', how: 'accepted' });
    expect(row.overdue).toBe(false);
  });

  it("is overdue once unaccepted past the team's limit (every pageable step of every round), or when the chain ran out", () => {
    // Two pageable steps × 600 s × 2 rounds = 40 minutes.
    expect(acceptanceWindowSeconds(chain)).toBe(2400);
    expect(boardRow(referral({ createdAt: minutesAgo(40) }), NOW).overdue).toBe(false);
    expect(boardRow(referral({ createdAt: minutesAgo(41) }), NOW).overdue).toBe(true);
    expect(boardRow(referral({ status: 'exhausted', escalation: { ...referral().escalation!, status: 'exhausted' } }), NOW)).toMatchObject({ overdue: true, holder: null });
  });

  it('is no alarm once handed over before anyone accepted (the morning handover): the day service has it', () => {
    const handedOver = { at: minutesAgo(1), type: 'handed_over' as const, to: 'day_service' };
    const stopped = referral({ status: 'exhausted', createdAt: minutesAgo(600), escalation: { ...referral().escalation!, status: 'exhausted' } });
    expect(boardRow({ ...stopped, timeline: [...stopped.timeline, handedOver] }, NOW)).toMatchObject({ overdue: false, holder: null });
  });

  it('colours the clock: green, then orange from T−6 h, red from T−2 h and once expired', () => {
    expect(clockLevel(6 * 3600 + 1)).toBe('running');
    expect(clockLevel(6 * 3600)).toBe('warning');
    expect(clockLevel(2 * 3600)).toBe('critical');
    expect(clockLevel(0)).toBe('expired');
    expect(countdownText(3 * 3600 + 5 * 60 + 30)).toBe('3 h 05 min left');
    expect(countdownText(45 * 60)).toBe('45 min left');
    expect(countdownText(-12 * 60)).toBe('expired 12 min ago');
  });

  it('has no clock for a referral without one', () => {
    expect(boardRow(referral({ clocks: [], legalStatus: 'none' }), NOW).clock).toBeNull();
  });

  it('sorts by soonest expiry, then overdue, then longest waiting', () => {
    const soon = boardRow(referral({ id: 'soon', reference: 'S', clocks: [{ kind: 's5_4', startedAt: minutesAgo(300), expiresAt: minutesAgo(-60) }] }), NOW);
    const later = boardRow(referral({ id: 'later', reference: 'L' }), NOW);
    const overdue = boardRow(referral({ id: 'overdue', reference: 'O', clocks: [], status: 'exhausted' }), NOW);
    const old = boardRow(referral({ id: 'old', reference: 'D', clocks: [], createdAt: minutesAgo(30) }), NOW);
    const fresh = boardRow(referral({ id: 'fresh', reference: 'F', clocks: [], createdAt: minutesAgo(5) }), NOW);
    expect(sortBoard([fresh, old, overdue, later, soon]).map((row) => row.id)).toEqual(['soon', 'later', 'overdue', 'old', 'fresh']);
  });
});
