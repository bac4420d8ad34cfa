import * as z from 'zod';
import { handleClockWarning } from '../../shared/app/clock-warnings.ts';
import { handleAckTimer, handleCallTimer } from '../../shared/app/escalate.ts';
import { handleOverrun } from '../../shared/app/overruns.ts';
import { overrunKinds } from '../../shared/domain/overruns.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { TIMER_EARLY_TOLERANCE_MS } from '../../shared/adapters/sqs-queues.ts';
import { sqsBatchHandler } from '../commons/sqs.ts';
import { lambdaEntry } from '../commons/wiring.ts';

const ackTimer = z.object({
  kind: z.literal('ack').optional(),
  referralId: z.string().min(1).max(64),
  pageSeq: z.number().int().min(1),
  dueAt: z.iso.datetime(),
  reason: z.enum(['no-answer', 'page-failed', 'voice-call']).optional(),
});

const clockWarning = z.object({
  kind: z.literal('clock-warning'),
  referralId: z.string().min(1).max(64),
  clockKind: z.enum(['s136', 's135', 's5_2', 's5_4', 's135_2', 's4', 's2', 'cto_recall']),
  hoursBefore: z.number().int().min(0).max(72),
  expiresAt: z.iso.datetime(),
  dueAt: z.iso.datetime(),
});

const overrun = z.object({
  kind: z.literal('overrun'),
  referralId: z.string().min(1).max(64),
  overrun: z.enum(overrunKinds),
  dueAt: z.iso.datetime(),
});

const timerMessage = z.union([clockWarning, overrun, ackTimer]);


export const makeHandler = (deps: Dependencies) =>
  sqsBatchHandler(timerMessage, deps.log, async (message) => {
    const now = deps.clock.now();
    // SQS delays at most 900 s: a timer that arrives early is sent on again for the time left.
    if (Date.parse(message.dueAt) - now.getTime() > TIMER_EARLY_TOLERANCE_MS) {
      await deps.timers.schedule(message, now);
      return;
    }
    if (message.kind === 'clock-warning') {
      const result = await handleClockWarning(deps, message);
      deps.log.info('clock warning handled', { referralId: message.referralId, clockKind: message.clockKind, acted: result?.changed ?? false });
      return;
    }
    if (message.kind === 'overrun') {
      const result = await handleOverrun(deps, message);
      deps.log.info('overrun timer handled', { referralId: message.referralId, overrun: message.overrun, acted: result?.changed ?? false });
      return;
    }
    if (message.reason === 'voice-call') {
      const result = await handleCallTimer(deps, message);
      deps.log.info('voice call timer handled', { referralId: message.referralId, pageSeq: message.pageSeq, acted: result?.changed ?? false });
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
