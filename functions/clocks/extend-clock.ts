import { extendReferralClock } from '../../shared/app/clock-extension.ts';
import { referralView } from '../../shared/app/referral-view.ts';
import type { Dependencies } from '../../shared/ports.ts';
import {
  callerOf,
  invalid,
  json,
  jsonBody,
  notFound,
  problem,
  unauthorised,
  type HttpEvent,
  type HttpResult,
} from '../commons/http.ts';
import { lambdaEntry } from '../commons/wiring.ts';

/** `POST /api/referrals/{id}/clocks/{kind}/extension`: records an s136B extension. */
export const makeHandler = (deps: Dependencies) => async (event: HttpEvent): Promise<HttpResult> => {
  const caller = callerOf(event);
  if (!caller) return unauthorised();
  const body = jsonBody(event);
  if (!body.ok) return body.response;
  const result = await extendReferralClock(deps, caller, {
    referralId: event.pathParameters?.id ?? '',
    clockKind: event.pathParameters?.kind ?? '',
    body: body.value,
  });
  switch (result.kind) {
    case 'extended':
      return json(200, referralView(result.referral, deps.clock.now()));
    case 'invalid':
      return invalid(result.issues);
    case 'refused':
      return problem(result.error === 'unlawful-reason' || result.error === 'superintendent-required' ? 422 : 409, result.error.replaceAll('-', '_'), result.message);
    case 'not-found':
    case 'forbidden':
      return notFound('referral');
  }
};

export const handler = lambdaEntry(makeHandler);
