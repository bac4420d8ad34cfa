import { personalDetails, type DetailsRetention, type PersonalDetails } from '../domain/retention.ts';
import type { Dependencies, Referral } from '../ports.ts';
import { changeReferral } from './outbox.ts';

/**
 * A referral and the person's details as a reader may see them now, in one read: details past
 * their expiry count as removed even while the table's TTL has not yet deleted them.
 */
export async function referralWithDetails(
  deps: Dependencies,
  referralId: string,
): Promise<{ referral: Referral; personal: PersonalDetails } | null> {
  const found = await deps.referrals.getWithDetails(referralId);
  if (!found) return null;
  const personal = personalDetails(found.referral.detailsExpireAt, found.details, deps.clock.now());
  return { referral: found.referral, personal };
}

const recorded = (referral: Referral) => referral.timeline.some((entry) => entry.type === 'details_removed');

/**
 * Records once on the timeline that the details were found removed: a conditional write of the
 * referral item alone, as every state change is. A failure costs only the entry, never the read.
 */
export async function noticeRemoval(deps: Dependencies, referral: Referral, personal: PersonalDetails | DetailsRetention): Promise<Referral> {
  if (personal.status !== 'removed' || recorded(referral)) return referral;
  const expiredAt = personal.removedAt ? { expiredAt: personal.removedAt } : {};
  try {
    const result = await changeReferral(
      deps,
      referral.id,
      (current, now) =>
        recorded(current) ? null : { ...current, timeline: [...current.timeline, { at: now.toISOString(), type: 'details_removed', ...expiredAt }] },
      { leavePendingEffects: true },
    );
    return result?.referral ?? referral;
  } catch (error) {
    deps.log.warn('could not record that the details were removed', { referralId: referral.id, error: error instanceof Error ? error.name : 'unknown' });
    return referral;
  }
}
