import { hasRole, isTeamStaff } from '../../shared/app/caller.ts';
import { onCallAt } from '../../shared/app/directory-admin.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { callerOf, forbidden, invalid, json, notFound, unauthorised, type HttpEvent, type HttpResult } from '../commons/http.ts';
import { lambdaEntry } from '../commons/wiring.ts';

export const makeHandler = (deps: Dependencies) => async (event: HttpEvent): Promise<HttpResult> => {
  const caller = callerOf(event);
  if (!caller) return unauthorised();
  const teamId = event.pathParameters?.teamId ?? '';
  if (!hasRole(caller, 'admin') && !(await isTeamStaff(deps, caller, teamId))) return forbidden('only team staff see the rota');
  const atParam = event.queryStringParameters?.at;
  const at = atParam ? new Date(atParam) : deps.clock.now();
  if (Number.isNaN(at.getTime()) || (atParam && !/^\d{4}-\d{2}-\d{2}T/.test(atParam))) {
    return invalid([{ path: 'at', message: 'must be an ISO 8601 date and time, e.g. 2026-11-25T02:00:00Z' }]);
  }
  const onCall = await onCallAt(deps, teamId, at);
  return onCall ? json(200, { teamId, at: at.toISOString(), onCall }) : notFound('team');
};

export const handler = lambdaEntry(makeHandler);
