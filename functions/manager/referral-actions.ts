import { pageNow, routeAgain, type ManagerActionResult } from '../../shared/app/manager-actions.ts';
import { referralView } from '../../shared/app/referral-view.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { callerOf, forbidden, invalid, json, jsonBody, notFound, problem, unauthorised, type HttpEvent, type HttpResult } from '../commons/http.ts';
import { lambdaEntry } from '../commons/wiring.ts';

/**
 * A manager acting on a referral (SPEC v1.1): `POST /api/referrals/{id}/page {"staffId"}` pages
 * that person now; `POST /api/referrals/{id}/route` routes an unrouted referral again. A manager
 * of the referral's team (any manager, for an unrouted one) or an administrator.
 */
export const makeHandler = (deps: Dependencies) => async (event: HttpEvent): Promise<HttpResult> => {
  const caller = callerOf(event);
  if (!caller) return unauthorised();
  const id = event.pathParameters?.id ?? '';
  let result: ManagerActionResult;
  if (event.routeKey === 'POST /api/referrals/{id}/route') result = await routeAgain(deps, caller, id);
  else {
    const body = jsonBody(event);
    if (!body.ok) return body.response;
    result = await pageNow(deps, caller, id, body.value);
  }
  switch (result.kind) {
    case 'done':
      return json(200, referralView(result.referral, deps.clock.now()));
    case 'invalid':
      return invalid(result.issues);
    case 'not-found':
      return notFound(result.what);
    case 'forbidden':
      return forbidden("only a manager of the referral's team, or an administrator, can do this");
    case 'conflict':
      return problem(409, result.error, result.message);
  }
};

export const handler = lambdaEntry(makeHandler);
