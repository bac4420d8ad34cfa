import * as z from 'zod';
import { resourceId, toIssues, type Issue } from '../domain/admin-schemas.ts';
import { pageByHand } from '../domain/escalation.ts';
import type { Dependencies, Referral } from '../ports.ts';
import { hasRole, isTeamStaff, managesTeamless, type Caller } from './caller.ts';
import { routeReferral, type RouteRefusal } from './escalate.ts';
import { applyDecision } from './escalation-effects.ts';
import { changeReferral } from './outbox.ts';

export type ManagerActionResult =
  | { kind: 'done'; referral: Referral }
  | { kind: 'invalid'; issues: Issue[] }
  | { kind: 'not-found'; what: 'referral' | 'staff' }
  | { kind: 'forbidden' }
  | { kind: 'conflict'; error: string; message: string };

/** A manager of the referral's team, or an administrator. */
async function managesReferral(deps: Dependencies, caller: Caller, referral: Referral): Promise<boolean> {
  if (hasRole(caller, 'admin')) return true;
  return hasRole(caller, 'manager') && (await isTeamStaff(deps, caller, referral.teamId));
}

const pageBody = z.strictObject({ staffId: resourceId });

const pageConflicts = {
  closed: 'the referral is closed',
  accepted: 'the referral has been accepted',
  declined: 'this person declined the referral',
  conflict: 'this person declared a conflict of interest for the referral',
  'not-routed': 'the referral has no team yet: route it first',
} as const;

/**
 * `POST /api/referrals/{id}/page {"staffId"}`: pages that person now, through the same effects as
 * an escalation page (an SMS with a single-use accept link, the page index, a timer while the
 * chain is paging). The person must be staff of the referral's team, who may then see it.
 */
export async function pageNow(deps: Dependencies, caller: Caller, referralId: string, body: unknown): Promise<ManagerActionResult> {
  const parsed = pageBody.safeParse(body);
  if (!parsed.success) return { kind: 'invalid', issues: toIssues(parsed.error) };
  const current = await deps.referrals.get(referralId);
  if (!current) return { kind: 'not-found', what: 'referral' };
  if (!(await managesReferral(deps, caller, current))) return { kind: 'forbidden' };
  const staff = await deps.directory.getStaff(parsed.data.staffId);
  if (!staff) return { kind: 'not-found', what: 'staff' };
  if (current.teamId && !staff.teamIds.includes(current.teamId)) {
    return { kind: 'invalid', issues: [{ path: 'staffId', message: "is not a member of the referral's team" }] };
  }
  let refusal: keyof typeof pageConflicts | null = null;
  const result = await changeReferral(
    deps,
    referralId,
    async (referral, now) => {
      refusal = null;
      if (referral.status === 'closed' || referral.status === 'accepted') refusal = referral.status;
      else if (!referral.escalation || !referral.chain) refusal = 'not-routed';
      if (refusal || !referral.escalation || !referral.chain) return null;
      const outcome = pageByHand(referral.escalation, referral.chain, staff.id, now, caller.staffId ?? caller.userId);
      if (!outcome.ok) {
        refusal = outcome.error;
        return null;
      }
      return applyDecision(deps, referral, outcome.decision, now, { staff: new Map([[staff.id, staff]]) });
    },
    { leavePendingEffects: true },
  );
  if (!result) return { kind: 'not-found', what: 'referral' };
  const refused = refusal as keyof typeof pageConflicts | null;
  if (refused) return { kind: 'conflict', error: refused === 'not-routed' ? 'not_routed' : refused, message: pageConflicts[refused] };
  deps.log.info('paged by hand', { referralId, staffId: staff.id });
  return { kind: 'done', referral: result.referral };
}

const routeConflicts: Record<RouteRefusal, string> = {
  'not-unrouted': 'only an unrouted referral can be routed again',
  'still-unrouted': 'still no team covers its district and no default team is set: set one, then route it again',
};

/**
 * `POST /api/referrals/{id}/route`: routes an unrouted referral again, once a team's areas or the
 * default team cover it. An unrouted referral has no team, so any manager may (it is on every
 * manager's board), as may an administrator.
 */
export async function routeAgain(deps: Dependencies, caller: Caller, referralId: string): Promise<ManagerActionResult> {
  const current = await deps.referrals.get(referralId);
  if (!current) return { kind: 'not-found', what: 'referral' };
  const allowed = hasRole(caller, 'admin') || managesTeamless(caller, current) || (hasRole(caller, 'manager') && (await isTeamStaff(deps, caller, current.teamId)));
  if (!allowed) return { kind: 'forbidden' };
  let refusal: RouteRefusal | null = null;
  const result = await routeReferral(deps, referralId, {
    again: { by: caller.staffId ?? caller.userId },
    onRefusal: (reason) => {
      refusal = reason;
    },
  });
  if (!result) return { kind: 'not-found', what: 'referral' };
  const refused = refusal as RouteRefusal | null;
  if (refused && !result.changed) return { kind: 'conflict', error: refused.replace('-', '_'), message: routeConflicts[refused] };
  deps.log.info('routed again', { referralId, teamId: result.referral.teamId });
  return { kind: 'done', referral: result.referral };
}
