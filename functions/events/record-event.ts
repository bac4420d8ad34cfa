import { recordReferralEvent } from '../../shared/app/record-event.ts';
import { referralView, referrerReferralView } from '../../shared/app/referral-view.ts';
import { referrerStatusOf } from '../../shared/app/referrer-status.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { callerOf, forbidden, invalid, json, jsonBody, notFound, problem, unauthorised, type HttpEvent, type HttpResult } from '../commons/http.ts';
import { lambdaEntry } from '../commons/wiring.ts';

/** `POST /api/referrals/{id}/events`: records a legal event; answers with the referral as the caller sees it. */
export const makeHandler = (deps: Dependencies) => async (event: HttpEvent): Promise<HttpResult> => {
  const caller = callerOf(event);
  if (!caller) return unauthorised();
  const body = jsonBody(event);
  if (!body.ok) return body.response;
  const result = await recordReferralEvent(deps, caller, { referralId: event.pathParameters?.id ?? '', body: body.value });
  switch (result.kind) {
    case 'recorded': {
      const now = deps.clock.now();
      if (!result.asReferrer) return json(200, referralView(result.referral, now));
      return json(200, referrerReferralView(result.referral, await referrerStatusOf(deps, result.referral), now));
    }
    case 'invalid':
      return invalid(result.issues);
    case 'refused':
      return problem(409, result.error, result.message);
    case 'not-found':
      return notFound('referral');
    case 'forbidden':
      return forbidden('Only the AMHP who accepted the referral and its team\u2019s managers may record this; its referrer may report an arrival or a transfer');
  }
};

export const handler = lambdaEntry(makeHandler);
