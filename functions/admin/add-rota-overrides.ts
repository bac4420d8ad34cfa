import { addRotaOverrides } from '../../shared/app/directory-admin.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { callerOf, forbidden, invalid, json, jsonBody, notFound, unauthorised, type HttpEvent, type HttpResult } from '../commons/http.ts';
import { lambdaEntry } from '../commons/wiring.ts';
import { canChangeRota } from './rota-http.ts';

/** `POST /api/teams/{teamId}/rota/overrides`: cover and swaps that win over the rota for their window. */
export const makeHandler = (deps: Dependencies) => async (event: HttpEvent): Promise<HttpResult> => {
  const caller = callerOf(event);
  if (!caller) return unauthorised();
  const teamId = event.pathParameters?.teamId ?? '';
  if (!(await canChangeRota(deps, caller, teamId))) return forbidden("only administrators and the team's managers change its rota");
  const body = jsonBody(event);
  if (!body.ok) return body.response;
  const result = await addRotaOverrides(deps, teamId, body.value);
  if (result.ok) return json(201, { teamId, shifts: result.value, gaps: result.check.gaps, overlaps: result.check.overlaps });
  return 'notFound' in result ? notFound('team') : invalid(result.issues);
};

export const handler = lambdaEntry(makeHandler);
