import { isHandoverOverrun, type OverrunKind } from '../domain/overruns.ts';
import type { TimelineEntry } from '../domain/types.ts';
import type { Metrics, Referral } from '../ports.ts';

/**
 * Metrics from what a stored state change added to the timeline, so each is counted once per
 * event whichever function made the change (a write retried after a conflict is counted only
 * when it lands). Counts and durations only: no ids, no personal data.
 */
export function recordTimelineMetrics(metrics: Metrics, referral: Pick<Referral, 'createdAt'>, added: readonly TimelineEntry[]): void {
  const received = Date.parse(referral.createdAt);
  const sinceReceived = (entry: TimelineEntry) => Math.max(0, (Date.parse(entry.at) - received) / 1000);
  for (const entry of added) {
    switch (entry.type) {
      case 'paged':
        if (entry.pageSeq === 1) metrics.duration('TimeToFirstPage', sinceReceived(entry));
        else metrics.count('Escalations');
        break;
      case 'accepted':
        metrics.count('ReferralsAccepted');
        metrics.duration('TimeToAccept', sinceReceived(entry));
        break;
      case 'chain_exhausted':
        metrics.count('ReferralsUnacceptedPastLimit');
        break;
      case 'no_one_on_duty':
        metrics.count('NoOneOnDuty');
        break;
      case 'closed':
        metrics.count('ReferralsClosed');
        break;
      case 'no_team_for_area':
        metrics.count('ReferralsUnrouted');
        break;
      case 'nobody_to_page':
        metrics.count('NobodyToPage');
        break;
      case 'service_fallback_alerted':
        metrics.count('ServiceFallbackAlerts');
        break;
      case 'nobody_told':
        metrics.count('NobodyTold');
        break;
      case 'overrun_alerted':
        metrics.count('Overruns');
        if (isHandoverOverrun(entry.overrun as OverrunKind)) metrics.count('HandoversUnacknowledged');
        if (entry.nobodyTold) metrics.count('NobodyTold');
        break;
      case 'unverified_phone_paged':
        metrics.count('UnverifiedPhonePaged');
        break;
      case 'clock_warning':
        metrics.count(Number(entry.hoursBefore) <= 0 ? 'ClockExpiries' : 'ClockWarnings');
        if (entry.nobodyTold) metrics.count('NobodyTold');
        break;
      default:
        break;
    }
  }
}
