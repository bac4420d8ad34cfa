import { hasRole, isTeamStaff } from '../../shared/app/caller.ts';
import { putRota } from '../../shared/app/directory-admin.ts';
import type { Dependencies } from '../../shared/ports.ts';
import {
  callerOf,
  forbidden,
  invalid,
  json,
  jsonBody,
  notFound,
  unauthorised,
  type HttpEvent,
  type HttpResult,
} from '../commons/http.ts';
import { lambdaEntry } from '../commons/wiring.ts';

export const makeHandler = (deps: Dependencies) => async (event: HttpEvent): Promise<HttpResult> => {
  const caller = callerOf(event);
  if (!caller) return unauthorised();
  const teamId = event.pathParameters?.teamId ?? '';
  const allowed = hasRole(caller, 'admin') || (hasRole(caller, 'manager') && (await isTeamStaff(deps, caller, teamId)));
  if (!allowed) return forbidden("only administrators and the team's managers change its rota");
  const body = jsonBody(event);
  if (!body.ok) return body.response;
  const result = await putRota(deps, teamId, body.value);
  if (result.ok) return json(200, { teamId, shifts: result.value });
  return 'notFound' in result ? notFound('team') : invalid(result.issues);
};

export const handler = lambdaEntry(makeHandler);
