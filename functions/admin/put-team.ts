import { hasRole } from '../../shared/app/caller.ts';
import { putTeam } from '../../shared/app/directory-admin.ts';
import { resourceId } from '../../shared/domain/admin-schemas.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { callerOf, forbidden, invalid, json, jsonBody, unauthorised, type HttpEvent, type HttpResult } from '../commons/http.ts';
import { lambdaEntry } from '../commons/wiring.ts';

export const makeHandler = (deps: Dependencies) => async (event: HttpEvent): Promise<HttpResult> => {
  const caller = callerOf(event);
  if (!caller) return unauthorised();
  if (!hasRole(caller, 'admin')) return forbidden('only administrators change teams');
  const id = event.pathParameters?.teamId ?? '';
  if (!resourceId.safeParse(id).success) return invalid([{ path: 'teamId', message: 'must be 1 to 64 letters, digits, - or _' }]);
  const body = jsonBody(event);
  if (!body.ok) return body.response;
  const result = await putTeam(deps, id, body.value);
  if (result.ok) return json(200, result.value);
  if ('areaTaken' in result) {
    const { area, teamId } = result.areaTaken;
    // Ids and districts only: neither is personal data.
    return json(409, {
      error: 'area_taken',
      message: `area ${area} is held by team ${teamId}: remove it from that team first`,
      area,
      teamId: id,
      heldBy: teamId,
      issues: [{ path: 'areas', message: `${area} is held by team ${teamId}` }],
    });
  }
  return invalid(result.issues);
};

export const handler = lambdaEntry(makeHandler);
