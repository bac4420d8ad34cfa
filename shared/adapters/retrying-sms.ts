import { SmsDeliveryError, type SmsSender } from '../ports.ts';

/** Errors that a later attempt can get past: throttling, the provider's 5xx, the network. */
function isTransient(error: unknown): boolean {
  const e = error as { name?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  if (e.$retryable) return true;
  if (/Throttl|Timeout|TooManyRequests|ServiceUnavailable|InternalError|ECONNRESET|ETIMEDOUT|ECONNREFUSED/i.test(e.name ?? '')) {
    return true;
  }
  const status = e.$metadata?.httpStatusCode ?? 0;
  return status === 429 || status >= 500;
}

/**
 * Retries a send with exponential backoff on transient errors; a permanent error (an invalid or
 * opted-out number) fails at once. The final failure carries no message text or number.
 */
export class RetryingSmsSender implements SmsSender {
  constructor(
    private readonly inner: SmsSender,
    private readonly options: { attempts: number; baseDelayMs: number } = { attempts: 3, baseDelayMs: 250 },
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  async send(to: string, text: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.inner.send(to, text);
      } catch (error) {
        if (attempt >= this.options.attempts || !isTransient(error)) {
          const reason = (error as { Reason?: unknown })?.Reason;
          throw new SmsDeliveryError(attempt, (error as Error)?.name ?? 'unknown', typeof reason === 'string' ? reason : undefined);
        }
        await this.sleep(this.options.baseDelayMs * 4 ** (attempt - 1));
      }
    }
  }
}
