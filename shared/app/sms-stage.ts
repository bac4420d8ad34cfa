import { referenceMatches } from '../domain/reference.ts';
import type { Reply } from '../domain/reply.ts';
import { chooseStageReferenceText, noAcceptedReferralText, stageRecordedText, stageRefusedText } from '../domain/sms.ts';
import { admissionSection } from '../domain/stage.ts';
import { eventText } from '../domain/stage-words.ts';
import type { Staff } from '../domain/types.ts';
import type { Dependencies } from '../ports.ts';
import { heldReferrals, staffCaller } from './held-referrals.ts';
import { recordReferralEvent } from './record-event.ts';
import { smsDelivery } from './sms-redelivery.ts';


/**
 * A stage texted by the AMHP who accepted (`ATTENDING 4F7K 30`): recorded on the referral it names
 * (or the one they hold) through the same use case as `POST /api/referrals/{id}/events`, and
 * answered with what was recorded or why not. `ADMITTED` admits under the section the decision
 * applied for. A redelivered message is recorded once.
 */
export async function recordStageBySms(
  deps: Dependencies,
  staff: Staff,
  reply: Extract<Reply, { kind: 'stage' }>,
  messageId?: string,
): Promise<'answered' | 'replied' | 'dropped'> {
  const say = async (text: string) => {
    await deps.sms.send(staff.phone, text);
    return 'replied' as const;
  };
  const delivery = smsDelivery(deps, messageId);
  if (await delivery.wasHandled()) {
    deps.log.info('inbound SMS delivered again; dropped', { staffId: staff.id });
    return 'dropped';
  }
  const held = await heldReferrals(deps, staff);
  const named = reply.code ? held.filter((referral) => referenceMatches(referral.reference, reply.code ?? '')) : held;
  if (named.length > 1) return say(chooseStageReferenceText(reply.keyword, named.map((referral) => referral.reference)));
  const [target] = named;
  if (!target) return say(noAcceptedReferralText(reply.code));

  const section = reply.event.type === 'admitted' ? admissionSection(target.timeline) : null;
  if (reply.event.type === 'admitted' && !section) {
    return say(stageRefusedText(target.reference, 'no decision to apply under s2, s3 or s4 is recorded, so the section is not known: record the decision first'));
  }
  const body = section ? { ...reply.event, section } : reply.event;
  const result = await recordReferralEvent(deps, staffCaller(staff), { referralId: target.id, body, via: 'sms' });
  deps.log.info('stage by SMS', { staffId: staff.id, referralId: target.id, type: reply.event.type, outcome: result.kind });
  switch (result.kind) {
    case 'recorded': {
      await delivery.markHandled();
      const entry = result.referral.timeline.findLast((e) => e.type === body.type);
      await say(stageRecordedText(target.reference, (entry && eventText(entry)) ?? (section ? `admitted under ${section}` : body.type.replaceAll('_', ' '))));
      return 'answered';
    }
    case 'refused':
      return say(stageRefusedText(target.reference, result.message));
    case 'invalid':
      return say(stageRefusedText(target.reference, result.issues.map((issue) => `${issue.path} ${issue.message}`).join('; ')));
    case 'forbidden':
      return say(stageRefusedText(target.reference, 'only the AMHP who accepted it and the duty managers can record its stages'));
    case 'not-found':
      return say(noAcceptedReferralText(reply.code));
  }
}
