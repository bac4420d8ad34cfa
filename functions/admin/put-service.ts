import { hasRole } from '../../shared/app/caller.ts';
import { putServiceSettings } from '../../shared/app/directory-admin.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { callerOf, forbidden, invalid, json, jsonBody, unauthorised, type HttpEvent, type HttpResult } from '../commons/http.ts';
import { lambdaEntry } from '../commons/wiring.ts';

/** `PUT /api/service` `{"defaultTeamId"}`: the team that takes referrals from districts no team lists. */
export const makeHandler = (deps: Dependencies) => async (event: HttpEvent): Promise<HttpResult> => {
  const caller = callerOf(event);
  if (!caller) return unauthorised();
  if (!hasRole(caller, 'admin')) return forbidden('only administrators change service settings');
  const body = jsonBody(event);
  if (!body.ok) return body.response;
  const result = await putServiceSettings(deps, body.value);
  return result.ok ? json(200, result.value) : invalid(result.issues);
};

export const handler = lambdaEntry(makeHandler);
