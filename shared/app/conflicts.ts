import { withConflict } from '../domain/matching.ts';
import type { Dependencies, Referral } from '../ports.ts';
import { changeReferral } from './outbox.ts';

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

/**
 * Records a declared conflict on its own. A conflict declared on declining a page goes through
 * `answerPage` (escalate.ts), which records it with the decline in one write.
 */
export async function declareConflict(deps: Dependencies, referralId: string, staffId: string) {
  return changeReferral(deps, referralId, (referral, now) => recordConflict(referral, staffId, now));
}
