/**
 * Every AWS SDK client's timeouts and retries, in one place. A call that hangs must fail well
 * inside the function's timeout (60 s at most) and the effect claim (90 s, shared/app/outbox.ts),
 * so a stalled holder cannot still be sending when a second flusher takes over. The SDK's
 * `requestTimeout` only warns unless `throwOnRequestTimeout` is set.
 */
export type ClientUse = 'aws' | 'sms' | 'local' | 'local-sms';

interface Timeouts {
  connectionTimeout: number;
  requestTimeout: number;
  maxAttempts: number;
}

export const clientTimeouts: Record<ClientUse, Timeouts> = {
  aws: { connectionTimeout: 1_000, requestTimeout: 3_000, maxAttempts: 3 },
  /** One attempt: shared/adapters/retrying-sms.ts retries the send itself. */
  sms: { connectionTimeout: 1_000, requestTimeout: 5_000, maxAttempts: 1 },
  /** The emulators share a core with the whole service and are slow under load. */
  local: { connectionTimeout: 5_000, requestTimeout: 15_000, maxAttempts: 3 },
  'local-sms': { connectionTimeout: 5_000, requestTimeout: 15_000, maxAttempts: 1 },
};

/** The client config fields that carry them: the SDK builds its NodeHttpHandler from `requestHandler`. */
export function withTimeouts(use: ClientUse) {
  const { connectionTimeout, requestTimeout, maxAttempts } = clientTimeouts[use];
  return { maxAttempts, requestHandler: { connectionTimeout, requestTimeout, throwOnRequestTimeout: true } };
}
