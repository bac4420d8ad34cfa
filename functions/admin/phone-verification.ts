import { confirmVerificationCode, sendVerificationCode } from '../../shared/app/phone-verification.ts';
import { resourceId } from '../../shared/domain/admin-schemas.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { callerOf, forbidden, invalid, json, jsonBody, notFound, problem, unauthorised, type HttpEvent, type HttpResult } from '../commons/http.ts';
import { lambdaEntry } from '../commons/wiring.ts';

/**
 * `POST /api/staff/{staffId}/phone/verify` and `/phone/confirm` (SPEC v1.1): the staff member
 * themself, or an administrator, proves the staff phone with a texted 6-digit code.
 */
export const makeHandler = (deps: Dependencies) => async (event: HttpEvent): Promise<HttpResult> => {
  const caller = callerOf(event);
  if (!caller) return unauthorised();
  const staffId = event.pathParameters?.staffId ?? '';
  if (!resourceId.safeParse(staffId).success) return invalid([{ path: 'staffId', message: 'must be 1 to 64 letters, digits, - or _' }]);
  const refused = () => forbidden('only the staff member themself or an administrator verifies their phone');
  if (event.routeKey === 'POST /api/staff/{staffId}/phone/verify') {
    const result = await sendVerificationCode(deps, caller, staffId);
    switch (result.kind) {
      case 'sent':
        return json(202, { status: 'code_sent', expiresAt: result.expiresAt });
      case 'forbidden':
        return refused();
      case 'not-found':
        return notFound('staff member');
      case 'rate-limited':
        return problem(429, 'rate_limited', 'too many codes have been sent to this person or number: try again later');
      case 'not-delivered':
        return problem(409, 'not_delivered', 'the code could not be texted to the phone (it may have replied STOP: reply START, then ask again)');
    }
  }
  const body = jsonBody(event);
  if (!body.ok) return body.response;
  const result = await confirmVerificationCode(deps, caller, staffId, body.value);
  switch (result.kind) {
    case 'confirmed':
      return json(200, result.staff);
    case 'forbidden':
      return refused();
    case 'not-found':
      return notFound('staff member');
    case 'invalid':
      return invalid(result.issues);
  }
};

export const handler = lambdaEntry(makeHandler);
