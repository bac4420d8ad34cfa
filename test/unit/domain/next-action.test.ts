import { describe, expect, it } from 'vitest';
import { nextAction, nextActions, REARM_RETRY_SECONDS, ROUTING_GRACE_SECONDS, type NextActionInput } from '../../../shared/domain/next-action.ts';
import type { EscalationChain, EscalationState, StatutoryClock } from '../../../shared/domain/types.ts';

const at = (iso: string) => new Date(iso);
const RECEIVED = '2026-11-25T01:00:00.000Z';
const chain: EscalationChain = {
  steps: [
    { position: 'primary', staffId: 'asha' },
    { position: 'fallback_phone', staffId: null, delaySeconds: 120 },
    { position: 'secondary', staffId: 'ben' },
  ],
  ackTimeoutSeconds: 600,
  repeat: 0,
  managerStaffId: 'dev',
  fallbackPhone: '+447700900999',
};
const paging: EscalationState = {
  status: 'paging',
  round: 0,
  step: 0,
  pageSeq: 1,
  pages: [{ staffId: 'asha', position: 'primary', pageSeq: 1, round: 0, at: '2026-11-25T01:00:05.000Z' }],
  declinedBy: [],
};
const s136: StatutoryClock = { kind: 's136', startedAt: '2026-11-25T00:00:00.000Z', expiresAt: '2026-11-26T00:00:00.000Z' };

const referral = (overrides: Partial<NextActionInput> = {}): NextActionInput => ({
  status: 'received',
  createdAt: RECEIVED,
  clocks: [],
  timeline: [{ at: RECEIVED, type: 'received' }],
  ...overrides,
});

describe('when a referral next needs attention', () => {
  it('is its routing, a grace period after receipt, while it is received (clock warnings wait for a team)', () => {
    expect(nextActions(referral({ clocks: [s136] }), at('2026-11-25T01:00:01Z'))).toEqual([
      { kind: 'route', at: new Date(Date.parse(RECEIVED) + ROUTING_GRACE_SECONDS * 1000).toISOString() },
    ]);
  });

  it('is the timer of the page in hand while paging, then the clock warnings not yet given', () => {
    const input = referral({ status: 'paging', chain, escalation: paging, clocks: [s136] });
    expect(nextActions(input, at('2026-11-25T01:00:05Z'))).toEqual([
      { kind: 'ack-timer', at: '2026-11-25T01:10:05.000Z', pageSeq: 1 },
      // No assessment started 3 h after arrival: the manager is told (shared/domain/overruns.ts).
      { kind: 'overrun', at: '2026-11-25T03:00:00.000Z', overrun: 'assessment_not_started' },
      { kind: 'clock-warning', at: '2026-11-25T18:00:00.000Z', clockKind: 's136', hoursBefore: 6, expiresAt: s136.expiresAt },
      { kind: 'clock-warning', at: '2026-11-25T22:00:00.000Z', clockKind: 's136', hoursBefore: 2, expiresAt: s136.expiresAt },
      { kind: 'clock-warning', at: '2026-11-25T23:00:00.000Z', clockKind: 's136', hoursBefore: 1, expiresAt: s136.expiresAt },
      { kind: 'clock-warning', at: s136.expiresAt, clockKind: 's136', hoursBefore: 0, expiresAt: s136.expiresAt },
    ]);
  });

  it('is a fallback-phone step’s own delay from when the fallback phone was texted', () => {
    const state: EscalationState = { ...paging, step: 1, pageSeq: 2 };
    const input = referral({
      status: 'paging',
      chain,
      escalation: state,
      timeline: [{ at: RECEIVED, type: 'received' }, { at: '2026-11-25T01:10:05.000Z', type: 'fallback_phone_alerted', pageSeq: 2, round: 0 }],
    });
    expect(nextAction(input, at('2026-11-25T01:10:05Z'))).toEqual({ kind: 'ack-timer', at: '2026-11-25T01:12:05.000Z', pageSeq: 2 });
  });

  it('keeps a passed warning due at its threshold (so it shows as overdue) until it, or a later one, is given', () => {
    // Assessing already, so no overrun is owed: only the warnings.
    const accepted = referral({ status: 'accepted', clocks: [s136], timeline: [{ at: RECEIVED, type: 'received' }, { at: RECEIVED, type: 'assessment_started' }] });
    expect(nextAction(accepted, at('2026-11-25T22:30:00Z'))).toMatchObject({ kind: 'clock-warning', hoursBefore: 2, at: '2026-11-25T22:00:00.000Z' });
    const given = { ...accepted, timeline: [...accepted.timeline, { at: '2026-11-25T22:00:01.000Z', type: 'clock_warning' as const, clockKind: 's136', hoursBefore: 2, expiresAt: s136.expiresAt }] };
    expect(nextAction(given, at('2026-11-25T22:30:00Z'))).toMatchObject({ kind: 'clock-warning', hoursBefore: 1, at: '2026-11-25T23:00:00.000Z' });
    const expiryGiven = { ...given, timeline: [...given.timeline, { at: s136.expiresAt, type: 'clock_warning' as const, clockKind: 's136', hoursBefore: 0, expiresAt: s136.expiresAt }] };
    expect(nextAction(expiryGiven, at('2026-11-26T00:00:01Z'))).toBeNull();
  });

  it('is none for a closed referral, or an accepted one with no clock', () => {
    expect(nextAction(referral({ status: 'closed', clocks: [s136] }), at(RECEIVED))).toBeNull();
    expect(nextAction(referral({ status: 'accepted' }), at(RECEIVED))).toBeNull();
  });

  it('waits REARM_RETRY_SECONDS after the reconciler armed an overdue action again, rather than every run', () => {
    const rearmedAt = '2026-11-25T01:11:30.000Z';
    const input = referral({
      status: 'paging',
      chain,
      escalation: paging,
      timeline: [{ at: RECEIVED, type: 'received' }, { at: rearmedAt, type: 'timers_rearmed', actions: ['ack-timer'] }],
    });
    expect(nextAction(input, at(rearmedAt))?.at).toBe(new Date(Date.parse(rearmedAt) + REARM_RETRY_SECONDS * 1000).toISOString());
  });
});

describe('a clock started by a legal event', () => {
  it('owes its first warning from when the event was recorded, not from a threshold already past before it', () => {
    // Arrival reported at 20:00 for 01:00 that morning: T-6 h (19:00) had passed before the clock existed.
    const arrived: StatutoryClock = { kind: 's136', startedAt: '2026-11-25T01:00:00.000Z', expiresAt: '2026-11-26T01:00:00.000Z', startEvent: 'arrived_at_place_of_safety' };
    const recorded = '2026-11-25T20:00:00.000Z';
    const input = referral({
      status: 'accepted',
      clocks: [arrived],
      timeline: [{ at: RECEIVED, type: 'received' }, { at: recorded, type: 'clock_started', clockKind: 's136', expiresAt: arrived.expiresAt }, { at: recorded, type: 'assessment_started' }],
    });
    expect(nextAction(input, at('2026-11-25T20:00:01Z'))).toMatchObject({ kind: 'clock-warning', hoursBefore: 6, at: recorded });
  });

  it('owes nothing for a clock that has ended', () => {
    const ended: StatutoryClock = { ...s136, endedAt: '2026-11-25T03:00:00.000Z', endReason: 'admitted' };
    expect(nextActions(referral({ status: 'accepted', clocks: [ended] }), at('2026-11-25T20:00:00Z'))).toEqual([]);
  });
});
