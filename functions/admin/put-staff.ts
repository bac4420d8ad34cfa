import { hasRole } from '../../shared/app/caller.ts';
import { putStaff } from '../../shared/app/directory-admin.ts';
import { resourceId } from '../../shared/domain/admin-schemas.ts';
import { staffView } from '../../shared/domain/phone-verification.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { callerOf, forbidden, invalid, json, jsonBody, unauthorised, type HttpEvent, type HttpResult } from '../commons/http.ts';
import { lambdaEntry } from '../commons/wiring.ts';

export const makeHandler = (deps: Dependencies) => async (event: HttpEvent): Promise<HttpResult> => {
  const caller = callerOf(event);
  if (!caller) return unauthorised();
  if (!hasRole(caller, 'admin')) return forbidden('only administrators change staff');
  const id = event.pathParameters?.staffId ?? '';
  if (!resourceId.safeParse(id).success) return invalid([{ path: 'staffId', message: 'must be 1 to 64 letters, digits, - or _' }]);
  const body = jsonBody(event);
  if (!body.ok) return body.response;
  const result = await putStaff(deps, id, body.value);
  return result.ok ? json(200, staffView(result.value)) : invalid(result.issues);
};

export const handler = lambdaEntry(makeHandler);
