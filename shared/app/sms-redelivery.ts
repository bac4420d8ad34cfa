import type { Dependencies } from '../ports.ts';

/** SNS and Lambda retry a delivery for hours at most; a repeat is recognised for two days. */
const REDELIVERY_WINDOW_MS = 2 * 86_400_000;

/**
 * An inbound SMS's delivery, by the provider's message id (the same on a redelivery): whether it
 * was acted on already, and marking it so once it has been (not before, so that a delivery that
 * failed half-way is retried rather than dropped). No id: every delivery is acted on.
 */
export function smsDelivery(deps: Dependencies, messageId: string | undefined) {
  const key = messageId ? `sms:${messageId}` : undefined;
  return {
    wasHandled: async () => (key ? deps.referrals.wasHandled(key) : false),
    markHandled: async () => {
      if (key) await deps.referrals.markHandled(key, new Date(deps.clock.now().getTime() + REDELIVERY_WINDOW_MS));
    },
  };
}
