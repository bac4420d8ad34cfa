import { closeReferralAs } from '../../shared/app/close-referral.ts';
import { referralView } from '../../shared/app/referral-view.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { callerOf, forbidden, invalid, json, jsonBody, notFound, problem, unauthorised, type HttpEvent, type HttpResult } from '../commons/http.ts';
import { lambdaEntry } from '../commons/wiring.ts';

/**
 * `POST /api/referrals/{id}/close` `{"outcome": "assessed", "result": "detained_s2"}` (or
 * `not_required`, `withdrawn`, `transferred` without a result): the AMHP who holds the referral or
 * a manager of its team records the outcome; the referral leaves the board.
 */
export const makeHandler = (deps: Dependencies) => async (event: HttpEvent): Promise<HttpResult> => {
  const caller = callerOf(event);
  if (!caller) return unauthorised();
  const body = jsonBody(event);
  if (!body.ok) return body.response;
  const result = await closeReferralAs(deps, caller, event.pathParameters?.id ?? '', body.value);
  switch (result.kind) {
    case 'closed':
      return json(200, { ...referralView(result.referral, deps.clock.now()), closure: result.referral.closure ?? null });
    case 'invalid':
      return invalid(result.issues);
    case 'conflict':
      return problem(409, result.error.replaceAll('-', '_'), result.message);
    case 'forbidden':
      return forbidden('only the AMHP who holds the referral, or a manager of its team, can close it');
    case 'not-found':
      return notFound('referral');
  }
};

export const handler = lambdaEntry(makeHandler);
