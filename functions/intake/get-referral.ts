import { referralView, referrerReferralView } from '../../shared/app/referral-view.ts';
import { referrerStatusOf } from '../../shared/app/referrer-status.ts';
import { viewReferral } from '../../shared/app/view-referral.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { callerOf, json, notFound, unauthorised, type HttpEvent, type HttpResult } from '../commons/http.ts';
import { lambdaEntry } from '../commons/wiring.ts';

export const makeHandler = (deps: Dependencies) => async (event: HttpEvent): Promise<HttpResult> => {
  const caller = callerOf(event);
  if (!caller) return unauthorised();
  const id = event.pathParameters?.id ?? '';
  const details = event.queryStringParameters?.include === 'details';
  const result = await viewReferral(deps, caller, id, { details });
  if (result.kind === 'not-found') return notFound('referral');
  // Someone else's referral is indistinguishable from none, so ids cannot be probed.
  if (result.kind === 'forbidden') return notFound('referral');
  const now = deps.clock.now();
  if (result.asReferrer) {
    const status = await referrerStatusOf(deps, result.referral, result.personal);
    return json(200, referrerReferralView(result.referral, status, now, result.personal));
  }
  return json(200, referralView(result.referral, now, result.personal));
};

export const handler = lambdaEntry(makeHandler);
