import { checkIdempotencyKey, submitReferral } from '../../shared/app/submit-referral.ts';
import { hasRole } from '../../shared/app/caller.ts';
import type { Dependencies } from '../../shared/ports.ts';
import {
  callerOf,
  forbidden,
  header,
  invalid,
  jsonBody,
  problem,
  unauthorised,
  type HttpEvent,
  type HttpResult,
} from '../commons/http.ts';
import { referralAccepted } from '../commons/referral-accepted.ts';
import { lambdaEntry } from '../commons/wiring.ts';

export const makeHandler = (deps: Dependencies) => async (event: HttpEvent): Promise<HttpResult> => {
  const caller = callerOf(event);
  if (!caller) return unauthorised();
  if (!hasRole(caller, 'referrer')) return forbidden('only referrers submit referrals');
  const idempotencyKey = header(event, 'idempotency-key');
  const keyIssue = checkIdempotencyKey(idempotencyKey);
  if (keyIssue) return invalid([keyIssue]);
  const body = jsonBody(event);
  if (!body.ok) return body.response;

  const result = await submitReferral(deps, {
    userId: caller.userId,
    body: body.value,
    referrerRoles: caller.roles,
    ...(idempotencyKey ? { idempotencyKey } : {}),
  });
  switch (result.kind) {
    case 'invalid':
      return invalid(result.issues);
    case 'idempotency-conflict':
      return problem(422, 'idempotency_key_reused', 'this Idempotency-Key was already used with a different body');
    case 'accepted': {
      const { referral } = result;
      deps.log.info('referral accepted for routing', { referralId: referral.id, replayed: result.replayed });
      return referralAccepted(referral, result.replayed ? { 'idempotent-replayed': 'true' } : {});
    }
  }
};

export const handler = lambdaEntry(makeHandler);
