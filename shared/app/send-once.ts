import { SmsDeliveryError, type CountMetric, type Dependencies } from '../ports.ts';

export type NoticeResult = 'sent' | 'already-sent' | 'withheld' | 'failed' | 'nobody-to-tell';

type Limit = { limit: number; windowSeconds: number };

/**
 * One text not about a single referral (a shift notice, a handover list), sent at most once: the
 * notice's key is claimed first (one conditional write of the replay guard), so a rerun, or two
 * runs at once, never text twice; then the phone's quota (shared/app/sms-policy.ts), then the SMS.
 * A send that fails is counted and logged, and not tried again: what such a text is for is carried
 * on by something else too (the person's own rota page; the handover's escalation).
 */
export async function sendOnce(
  deps: Dependencies,
  notice: { key: string; keepUntil: Date; to: string; text: string; limit: Limit; quotaKey: string; metric: CountMetric; log: Record<string, unknown> },
): Promise<NoticeResult> {
  if (!deps.replayGuard) throw new Error('the replay guard is not configured');
  if (!(await deps.replayGuard.claim(notice.key, notice.keepUntil))) return 'already-sent';
  const now = deps.clock.now();
  if (!(await deps.smsQuota.take(`${notice.quotaKey}:${notice.to}`, notice.limit.limit, notice.limit.windowSeconds, now))) {
    deps.log.warn('notice withheld: the phone is over its limit', notice.log);
    return 'withheld';
  }
  try {
    await deps.sms.send(notice.to, notice.text);
  } catch (error) {
    if (!(error instanceof SmsDeliveryError)) throw error;
    deps.metrics.count('SmsFailures');
    deps.log.error('notice SMS not delivered', { ...notice.log, failure: error.causeName });
    return 'failed';
  }
  deps.metrics.count(notice.metric);
  return 'sent';
}
