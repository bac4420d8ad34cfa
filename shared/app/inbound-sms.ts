import { normaliseUkMobile } from '../domain/phone.ts';
import { referenceMatches } from '../domain/reference.ts';
import { parseReply } from '../domain/reply.ts';
import { pageStanding } from '../domain/page-standing.ts';
import { alreadyHandledText, chooseReferenceText, helpText, noOpenPageText, optedOutText, pageStandingText, shiftNoticesSetText, stageHelpText } from '../domain/sms.ts';
import type { Staff } from '../domain/types.ts';
import type { Dependencies, Referral } from '../ports.ts';
import { holdsOpenPage } from './caller.ts';
import { answerPage } from './escalate.ts';
import { recordHandoverBySms } from './handover.ts';
import { smsLimits } from './sms-policy.ts';
import { smsDelivery } from './sms-redelivery.ts';
import { recordStageBySms } from './sms-stage.ts';
import { managerPhone } from './team-contacts.ts';


export type InboundOutcome = 'answered' | 'replied' | 'dropped';


/**
 * A reply by two-way SMS: `1`/ACCEPT or `2`/DECLINE, optionally naming the referral (`ACCEPT 4F7K`);
 * a decline may declare a conflict of interest (`2 CONFLICT`, `DECLINE 4F7K CONFLICT`).
 */
export async function handleInboundSms(
  deps: Dependencies,
  input: { from: string; body: string; /** The provider's id of the message, the same on a redelivery. */ messageId?: string },
): Promise<InboundOutcome> {
  const phone = normaliseUkMobile(input.from);
  const reply = parseReply(input.body);
  // A day service's phone marks its handover received, whether or not it is also a staff member's.
  if (reply.kind === 'received' && phone) {
    const teams = (await deps.directory.listTeams()).filter((team) => team.handover?.dayServicePhone === phone);
    if (teams.length > 0) return recordHandoverBySms(deps, phone, teams, reply, input.messageId);
  }
  const staff = phone ? await deps.directory.staffByPhone(phone) : null;
  if (!staff) {
    // Not one of ours: dropped, and the number is not logged.
    deps.log.info('inbound SMS from an unknown number dropped');
    return 'dropped';
  }
  const say = async (text: string): Promise<InboundOutcome> => {
    await deps.sms.send(staff.phone, text);
    return 'replied';
  };
  const now = deps.clock.now();
  if (reply.kind === 'stop') return optedOut(deps, staff, now);
  if (reply.kind === 'stage') return recordStageBySms(deps, staff, reply, input.messageId);
  if (reply.kind === 'notices') return shiftNotices(deps, staff, reply.on, now);
  if (reply.kind !== 'accept' && reply.kind !== 'decline') {
    deps.log.info('inbound SMS was not an answer', { staffId: staff.id, reply: reply.kind });
    // START is honoured by the provider's opt-out list; the phone stays unverified until a new
    // code is confirmed (POST /api/staff/{staffId}/phone/verify). Help goes out a few times an hour at most,
    // so a phone stuck in an auto-reply loop with us cannot run up messages.
    if (reply.kind === 'start') return 'dropped';
    const { limit, windowSeconds } = smsLimits.helpPerPhone;
    if (!(await deps.smsQuota.take(`help:${staff.phone}`, limit, windowSeconds, now))) return 'dropped';
    // Two texts: the reply codes for pages, then the stage commands for the night's work after an accept.
    await say(helpText());
    return say(stageHelpText());
  }
  // SNS may deliver one reply twice: a repeat of an answer already acted on is dropped, rather
  // than telling the AMHP their own accept was "already handled".
  const delivery = smsDelivery(deps, input.messageId);
  if (await delivery.wasHandled()) {
    deps.log.info('inbound SMS delivered again; dropped', { staffId: staff.id });
    return 'dropped';
  }

  const load = async (ids: Promise<string[]>) =>
    (await Promise.all((await ids).map((id) => deps.referrals.get(id)))).filter((referral): referral is Referral => referral !== null);
  const referrals = await load(deps.referrals.pagedReferralIds(staff.id));
  const open = referrals.filter((referral) => holdsOpenPage(referral, staff.id));
  // This AMHP's accepts whose follow-up work is still pending: what a retried `1` refers to.
  const unfinished = referrals.filter((r) => r.escalation?.acceptedBy === staff.id && Object.keys(r.outbox).length > 0);
  // Pages closed in the last day (someone accepted, or it was closed): what a late reply is about.
  const closed = open.length > 0 && !reply.code ? [] : await load(deps.referrals.closedPageReferralIds(staff.id));
  const named = reply.code ? [...referrals, ...closed].filter((r) => referenceMatches(r.reference, reply.code ?? '')) : [];
  // A code several referrals share (4 symbols): those still open to them, if any, are what it means.
  const namedOpen = named.filter((referral) => holdsOpenPage(referral, staff.id));
  const candidates = reply.code
    ? namedOpen.length > 0 ? namedOpen : named.slice(0, 1)
    : open.length > 0 || reply.kind !== 'accept'
      ? open
      : unfinished.length > 0 ? unfinished : closed.slice(0, 1);

  if (candidates.length > 1) return say(chooseReferenceText(candidates.map((r) => r.reference)));
  const [target] = candidates;
  if (!target) return say(reply.kind === 'accept' && !reply.code ? noOpenPageText() : helpText());
  // A repeat of this AMHP's own accept (a retried delivery) goes through again: it changes
  // nothing, but finishes any effect the first run left pending, such as telling the referrer.
  const repeatAccept = reply.kind === 'accept' && target.escalation?.acceptedBy === staff.id && Object.keys(target.outbox).length > 0;
  // A conflict of interest declared after a plain decline (`2`, then `2 4F7K CONFLICT`) is still recorded.
  const conflict = reply.kind === 'decline' && reply.conflict === true;
  const lateConflict = conflict && target.escalation?.declinedBy.includes(staff.id) === true && !target.conflicts?.includes(staff.id);
  if (!holdsOpenPage(target, staff.id) && !repeatAccept && !lateConflict) return say(await standingText(deps, target, staff.id));

  const result = await answerPage(deps, {
    referralId: target.id,
    staffId: staff.id,
    answer: reply.kind,
    ...(reply.kind === 'decline' && reply.reason ? { reason: reply.reason } : {}),
    ...(conflict ? { conflictOfInterest: true } : {}),
    via: 'sms',
  });
  if (result.kind !== 'done') return say(await standingText(deps, (await deps.referrals.get(target.id)) ?? target, staff.id));
  await delivery.markHandled();
  return 'answered';
}

/**
 * STOP puts the number on the provider's opt-out list: pages can no longer reach that AMHP by
 * SMS. Their managers must know tonight, not when a page fails.
 */
async function optedOut(deps: Dependencies, staff: Staff, now: Date): Promise<InboundOutcome> {
  deps.log.warn('staff member opted out of SMS', { staffId: staff.id });
  // No page can reach the number now: it is no longer proven, and its rota slots show as gaps
  // until the AMHP replies START and confirms a new code.
  await deps.phoneVerifications.unverify(staff.id);
  const phones = new Set<string>();
  for (const teamId of staff.teamIds) {
    const phone = await managerPhone(deps, teamId, now);
    if (phone && phone !== staff.phone) phones.add(phone);
  }
  for (const phone of phones) await deps.sms.send(phone, optedOutText(staff.name));
  return 'dropped';
}

/** NOTICES OFF / NOTICES ON: the person's own shift notices, answered within the reply limits. */
async function shiftNotices(deps: Dependencies, staff: Staff, on: boolean, now: Date): Promise<InboundOutcome> {
  if (!(await deps.staffPreferences.setShiftNotices(staff.id, on))) return 'dropped';
  deps.log.info('shift notices set by SMS', { staffId: staff.id, on });
  const { limit, windowSeconds } = smsLimits.repliesPerPhone;
  if (!(await deps.smsQuota.take(`reply:${staff.phone}`, limit, windowSeconds, now))) return 'dropped';
  await deps.sms.send(staff.phone, shiftNoticesSetText(on));
  return 'replied';
}

/** What became of a page no longer open to this AMHP, in words: who accepted and when, closed, declined. */
async function standingText(deps: Dependencies, referral: Referral, staffId: string): Promise<string> {
  const standing = pageStanding(referral, staffId);
  if (standing.kind === 'open') return alreadyHandledText(referral.reference);
  const acceptedBy = standing.kind === 'accepted' && !standing.byThem ? await deps.directory.getStaff(standing.byStaffId) : null;
  return pageStandingText(referral.reference, standing, { acceptedByName: acceptedBy?.name, now: deps.clock.now() });
}
