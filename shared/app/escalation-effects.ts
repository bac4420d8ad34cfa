import { randomBytes } from 'node:crypto';
import { earliestExpiry } from '../domain/clocks.ts';
import { normaliseUkMobile } from '../domain/phone.ts';
import { callbackPhoneOf } from '../domain/referral-details.ts';
import { personalDetails } from '../domain/retention.ts';
import { callAfterSeconds } from '../domain/voice.ts';
import { isPhoneVerified } from '../domain/phone-verification.ts';
import { onHandedOver } from '../domain/escalation.ts';
import { whoIsOnDuty } from '../domain/rota.ts';
import {
  acceptedAfterAllText,
  fallbackAlertText,
  fallbackStepText,
  nobodyToPageText,
  pageText,
  referrerAcceptedText,
  standDownText,
  handedOverStandDownText,
  unverifiedPhonePagedText,
} from '../domain/sms.ts';
import type { EscalationAction, EscalationDecision, ServiceSettings, Staff, TimelineEntry } from '../domain/types.ts';
import type { Dependencies, PendingEffect, Referral } from '../ports.ts';
import { addEffects } from './outbox.ts';
import { alertServiceFallback } from './service-fallback.ts';

/** How long an accept link works: long enough for a late accept after the chain is exhausted. */
export const ACCEPT_LINK_TTL_HOURS = 24;

/**
 * Turns what the escalation core decided into the referral's next state: the escalation state,
 * the timeline entries, and the effects (SMS texts rendered here, with no personal identifiers).
 */
export async function applyDecision(
  deps: Dependencies,
  referral: Referral,
  decision: EscalationDecision,
  now: Date,
  extra: { timeline?: TimelineEntry[]; effects?: PendingEffect[]; staff?: ReadonlyMap<string, Staff> } = {},
): Promise<Referral> {
  const effects: PendingEffect[] = [];
  const timeline: TimelineEntry[] = [...(extra.timeline ?? []), ...decision.timeline];
  for (const action of decision.actions) {
    effects.push(...(await effectsFor(deps, referral, decision, action, now, timeline, extra.staff)));
  }
  effects.push(...(extra.effects ?? []));
  return {
    ...referral,
    escalation: decision.state,
    // The escalation's state names are referral statuses ('paging', 'accepted', 'exhausted').
    status: decision.state.status,
    ...(decision.state.acceptedBy ? { assignedTo: decision.state.acceptedBy } : {}),
    timeline: [...referral.timeline, ...timeline],
    outbox: addEffects(referral, effects),
  };
}

/**
 * The write of a recorded event (`next`: `referral` with the event's legal facts, clocks and
 * timeline), with its `effects`. If the event handed the referral over while it was still being
 * paged, the chain stops there and whoever holds a page is stood down (onHandedOver), in the same
 * write: the night's AMHPs are not paged on, nor the manager told that nobody accepted.
 */
export async function eventWrite(deps: Dependencies, referral: Referral, next: Referral, effects: PendingEffect[], now: Date): Promise<Referral> {
  const handedOver = next.timeline.slice(referral.timeline.length).find((entry) => entry.type === 'handed_over');
  if (!handedOver || next.escalation?.status !== 'paging') return { ...next, outbox: addEffects(referral, effects) };
  return applyDecision(deps, next, onHandedOver(next.escalation, handedOver.to === 'team' ? 'team' : 'day_service'), now, { effects });
}

/** Everyone paged for the referral so far, once each. */
const pagedStaff = (state: EscalationDecision['state']): string[] => [...new Set(state.pages.map((page) => page.staffId))];

async function effectsFor(
  deps: Dependencies,
  referral: Referral,
  decision: EscalationDecision,
  action: EscalationAction,
  now: Date,
  timeline: TimelineEntry[],
  /** Staff records the caller has already read (routing reads everyone on duty). */
  known: ReadonlyMap<string, Staff> = new Map(),
): Promise<PendingEffect[]> {
  const at = now.toISOString();
  const getStaff = async (staffId: string) => known.get(staffId) ?? deps.directory.getStaff(staffId);
  switch (action.kind) {
    case 'start-timer':
      return [{ kind: 'timer', pageSeq: action.pageSeq, dueAt: action.dueAt }];
    case 'page': {
      const staff = await getStaff(action.staffId);
      if (!staff) {
        // The rota named someone the directory no longer has: the timer still moves the chain on.
        timeline.push({ at, type: 'page_failed', staffId: action.staffId, pageSeq: action.pageSeq, reason: 'unknown_staff' });
        return [];
      }
      const linkId = randomBytes(16).toString('base64url');
      const link = `${deps.publicBaseUrl}/a/${await deps.linkSigner.sign(linkId)}`;
      const text = pageText({
        reference: referral.reference,
        urgency: referral.urgency,
        legalStatus: referral.legal.status,
        district: referral.district,
        clockExpiresAt: earliestExpiry(referral.clocks),
        link,
        reminder: action.repage === true,
        under18: referral.subjectUnder18 === true,
      });
      const linkExpiresAt = new Date(now.getTime() + ACCEPT_LINK_TTL_HOURS * 3_600_000).toISOString();
      return [
        { kind: 'page', staffId: staff.id, pageSeq: action.pageSeq, to: staff.phone, text, linkId, linkExpiresAt },
        ...(deps.voice ? callTimer(referral, decision, action.pageSeq, staff, now) : []),
        ...(await unverifiedPhoneNotice(deps, referral, staff, action.pageSeq, now, timeline)),
      ];
    }
    case 'alert-fallback': {
      const facts = { reference: referral.reference, district: referral.district, urgency: referral.urgency, legalStatus: referral.legal.status, under18: referral.subjectUnder18 === true };
      const text = action.nobodyPaged
        ? nobodyToPageText({ ...facts, teamName: (referral.teamId ? (await deps.directory.getTeam(referral.teamId))?.name : null) ?? 'the team' })
        : fallbackAlertText(facts);
      const manager = action.managerStaffId ? await getStaff(action.managerStaffId) : null;
      const phones = [...new Set([manager?.phone, action.fallbackPhone].filter((p): p is string => Boolean(p)))];
      if (phones.length === 0) {
        // No team contact at all: the service fallback (SPEC "Nothing ends in silence").
        const told = await alertServiceFallback(deps, text, action.nobodyPaged ? 'nobody_to_page' : 'chain_exhausted', at, referral);
        timeline.push(told.entry);
        return told.effects;
      }
      return phones.map((to) => ({ kind: 'sms', to, text, purpose: 'fallback-alert' }));
    }
    case 'alert-fallback-phone': {
      const text = fallbackStepText({
        reference: referral.reference,
        district: referral.district,
        urgency: referral.urgency,
        legalStatus: referral.legal.status,
        clockExpiresAt: earliestExpiry(referral.clocks),
        under18: referral.subjectUnder18 === true,
      });
      return [{ kind: 'sms', to: action.fallbackPhone, text, purpose: 'fallback-alert' }];
    }
    case 'notify-referrer-accepted': {
      const amhp = await getStaff(action.staffId);
      // A referrer may give a landline to be called on: no text can reach it, so none is sent. Nor
      // once the details (where the number is kept) are removed under the retention policy.
      const personal = personalDetails(referral.detailsExpireAt, await deps.referrals.getDetails(referral.id), now);
      const referrerMobile = personal.status === 'held' ? normaliseUkMobile(callbackPhoneOf(personal.details)) : null;
      const reason = personal.status === 'held' ? 'not_a_mobile' : 'details_removed';
      timeline.push({ at, type: 'referrer_notified', channel: referrerMobile ? 'sms' : 'none', ...(referrerMobile ? {} : { reason }) });
      return [
        ...(referrerMobile
          ? [
              {
                kind: 'sms' as const,
                to: referrerMobile,
                text: referrerAcceptedText({
                  reference: referral.reference,
                  amhpName: amhp?.name ?? '',
                  amhpPhone: amhp?.phone ?? '',
                }),
                purpose: 'referrer-accepted' as const,
              },
            ]
          : []),
        { kind: 'close-pages', staffIds: pagedStaff(decision.state) },
        { kind: 'mark-busy', staffId: action.staffId },
        ...(await standDowns(deps, referral, decision, { acceptedBy: action.staffId, amhp }, getStaff, now, timeline)),
      ];
    }
    case 'stand-down-handed-over': {
      return [
        { kind: 'close-pages', staffIds: pagedStaff(decision.state) },
        ...(await standDowns(deps, referral, decision, { handedOverTo: action.to }, getStaff, now, timeline)),
      ];
    }
  }
}

/**
 * A page to a phone not verified (never proven by a code, changed, or STOPped since) is still
 * sent: it may well arrive. But the manager on duty, else the team's fallback phone, is texted,
 * once per referral and person, so that someone checks that phone tonight rather than when the
 * chain runs out. Not the service fallback: the page is going, so the referral is not left with
 * nobody. Nor for a synthetic referral (the canary's AMHP), which wakes no one.
 */
async function unverifiedPhoneNotice(deps: Dependencies, referral: Referral, staff: Staff, pageSeq: number, now: Date, timeline: TimelineEntry[]): Promise<PendingEffect[]> {
  if (isPhoneVerified(staff) || referral.synthetic) return [];
  const told = [...referral.timeline, ...timeline].some((entry) => entry.type === 'unverified_phone_paged' && entry.staffId === staff.id);
  if (told) return [];
  const onDuty = referral.teamId ? whoIsOnDuty(await deps.directory.shiftsAt(referral.teamId, now), now).manager : undefined;
  const manager = onDuty && onDuty !== staff.id ? await deps.directory.getStaff(onDuty) : null;
  const managerPhone = manager && manager.phone !== staff.phone ? manager.phone : null;
  // As team-contacts.ts's managerPhone, but never the phone being paged; the team is read only when no manager can be told.
  const team = !managerPhone && referral.teamId ? await deps.directory.getTeam(referral.teamId) : null;
  const fallback = team?.fallbackPhone && team.fallbackPhone !== staff.phone ? team.fallbackPhone : null;
  const to = managerPhone ?? fallback;
  const whom = managerPhone ? 'manager' : fallback ? 'fallback' : 'nobody';
  timeline.push({ at: now.toISOString(), type: 'unverified_phone_paged', staffId: staff.id, pageSeq, told: whom });
  if (!to) {
    deps.log.warn('paged a phone that is not verified, and no manager or fallback to tell', { referralId: referral.id, staffId: staff.id });
    return [];
  }
  return [{ kind: 'sms', to, text: unverifiedPhonePagedText({ reference: referral.reference, staffName: staff.name }), purpose: 'fallback-alert' }];
}

/**
 * The timer of the voice call that follows the page if it goes unanswered (shared/domain/voice.ts
 * decides when, from the team's and the person's settings and the page's own wait). When it fires
 * the escalator checks the page is still current before anyone is rung.
 */
function callTimer(referral: Referral, decision: EscalationDecision, pageSeq: number, staff: Staff, now: Date): PendingEffect[] {
  const ackTimer = decision.actions.find((other) => other.kind === 'start-timer' && other.pageSeq === pageSeq);
  const answerWithinSeconds = ackTimer?.kind === 'start-timer' ? (Date.parse(ackTimer.dueAt) - now.getTime()) / 1000 : undefined;
  const seconds = callAfterSeconds({
    team: referral.chain?.callAfterSeconds,
    person: staff.callAfterSeconds,
    ...(answerWithinSeconds === undefined ? {} : { answerWithinSeconds }),
  });
  if (seconds === null) return [];
  return [{ kind: 'timer', pageSeq, dueAt: new Date(now.getTime() + seconds * 1000).toISOString(), reason: 'voice-call' }];
}

/**
 * When someone accepts, everyone else still holding a page for the referral (paged, not declined)
 * is stood down, and so is a fallback phone a policy step asked to help. After the chain ran out,
 * the manager and fallback(s) that "nobody has accepted" went to are told it was accepted after
 * all, and by whom. When it was handed over before anyone accepted, everyone holding a page is
 * stood down, told where it went. No personal data of the subject: the reference only.
 */
async function standDowns(
  deps: Dependencies,
  referral: Referral,
  decision: EscalationDecision,
  why: { acceptedBy: string; amhp: Staff | null } | { handedOverTo: 'day_service' | 'team' },
  getStaff: (staffId: string) => Promise<Staff | null>,
  now: Date,
  timeline: TimelineEntry[],
): Promise<PendingEffect[]> {
  const state = decision.state;
  const { acceptedBy, amhp } = 'acceptedBy' in why ? why : { acceptedBy: null, amhp: null };
  const handedOverTo = 'handedOverTo' in why ? why.handedOverTo : null;
  const others = pagedStaff(state).filter((staffId) => staffId !== acceptedBy && !state.declinedBy.includes(staffId));
  const phones = new Set<string>();
  for (const staffId of others) {
    const staff = await getStaff(staffId);
    if (staff?.phone) phones.add(staff.phone);
  }
  const fallbackStepped = referral.timeline.some((entry) => entry.type === 'fallback_phone_alerted');
  if (fallbackStepped && referral.chain?.fallbackPhone) phones.add(referral.chain.fallbackPhone);
  const effects: PendingEffect[] = [];
  const afterExhaustion = acceptedBy !== null && referral.escalation?.status === 'exhausted';
  const alerted = new Set<string>();
  if (afterExhaustion) {
    // Whom the "NOBODY HAS ACCEPTED" alert went to: the manager and the team's fallback, else the service's.
    const manager = referral.chain?.managerStaffId ? await getStaff(referral.chain.managerStaffId) : null;
    if (manager?.phone) alerted.add(manager.phone);
    if (referral.chain?.fallbackPhone) alerted.add(referral.chain.fallbackPhone);
    if (alerted.size === 0) {
      const service = (await deps.directory.getServiceSettings()) as ServiceSettings & { fallbackPhone?: string };
      if (service.fallbackPhone) alerted.add(service.fallbackPhone);
    }
    const text = acceptedAfterAllText({ reference: referral.reference, amhpName: amhp?.name ?? '' });
    for (const to of alerted) effects.push({ kind: 'sms', to, text, purpose: 'stand-down' });
  }
  if (amhp?.phone) phones.delete(amhp.phone);
  const text = handedOverTo ? handedOverStandDownText(referral.reference, handedOverTo) : standDownText(referral.reference);
  for (const to of phones) if (!alerted.has(to)) effects.push({ kind: 'sms', to, text, purpose: 'stand-down' });
  if (effects.length > 0) timeline.push({ at: now.toISOString(), type: 'stood_down', told: effects.length, afterExhaustion, ...(handedOverTo ? { reason: 'handed_over' } : {}) });
  return effects;
}
