import { buildChain, onAccept, onAckTimeout, onDecline, startEscalation } from '../domain/escalation.ts';
import { matchOnDuty, matchPolicy, type NamedUnavailable } from '../domain/matching.ts';
import { onDutyAt } from '../domain/rota.ts';
import { acceptConfirmText, declineConfirmText, pageNotDeliveredText, unroutedText } from '../domain/sms.ts';
import type { Team, TimelineEntry } from '../domain/types.ts';
import type { Dependencies, EscalationTimerMessage, PendingEffect, Referral } from '../ports.ts';
import { callSsml } from '../domain/voice.ts';
import { recordConflict } from './conflicts.ts';
import { callWithdrawnBecause } from './effects/voice-call.ts';
import { applyDecision } from './escalation-effects.ts';
import { dueClockTimerEffects } from './clock-warnings.ts';
import { dueOverrunTimerEffects } from './overruns.ts';
import { addEffects, changeReferral } from './outbox.ts';
import { alertServiceFallback } from './service-fallback.ts';
import { managerPhone } from './team-contacts.ts';

export type RouteRefusal = 'not-unrouted' | 'still-unrouted';

/**
 * Routing: the team covering where the person is now (or, for a district no team lists, the
 * service's default team, flagged), who is on duty there, the chain from matching, and the first
 * page. Every choice and skip lands in the chain and on the timeline. A district nobody covers
 * leaves the referral `unrouted` and texts the service fallback at once (or records that nobody
 * could be told). `again` routes an unrouted referral anew (a manager, once an area or default
 * team is set); it changes nothing if the referral is not unrouted, or still no team covers it.
 */
export async function routeReferral(deps: Dependencies, referralId: string, options: { again?: { by: string }; onRefusal?: (refusal: RouteRefusal) => void } = {}) {
  let rotation: { teamId: string; staffIds: string[]; at: Date } | null = null;
  const { again } = options;
  const result = await changeReferral(deps, referralId, async (referral, now) => {
    rotation = null;
    if (referral.status !== (again ? 'unrouted' : 'received')) {
      if (again) options.onRefusal?.('not-unrouted');
      return null;
    }
    const at = now.toISOString();
    const located = await teamFor(deps, referral.district);
    if (!located) {
      if (again) {
        options.onRefusal?.('still-unrouted');
        return null;
      }
      deps.log.warn('no team covers the referral area; telling the service fallback', { referralId, district: referral.district });
      const facts = { reference: referral.reference, district: referral.district, urgency: referral.urgency, legalStatus: referral.legal.status };
      const told = await alertServiceFallback(deps, unroutedText(facts), 'no_team_for_area', at, referral);
      return {
        ...referral,
        status: 'unrouted',
        timeline: [...referral.timeline, { at, type: 'no_team_for_area', district: referral.district }, told.entry],
        outbox: addEffects(referral, [...told.effects, ...dueClockTimerEffects(referral, now), ...dueOverrunTimerEffects(referral, now)]),
      };
    }
    const { team, byDefault } = located;
    const timeline: TimelineEntry[] = again ? [{ at, type: 'routed_again', by: again.by }] : [];
    if (byDefault) {
      deps.log.warn('no team covers the referral area; routed to the default team', { referralId, district: referral.district, teamId: team.id });
      timeline.push({ at, type: 'routed_to_default_team', district: referral.district, teamId: team.id });
    }
    const onDuty = onDutyAt(await deps.directory.shiftsAt(team.id, now), now);
    const amhps = onDuty.filter((holder) => holder.position !== 'manager').map((holder) => holder.staffId);
    // The rotation memory only orders two or more additional AMHPs: most nights there are none.
    const rotating = onDuty.filter((holder) => holder.position === 'additional').length > 1;
    // Everyone on duty is read with their busy marker at once: the page then needs no read of its own.
    const [{ staff, busy: busyOnDuty }, lastChosenAt] = await Promise.all([
      deps.directory.staffOnDuty(onDuty.map((holder) => holder.staffId)),
      rotating ? deps.directory.rotationOf(team.id) : Promise.resolve({}),
    ]);
    // Busy is about AMHPs holding an accepted referral; a manager's marker does not count here.
    const busy = new Set(amhps.filter((staffId) => busyOnDuty.has(staffId)));
    const input = {
      continuity: team.continuity,
      onDuty,
      careCoordinatorStaffId: referral.careCoordinatorStaffId,
      conflicts: referral.conflicts ?? [],
      busy,
      lastChosenAt,
      under18: referral.subjectUnder18,
      childrenServices: new Set([...staff.values()].filter((member) => member.childrenServicesExperience).map((member) => member.id)),
    };
    const policySteps = team.escalation.steps ?? [];
    const match = policySteps.length > 0 ? matchPolicy(input, policySteps, await namedUnavailable(deps, team)) : matchOnDuty(input);
    const chain = buildChain(team, match);
    rotation = { teamId: team.id, staffIds: match.rotated, at: now };
    timeline.push({ at, type: 'routed', teamId: team.id, chain: chain.steps, reasons: chain.reasons, skipped: chain.skipped });
    for (const skip of match.skipped) timeline.push({ at, type: 'skipped', ...skip });
    const decision = startEscalation(chain, now);
    const routed: Referral = { ...referral, teamId: team.id, chain, ...(byDefault ? { unknownDistrict: true } : {}) };
    // Clock warnings that came due while it waited for routing were stood down: armed again here.
    return applyDecision(deps, routed, decision, now, { timeline, staff, effects: [...dueClockTimerEffects(referral, now), ...dueOverrunTimerEffects(referral, now)] });
  }, { leavePendingEffects: again !== undefined });
  // After the routed state is stored: the rotation is a fairness hint, so losing it to a crash costs little.
  const done = rotation as { teamId: string; staffIds: string[]; at: Date } | null;
  if (result?.changed && done && done.staffIds.length > 0) await deps.directory.recordRotation(done.teamId, done.staffIds, done.at);
  return result;
}

/**
 * People the team's policy names who can no longer be paged for it: checked when the policy is
 * stored, and again here, since staff leave teams and the directory after.
 */
async function namedUnavailable(deps: Dependencies, team: Team): Promise<Record<string, NamedUnavailable>> {
  const named = [...new Set((team.escalation.steps ?? []).flatMap((step) => ('staffId' in step ? [step.staffId] : [])))];
  const staff = await Promise.all(named.map((id) => deps.directory.getStaff(id)));
  const unavailable: Record<string, NamedUnavailable> = {};
  named.forEach((id, i) => {
    const member = staff[i];
    if (!member) unavailable[id] = 'unknown_staff';
    else if (!member.teamIds.includes(team.id)) unavailable[id] = 'not_in_team';
  });
  return unavailable;
}

async function teamFor(deps: Dependencies, district: string): Promise<{ team: Team; byDefault: boolean } | null> {
  const team = await deps.directory.teamForDistrict(district);
  if (team) return { team, byDefault: false };
  const { defaultTeamId } = await deps.directory.getServiceSettings();
  const fallback = defaultTeamId ? await deps.directory.getTeam(defaultTeamId) : null;
  return fallback ? { team: fallback, byDefault: true } : null;
}

/**
 * No answer in time, or (`page-failed`) the page could not be delivered at all: either way the
 * chain moves on. An undelivered page is recorded as such and the manager is told, since a phone
 * that cannot be reached is a rota problem someone must fix tonight.
 */
export async function handleAckTimer(deps: Dependencies, message: EscalationTimerMessage) {
  return changeReferral(deps, message.referralId, async (referral, now) => {
    if (!referral.escalation || !referral.chain) return null;
    const delivered = message.reason !== 'page-failed';
    const decision = onAckTimeout(referral.escalation, referral.chain, message.pageSeq, now, { delivered });
    if (decision.actions.length === 0 && decision.timeline.length === 0) return null;
    if (delivered) return applyDecision(deps, referral, decision, now);
    const failed = referral.escalation.pages.find((page) => page.pageSeq === message.pageSeq);
    const timeline = decision.timeline.map((entry) =>
      entry.type === 'ack_timeout' ? { ...entry, type: 'page_failed' as const, reason: 'sms_not_delivered' } : entry,
    );
    const to = await managerPhone(deps, referral.teamId, now);
    const text = pageNotDeliveredText({ reference: referral.reference, position: failed?.position ?? 'duty' });
    if (to) return applyDecision(deps, referral, { ...decision, timeline }, now, { effects: [{ kind: 'sms', to, purpose: 'fallback-alert', text }] });
    // No manager on duty and no team fallback: the service fallback is told instead.
    const told = await alertServiceFallback(deps, text, 'page_not_delivered', now.toISOString(), referral);
    return applyDecision(deps, referral, { ...decision, timeline: [...timeline, told.entry] }, now, { effects: told.effects });
  });
}

/**
 * A page's voice call is due: if the page is still the one in hand and unanswered, the call goes
 * into the outbox (rendered here, with no personal data) for the voice-call effect to place. The
 * chain does not move for it: the page's acknowledgement timer still decides that.
 */
export async function handleCallTimer(deps: Dependencies, message: EscalationTimerMessage) {
  return changeReferral(deps, message.referralId, async (referral) => {
    const page = referral.escalation?.pages.find((record) => record.pageSeq === message.pageSeq);
    if (!page || callWithdrawnBecause(referral, message.pageSeq, page.staffId)) return null;
    // Planned once per page; a redelivered timer finds the call already in the outbox or on the timeline.
    const planned = Object.values(referral.outbox).some((effect) => effect.kind === 'voice-call' && effect.pageSeq === message.pageSeq);
    const made = referral.timeline.some((entry) => (entry.type === 'voice_call' || entry.type === 'voice_call_failed') && entry.pageSeq === message.pageSeq);
    if (planned || made) return null;
    const staff = await deps.directory.getStaff(page.staffId);
    if (!staff) return null;
    const ssml = callSsml({
      reference: referral.reference,
      urgency: referral.urgency,
      legalStatus: referral.legal.status,
      district: referral.district,
      under18: referral.subjectUnder18 === true,
    });
    return { ...referral, outbox: addEffects(referral, [{ kind: 'voice-call', staffId: staff.id, pageSeq: message.pageSeq, to: staff.phone, ssml }]) };
  });
}

/** An answer by SMS is confirmed by SMS, so the AMHP knows it landed. */
async function smsConfirmation(
  deps: Dependencies,
  input: { staffId: string; answer: 'accept' | 'decline'; via: string; conflictOfInterest?: boolean },
  reference: string,
): Promise<PendingEffect[]> {
  if (input.via !== 'sms') return [];
  const staff = await deps.directory.getStaff(input.staffId);
  if (!staff) return [];
  const text = input.answer === 'accept' ? acceptConfirmText(reference) : declineConfirmText(reference, { conflict: input.conflictOfInterest === true });
  return [{ kind: 'sms', to: staff.phone, text, purpose: 'reply' }];
}

export type AnswerResult =
  | { kind: 'done'; referral: Referral }
  | { kind: 'not-found' }
  | { kind: 'forbidden'; reason: string }
  | { kind: 'conflict'; reason: string };

/**
 * Both answers are refused unless this person was paged for this referral. A decline may declare
 * a conflict of interest: it is kept on the referral and its timeline in the same write as the
 * decline, so the person is skipped in every later step and round and never paged for it again.
 * A conflict declared after a plain decline is still recorded.
 */
export async function answerPage(
  deps: Dependencies,
  input: {
    referralId: string;
    staffId: string;
    answer: 'accept' | 'decline';
    reason?: string;
    conflictOfInterest?: boolean;
    via: 'api' | 'sms' | 'link';
  },
): Promise<AnswerResult> {
  const conflict = input.answer === 'decline' && input.conflictOfInterest === true;
  let refusal: AnswerResult | null = null;
  const result = await changeReferral(deps, input.referralId, async (referral, now) => {
    refusal = null;
    if (!referral.escalation || !referral.chain) {
      refusal = { kind: 'forbidden', reason: 'not-paged' };
      return null;
    }
    // Its outcome is recorded: a late accept (even after exhaustion) or decline changes nothing.
    if (referral.status === 'closed') {
      refusal = { kind: 'conflict', reason: 'closed' };
      return null;
    }
    const outcome =
      input.answer === 'accept'
        ? onAccept(referral.escalation, input.staffId, now)
        : onDecline(referral.escalation, referral.chain, input.staffId, input.reason, now, { conflict });
    if (!outcome.ok) {
      refusal = outcome.error === 'not-paged' ? { kind: 'forbidden', reason: outcome.error } : { kind: 'conflict', reason: outcome.error };
      return null;
    }
    const declared = conflict ? recordConflict(referral, input.staffId, now, { via: input.via }) : null;
    if (outcome.decision.actions.length === 0 && outcome.decision.timeline.length === 0 && !declared) return null;
    const decision = {
      ...outcome.decision,
      timeline: outcome.decision.timeline.map((entry) => ({ ...entry, via: input.via })),
    };
    const confirm = outcome.decision.timeline.length > 0 || declared ? await smsConfirmation(deps, input, referral.reference) : [];
    return applyDecision(deps, declared ?? referral, decision, now, { effects: confirm });
  }, { leavePendingEffects: input.via !== 'sms' });
  if (!result) return { kind: 'not-found' };
  return refusal ?? { kind: 'done', referral: result.referral };
}
