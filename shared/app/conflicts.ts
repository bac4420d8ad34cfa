import { withConflict } from '../domain/matching.ts';
import type { Referral } from '../ports.ts';

/**
 * The referral with a staff member's declared conflict of interest kept on it and on its timeline
 * (who and when; never any reason they gave). Routing leaves them out of its chain (matching.ts)
 * and the escalation core skips them in later rounds; `null` when it was declared before.
 */
export function recordConflict(referral: Referral, staffId: string, now: Date, detail: { via?: string } = {}): Referral | null {
  if (referral.conflicts?.includes(staffId)) return null;
  return {
    ...referral,
    conflicts: withConflict(referral.conflicts, staffId),
    timeline: [...referral.timeline, { at: now.toISOString(), type: 'conflict_declared', staffId, ...detail }],
  };
}

