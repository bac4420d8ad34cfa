import { describe, expect, it } from 'vitest';
import { RetryingSmsSender } from '../../../shared/adapters/retrying-sms.ts';
import { SmsDeliveryError } from '../../../shared/ports.ts';

function failing(errors: Error[]) {
  const sent: string[] = [];
  return {
    sent,
    async send(to: string, text: string) {
      const error = errors.shift();
      if (error) throw error;
      sent.push(`${to}:${text}`);
    },
  };
}

const named = (name: string, status?: number) => Object.assign(new Error('+447700900101 said no'), { name, $metadata: { httpStatusCode: status } });

describe('retrying SMS sends', () => {
  it('retries throttling and 5xx with growing waits, then delivers', async () => {
    const inner = failing([named('ThrottlingException', 400), named('InternalServerError', 500)]);
    const waits: number[] = [];
    const sender = new RetryingSmsSender(inner, { attempts: 3, baseDelayMs: 250 }, async (ms) => void waits.push(ms));
    await sender.send('+447700900101', 'page');
    expect(inner.sent).toEqual(['+447700900101:page']);
    expect(waits).toEqual([250, 1000]);
  });

  it('gives up after the last attempt with an error that names neither the number nor the text', async () => {
    const inner = failing([named('ThrottlingException'), named('ThrottlingException'), named('ThrottlingException')]);
    const sender = new RetryingSmsSender(inner, { attempts: 3, baseDelayMs: 1 }, async () => undefined);
    const error = await sender.send('+447700900101', 'page').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmsDeliveryError);
    expect(error).toMatchObject({ attempts: 3, causeName: 'ThrottlingException' });
    expect(String((error as Error).message)).not.toContain('+447700900101');
  });

  it('does not retry a permanent refusal such as an opted-out number', async () => {
    const inner = failing([named('ValidationException', 400)]);
    const waits: number[] = [];
    const sender = new RetryingSmsSender(inner, { attempts: 3, baseDelayMs: 1 }, async (ms) => void waits.push(ms));
    await expect(sender.send('+447700900101', 'page')).rejects.toMatchObject({ attempts: 1, causeName: 'ValidationException' });
    expect(waits).toEqual([]);
  });
});
