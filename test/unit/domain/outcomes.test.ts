import { describe, expect, it } from 'vitest';
import { closeReferral, validateOutcome } from '../../../shared/domain/outcomes.ts';
import type { ReferralStatus } from '../../../shared/domain/types.ts';

const NOW = new Date('2026-11-25T03:10:00Z');

describe('validateOutcome', () => {
  it('takes assessed with its result, and the other outcomes on their own', () => {
    expect(validateOutcome({ outcome: 'assessed', result: 'detained_s2' })).toEqual({ ok: true, value: { outcome: 'assessed', result: 'detained_s2' } });
    for (const result of ['detained_s3', 'informal_admission', 'community_follow_up', 'no_further_action']) {
      expect(validateOutcome({ outcome: 'assessed', result }).ok).toBe(true);
    }
    for (const outcome of ['not_required', 'withdrawn', 'transferred']) {
      expect(validateOutcome({ outcome })).toEqual({ ok: true, value: { outcome } });
    }
  });

  it('requires the result when the person was assessed', () => {
    expect(validateOutcome({ outcome: 'assessed' })).toEqual({ ok: false, issues: [{ path: 'result', message: 'is required when the outcome is assessed' }] });
    const unknown = validateOutcome({ outcome: 'assessed', result: 'sectioned' });
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.issues[0]?.path).toBe('result');
  });

  it('refuses a result for any other outcome, an unknown outcome, and extra fields (no free text)', () => {
    expect(validateOutcome({ outcome: 'withdrawn', result: 'detained_s2' })).toEqual({ ok: false, issues: [{ path: 'result', message: 'is only given when the outcome is assessed' }] });
    expect(validateOutcome({ outcome: 'lost' })).toMatchObject({ ok: false, issues: [{ path: 'outcome' }] });
    expect(validateOutcome(null)).toMatchObject({ ok: false, issues: [{ path: '' }] });
    const extra = validateOutcome({ outcome: 'transferred', note: 'to Bradford, Mr Smith agreed' });
    expect(extra.ok).toBe(false);
    if (!extra.ok) expect(JSON.stringify(extra.issues)).not.toContain('Smith');
  });
});

describe('closeReferral', () => {
  it('closes an accepted referral with the outcome, who and when, and a timeline entry', () => {
    const decision = closeReferral('accepted', { outcome: 'assessed', result: 'informal_admission' }, 'amhp-asha', NOW);
    expect(decision).toEqual({
      ok: true,
      closure: { outcome: 'assessed', result: 'informal_admission', closedBy: 'amhp-asha', closedAt: NOW.toISOString() },
      entry: { at: NOW.toISOString(), type: 'closed', outcome: 'assessed', result: 'informal_admission', by: 'amhp-asha', fromStatus: 'accepted' },
    });
  });

  it('closes an exhausted or unrouted referral too', () => {
    expect(closeReferral('exhausted', { outcome: 'transferred' }, 'manager-dev', NOW)).toMatchObject({ ok: true, entry: { fromStatus: 'exhausted' } });
    expect(closeReferral('unrouted', { outcome: 'not_required' }, 'manager-dev', NOW)).toMatchObject({ ok: true });
  });

  it('refuses a referral still being paged or not yet routed, and one already closed', () => {
    for (const status of ['paging', 'received'] as ReferralStatus[]) {
      expect(closeReferral(status, { outcome: 'withdrawn' }, 'manager-dev', NOW)).toMatchObject({ ok: false, error: 'not-closable' });
    }
    expect(closeReferral('closed', { outcome: 'withdrawn' }, 'manager-dev', NOW)).toMatchObject({ ok: false, error: 'already-closed' });
  });
});
