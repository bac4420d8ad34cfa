import { describe, expect, it } from 'vitest';
import { referrerProgress } from '../../../shared/domain/referrer-progress.ts';
import type { TimelineEntry } from '../../../shared/domain/types.ts';

const received: TimelineEntry = { at: '2026-11-25T01:50:00.000Z', type: 'received' };
const routed: TimelineEntry = { at: '2026-11-25T01:50:01.000Z', type: 'routed', teamId: 'leeds-edt' };
const paged: TimelineEntry = { at: '2026-11-25T01:50:01.000Z', type: 'paged', staffId: 'amhp-asha', round: 0 };
const input = (status: 'received' | 'paging' | 'accepted' | 'exhausted' | 'unrouted', timeline: TimelineEntry[]) => ({
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
});
