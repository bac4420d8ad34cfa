import { z } from 'zod';
import { handleAckTimer } from '../../shared/app/escalate.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { sqsBatchHandler } from '../commons/sqs.ts';
import { lambdaEntry } from '../commons/wiring.ts';

const timerMessage = z.object({
  referralId: z.string().min(1).max(64),
  pageSeq: z.number().int().min(1),
  dueAt: z.iso.datetime(),
});

/** SQS delays at most 900 s: a timer that arrives early is sent on again for the time left. */
const EARLY_TOLERANCE_MS = 500;

export const makeHandler = (deps: Dependencies) =>
  sqsBatchHandler(timerMessage, deps.log, async (message) => {
    const now = deps.clock.now();
    if (Date.parse(message.dueAt) - now.getTime() > EARLY_TOLERANCE_MS) {
      await deps.timers.schedule(message, now);
      return;
    }
    const result = await handleAckTimer(deps, message);
    deps.log.info('acknowledgement timer handled', {
      referralId: message.referralId,
      pageSeq: message.pageSeq,
      acted: result?.changed ?? false,
    });
  });

export const handler = lambdaEntry(makeHandler);
