import { SmsDeliveryError, type Dependencies } from '../../ports.ts';
import { clockWarningText, smsPurposeWords } from '../../domain/sms.ts';
import { smsLimits } from '../sms-policy.ts';
import { MAX_ATTEMPTS, type EffectKind } from './effect-kind.ts';

const { repliesPerPhone, repliesPerDay } = smsLimits;

/** A text that is not a page: to the referrer, a manager, a fallback, an AMHP standing down. */
export const sms: EffectKind<'sms'> = {
  kind: 'sms',
  order: 4,
  repeatable: false,
  grants: ['sms:send', 'table:referrals'],
  maxAttempts: MAX_ATTEMPTS,
  purpose: (effect) => smsPurposeWords[effect.purpose],
  perform: async ({ deps, referral, now }, effect) => {
    if (effect.purpose === 'reply' && !(await withinReplyLimits(deps, effect.to, now))) {
      deps.log.warn('reply SMS withheld: over its limit', { referralId: referral.id });
      return;
    }
    // A clock warning says the time left when it goes, not when it was planned.
    const text = effect.clockWarning ? clockWarningText({ ...effect.clockWarning, now }) : effect.text;
    await sendCounted(deps, effect.to, text);
  },
};

/** An SMS that fails every retry is counted (the SmsFailures alarm) before the failure is handed back. */
export async function sendCounted(deps: Dependencies, to: string, text: string): Promise<void> {
  try {
    await deps.sms.send(to, text);
  } catch (error) {
    if (error instanceof SmsDeliveryError) deps.metrics.count('SmsFailures');
    throw error;
  }
}

async function withinReplyLimits(deps: Dependencies, to: string, now: Date): Promise<boolean> {
  return (
    (await deps.smsQuota.take(`reply:${to}`, repliesPerPhone.limit, repliesPerPhone.windowSeconds, now)) &&
    (await deps.smsQuota.take('replies', repliesPerDay.limit, repliesPerDay.windowSeconds, now))
  );
}
