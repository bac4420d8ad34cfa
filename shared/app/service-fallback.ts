import type { TimelineEntry } from '../domain/types.ts';
import type { Dependencies, PendingEffect } from '../ports.ts';

/** Why the service fallback was needed: the timeline and the audit trail say so. */
export type ServiceFallbackReason = 'no_team_for_area' | 'nobody_to_page' | 'chain_exhausted' | 'page_not_delivered' | 'stage_overrun' | 'handover_unanswered';

/**
 * The last resort of "nothing ends in silence" (SPEC): where no team contact can be told, the
 * service fallback phone is texted, and the timeline says so (`service_fallback_alerted`, counted
 * as ServiceFallbackAlerts); with none set, it says nobody could be told (`nobody_told`, counted
 * as NobodyTold, which alarms). Whether, not which number: referrers read the timeline.
 */
export async function alertServiceFallback(
  deps: Dependencies,
  text: string,
  reason: ServiceFallbackReason,
  at: string,
  referral: { synthetic?: boolean } = {},
): Promise<{ entry: TimelineEntry; effects: PendingEffect[] }> {
  // A synthetic referral (the canary's) never wakes the service fallback, a real person: the
  // canary fails on what the timeline says, and its own alarm tells the operators.
  if (referral.synthetic) return { entry: { at, type: 'nobody_told', reason }, effects: [] };
  const { fallbackPhone } = await deps.directory.getServiceSettings();
  if (!fallbackPhone) {
    deps.log.error('nobody could be told: no service fallback phone is set', { reason });
    return { entry: { at, type: 'nobody_told', reason }, effects: [] };
  }
  return { entry: { at, type: 'service_fallback_alerted', reason }, effects: [{ kind: 'sms', to: fallbackPhone, text, purpose: 'fallback-alert' }] };
}
