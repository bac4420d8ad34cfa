import * as z from 'zod';
import { routeReferral } from '../../shared/app/escalate.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { sqsBatchHandler } from '../commons/sqs.ts';
import { lambdaEntry } from '../commons/wiring.ts';

const referralMessage = z.object({ referralId: z.string().min(1).max(64) });

export const makeHandler = (deps: Dependencies) =>
  sqsBatchHandler(referralMessage, deps.log, async ({ referralId }) => {
    const result = await routeReferral(deps, referralId);
    if (!result) deps.log.warn('queued referral not found; dropped', { referralId });
    else deps.log.info('referral routed', { referralId, status: result.referral.status, teamId: result.referral.teamId });
  });

export const handler = lambdaEntry(makeHandler);
