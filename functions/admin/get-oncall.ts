import { onCallAt } from '../../shared/app/directory-admin.ts';
import { localDateTimeToInstant } from '../../shared/domain/rota-time.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { callerOf, forbidden, invalid, json, notFound, unauthorised, type HttpEvent, type HttpResult } from '../commons/http.ts';
import { lambdaEntry } from '../commons/wiring.ts';
import { canSeeRota } from './rota-http.ts';

/** `at` with an offset is that instant; without one (`2026-10-25T01:30`) it is London time. */
function instantOf(at: string): Date | null {
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(at)) {
    const instant = new Date(at);
    return Number.isNaN(instant.getTime()) ? null : instant;
  }
  return localDateTimeToInstant(at);
}

/** `GET /api/teams/{teamId}/oncall?at=`: who holds each position at that instant (now by default). */
export const makeHandler = (deps: Dependencies) => async (event: HttpEvent): Promise<HttpResult> => {
  const caller = callerOf(event);
  if (!caller) return unauthorised();
  const teamId = event.pathParameters?.teamId ?? '';
  if (!(await canSeeRota(deps, caller, teamId))) return forbidden('only team staff see the rota');
  const atParam = event.queryStringParameters?.at;
  const at = atParam ? instantOf(atParam) : deps.clock.now();
  if (!at) {
    return invalid([{ path: 'at', message: 'must be an ISO 8601 date and time, e.g. 2026-11-25T02:00:00Z (without an offset it is London time)' }]);
  }
  const view = await onCallAt(deps, teamId, at);
  return view ? json(200, { teamId, at: at.toISOString(), ...view }) : notFound('team');
};

export const handler = lambdaEntry(makeHandler);
