import { closeReferral as decideClose, validateOutcome } from '../domain/outcomes.ts';
import { detailsExpiryOnClose } from '../domain/retention.ts';
import type { ValidationIssue } from '../domain/types.ts';
import type { Dependencies, PendingEffect, Referral } from '../ports.ts';
import { hasRole, isTeamStaff, managesTeamless, type Caller } from './caller.ts';
import { addEffects, changeReferral } from './outbox.ts';

export type CloseResult =
  | { kind: 'closed'; referral: Referral }
  | { kind: 'invalid'; issues: ValidationIssue[] }
  | { kind: 'not-found' }
  | { kind: 'forbidden' }
  | { kind: 'conflict'; error: 'already-closed' | 'not-closable'; message: string };

/**
 * Who may record the outcome: the AMHP who holds the referral, a manager of its team, or an
 * administrator. A referral no team holds (no team covers its area) may be closed by any manager,
 * since it is on every manager's board.
 */
export async function canCloseReferral(deps: Dependencies, caller: Caller, referral: Referral): Promise<boolean> {
  if (hasRole(caller, 'admin')) return true;
  if (caller.staffId && referral.assignedTo === caller.staffId && hasRole(caller, 'amhp', 'manager')) return true;
  if (!referral.teamId) return managesTeamless(caller, referral);
  return hasRole(caller, 'manager') && (await isTeamStaff(deps, caller, referral.teamId));
}

/**
 * Records the outcome and closes the referral in one conditional write, with its effects: the AMHP
 * who held it is no longer busy, nobody's pages can find it any more (a late `1` by SMS or an
 * accept link is refused once it is closed), and the person's details are kept only for the
 * retention period from now (their item's TTL is set by an effect, so a crash cannot skip it).
 */
export async function closeReferralAs(deps: Dependencies, caller: Caller, referralId: string, body: unknown): Promise<CloseResult> {
  const outcome = validateOutcome(body);
  if (!outcome.ok) return { kind: 'invalid', issues: outcome.issues };
  const current = await deps.referrals.get(referralId);
  if (!current) return { kind: 'not-found' };
  if (!(await canCloseReferral(deps, caller, current))) return { kind: 'forbidden' };
  let refusal: CloseResult | null = null;
  const result = await changeReferral(deps, referralId, (referral, now) => {
    refusal = null;
    const decision = decideClose(referral.status, outcome.value, caller.userId, now);
    if (!decision.ok) {
      refusal = { kind: 'conflict', error: decision.error, message: decision.message };
      return null;
    }
    const paged = [...new Set(referral.escalation?.pages.map((page) => page.staffId) ?? [])];
    const detailsExpireAt = detailsExpiryOnClose(referral.detailsExpireAt, now, deps.retention);
    const effects: PendingEffect[] = [
      ...(paged.length > 0 ? [{ kind: 'close-pages' as const, staffIds: paged }] : []),
      ...(referral.status === 'accepted' && referral.assignedTo ? [{ kind: 'clear-busy' as const, staffId: referral.assignedTo }] : []),
      { kind: 'expire-details', at: detailsExpireAt },
    ];
    return {
      ...referral,
      status: 'closed',
      closure: decision.closure,
      detailsExpireAt,
      timeline: [...referral.timeline, decision.entry],
      outbox: addEffects(referral, effects),
    };
  });
  if (!result) return { kind: 'not-found' };
  if (refusal) return refusal;
  deps.log.info('referral closed', { referralId, outcome: outcome.value.outcome });
  return { kind: 'closed', referral: result.referral };
}
