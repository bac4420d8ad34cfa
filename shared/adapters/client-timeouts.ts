/**
 * Every AWS SDK client's timeouts and retries, in one place. A call that hangs must fail well
 * inside the function's timeout (60 s at most) and the effect claim (90 s, shared/app/outbox.ts),
 * so a stalled holder cannot still be sending when a second flusher takes over. The SDK's
 * `requestTimeout` only warns unless `throwOnRequestTimeout` is set.
 */
export interface ClientTimeouts {
  connectionTimeout: number;
  requestTimeout: number;
  maxAttempts: number;
}

export const awsTimeouts: ClientTimeouts = { connectionTimeout: 1_000, requestTimeout: 3_000, maxAttempts: 3 };
/** One attempt: shared/adapters/retrying-sms.ts retries the send itself. */
export const smsTimeouts: ClientTimeouts = { connectionTimeout: 1_000, requestTimeout: 5_000, maxAttempts: 1 };
/** On the emulators, which share a core with the whole service and are slow under load. */
export const LOCAL_REQUEST_TIMEOUT = 15_000;

/** The client config fields that carry them: the SDK builds its NodeHttpHandler from `requestHandler`. */
export const withTimeouts = ({ connectionTimeout, requestTimeout, maxAttempts }: ClientTimeouts, local = false) => ({
  maxAttempts,
  requestHandler: { connectionTimeout, requestTimeout: local ? LOCAL_REQUEST_TIMEOUT : requestTimeout, throwOnRequestTimeout: true },
});
