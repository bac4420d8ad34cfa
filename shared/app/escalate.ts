import { buildChain, onAccept, onAckTimeout, onDecline, startEscalation } from '../domain/escalation.ts';
import { whoIsOnDuty } from '../domain/rota.ts';
import { acceptConfirmText, declineConfirmText } from '../domain/sms.ts';
import type { Dependencies, EscalationTimerMessage, PendingEffect, Referral } from '../ports.ts';
import { applyDecision } from './escalation-effects.ts';
import { changeReferral } from './outbox.ts';

/** Routing: the team covering where the person is now, who is on duty there, and the first page. */
export async function routeReferral(deps: Dependencies, referralId: string) {
  return changeReferral(deps, referralId, async (referral, now) => {
    if (referral.status !== 'received') return null;
    const at = now.toISOString();
    const team = await deps.directory.teamForDistrict(referral.district);
    if (!team) {
      deps.log.warn('no team covers the referral area', { referralId, district: referral.district });
      return {
        ...referral,
        status: 'unrouted',
        timeline: [...referral.timeline, { at, type: 'no_team_for_area', district: referral.district }],
      };
    }
    const onCall = whoIsOnDuty(await deps.directory.shiftsAt(team.id, now), now);
    const chain = buildChain(team, onCall);
    const routed = { at, type: 'routed' as const, teamId: team.id, chain: chain.steps };
    const decision = startEscalation(chain, now);
    return applyDecision(deps, { ...referral, teamId: team.id, chain }, decision, now, { timeline: [routed] });
  });
}

export async function handleAckTimer(deps: Dependencies, message: EscalationTimerMessage) {
  return changeReferral(deps, message.referralId, async (referral, now) => {
    if (!referral.escalation || !referral.chain) return null;
    const decision = onAckTimeout(referral.escalation, referral.chain, message.pageSeq, now);
    if (decision.actions.length === 0 && decision.timeline.length === 0) return null;
    return applyDecision(deps, referral, decision, now);
  });
}

/** An answer by SMS is confirmed by SMS, so the AMHP knows it landed. */
async function smsConfirmation(
  deps: Dependencies,
  input: { staffId: string; answer: 'accept' | 'decline'; via: string },
  reference: string,
): Promise<PendingEffect[]> {
  if (input.via !== 'sms') return [];
  const staff = await deps.directory.getStaff(input.staffId);
  if (!staff) return [];
  const text = input.answer === 'accept' ? acceptConfirmText(reference) : declineConfirmText(reference);
  return [{ kind: 'sms', to: staff.phone, text, purpose: 'reply' }];
}

export type AnswerResult =
  | { kind: 'done'; referral: Referral }
  | { kind: 'not-found' }
  | { kind: 'forbidden'; reason: string }
  | { kind: 'conflict'; reason: string };

/** Both answers are refused unless this person was paged for this referral. */
export async function answerPage(
  deps: Dependencies,
  input: { referralId: string; staffId: string; answer: 'accept' | 'decline'; reason?: string; via: 'api' | 'sms' | 'link' },
): Promise<AnswerResult> {
  let refusal: AnswerResult | null = null;
  const result = await changeReferral(deps, input.referralId, async (referral, now) => {
    refusal = null;
    if (!referral.escalation || !referral.chain) {
      refusal = { kind: 'forbidden', reason: 'not-paged' };
      return null;
    }
    const outcome =
      input.answer === 'accept'
        ? onAccept(referral.escalation, input.staffId, now)
        : onDecline(referral.escalation, referral.chain, input.staffId, input.reason, now);
    if (!outcome.ok) {
      refusal = outcome.error === 'not-paged' ? { kind: 'forbidden', reason: outcome.error } : { kind: 'conflict', reason: outcome.error };
      return null;
    }
    if (outcome.decision.actions.length === 0 && outcome.decision.timeline.length === 0) return null;
    const decision = {
      ...outcome.decision,
      timeline: outcome.decision.timeline.map((entry) => ({ ...entry, via: input.via })),
    };
    return applyDecision(deps, referral, decision, now, { effects: await smsConfirmation(deps, input, referral.reference) });
  });
  if (!result) return { kind: 'not-found' };
  return refusal ?? { kind: 'done', referral: result.referral };
}
