import { rotaFeedCalendar } from '../../shared/app/directory-admin.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { problem, type HttpEvent, type HttpResult } from '../commons/http.ts';
import { lambdaEntry } from '../commons/wiring.ts';

/** `GET /feeds/rota/{token}`: the calendar a subscription link names; the signed token is the credential. */
export const makeHandler = (deps: Dependencies) => async (event: HttpEvent): Promise<HttpResult> => {
  const calendar = await rotaFeedCalendar(deps, event.pathParameters?.token ?? '');
  if (!calendar) return problem(404, 'not_found', 'calendar not found');
  return {
    statusCode: 200,
    // Calendar apps poll; an hour's caching matches the feed's X-PUBLISHED-TTL.
    headers: { 'content-type': 'text/calendar; charset=utf-8', 'cache-control': 'private, max-age=3600' },
    body: calendar,
  };
};

export const handler = lambdaEntry(makeHandler);
