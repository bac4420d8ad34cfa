import { withConflict } from '../domain/matching.ts';
import type { Dependencies } from '../ports.ts';
import { changeReferral } from './outbox.ts';

/**
 * Records that a staff member declared a conflict of interest for a referral: routing leaves
 * them out of its chain (matching.ts). Whether a declaration on decline also moves a chain in
 * flight on is the decline rules' business (escalation.ts onDecline).
 */
export async function declareConflict(deps: Dependencies, referralId: string, staffId: string) {
  return changeReferral(deps, referralId, (referral, now) =>
    referral.conflicts?.includes(staffId)
      ? null
      : {
          ...referral,
          conflicts: withConflict(referral.conflicts, staffId),
          timeline: [...referral.timeline, { at: now.toISOString(), type: 'conflict_declared', staffId }],
        },
  );
}
