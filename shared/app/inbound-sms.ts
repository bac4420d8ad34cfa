import { normaliseUkMobile } from '../domain/phone.ts';
import { referenceMatches } from '../domain/reference.ts';
import { parseReply } from '../domain/reply.ts';
import { alreadyHandledText, chooseReferenceText, helpText } from '../domain/sms.ts';
import type { Dependencies, Referral } from '../ports.ts';
import { answerPage } from './escalate.ts';

export type InboundOutcome = 'answered' | 'replied' | 'dropped';

/** A page is open for someone who was paged for it, has not declined it, and nobody has accepted it. */
function hasOpenPage(referral: Referral, staffId: string): boolean {
  const state = referral.escalation;
  if (!state || state.status === 'accepted') return false;
  return state.pages.some((page) => page.staffId === staffId) && !state.declinedBy.includes(staffId);
}

/** A reply by two-way SMS: `1`/ACCEPT or `2`/DECLINE, optionally naming the referral (`ACCEPT 4F7K`). */
export async function handleInboundSms(deps: Dependencies, input: { from: string; body: string }): Promise<InboundOutcome> {
  const phone = normaliseUkMobile(input.from);
  const staff = phone ? await deps.directory.staffByPhone(phone) : null;
  if (!staff) {
    // Not one of ours: dropped, and the number is not logged.
    deps.log.info('inbound SMS from an unknown number dropped');
    return 'dropped';
  }
  const reply = parseReply(input.body);
  const say = async (text: string): Promise<InboundOutcome> => {
    await deps.sms.send(staff.phone, text);
    return 'replied';
  };
  if (reply.kind !== 'accept' && reply.kind !== 'decline') {
    deps.log.info('inbound SMS was not an answer', { staffId: staff.id, reply: reply.kind });
    // STOP/START are honoured by the SMS provider's opt-out list; we only answer HELP and junk.
    return reply.kind === 'stop' || reply.kind === 'start' ? 'dropped' : say(helpText());
  }

  const referrals = (
    await Promise.all((await deps.referrals.pagedReferralIds(staff.id)).map((id) => deps.referrals.get(id)))
  ).filter((referral): referral is Referral => referral !== null);
  const open = referrals.filter((referral) => hasOpenPage(referral, staff.id));
  // This AMHP's accepts whose follow-up work is still pending: what a retried `1` refers to.
  const unfinished = referrals.filter((r) => r.escalation?.acceptedBy === staff.id && Object.keys(r.outbox).length > 0);
  const candidates = reply.code
    ? referrals.filter((r) => referenceMatches(r.reference, reply.code ?? ''))
    : open.length > 0 || reply.kind !== 'accept'
      ? open
      : unfinished;

  if (candidates.length > 1) return say(chooseReferenceText(candidates.map((r) => r.reference)));
  const [target] = candidates;
  if (!target) return say(helpText());
  // A repeat of this AMHP's own accept (a retried delivery) goes through again: it changes
  // nothing, but finishes any effect the first run left pending, such as telling the referrer.
  const repeatAccept = reply.kind === 'accept' && target.escalation?.acceptedBy === staff.id;
  if (!hasOpenPage(target, staff.id) && !repeatAccept) return say(alreadyHandledText(target.reference));

  const result = await answerPage(deps, {
    referralId: target.id,
    staffId: staff.id,
    answer: reply.kind,
    ...(reply.kind === 'decline' && reply.reason ? { reason: reply.reason } : {}),
    via: 'sms',
  });
  if (result.kind !== 'done') return say(alreadyHandledText(target.reference));
  return 'answered';
}
