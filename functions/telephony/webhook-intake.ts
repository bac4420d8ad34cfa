/**
 * `POST /api/telephony/referrals`: minimal phone referrals from telephony and call-handling
 * platforms. The route has no JWT authorizer: each request is signed by the integrator (HMAC-SHA256
 * over `<timestamp>.<body>`, headers below) and a replay is refused. Integrators' secrets come from
 * Secrets Manager in AWS and from the local runtime locally.
 *
 *   X-Dutyline-Integrator: acme-callhandling
 *   X-Dutyline-Timestamp:  1764107400            (Unix seconds; within 5 minutes)
 *   X-Dutyline-Signature:  v1=<hex HMAC-SHA256 of "1764107400.<raw body>">
 *   Idempotency-Key:       <optional, as for POST /api/referrals>
 */
import { checkIdempotencyKey } from '../../shared/app/submit-referral.ts';
import { receiveTelephonyWebhook } from '../../shared/app/phone-intake.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { header, invalid, jsonText, problem, type HttpEvent, type HttpResult } from '../commons/http.ts';
import { referralAccepted } from '../commons/referral-accepted.ts';
import { lambdaEntry } from '../commons/wiring.ts';

export const makeHandler = (deps: Dependencies) => async (event: HttpEvent): Promise<HttpResult> => {
  const body = jsonText(event);
  if (!body.ok) return body.response;
  const rawBody = body.text;
  const idempotencyKey = header(event, 'idempotency-key');
  const keyIssue = checkIdempotencyKey(idempotencyKey);
  if (keyIssue) return invalid([keyIssue]);

  const result = await receiveTelephonyWebhook(deps, {
    integrator: header(event, 'x-dutyline-integrator'),
    timestamp: header(event, 'x-dutyline-timestamp'),
    signature: header(event, 'x-dutyline-signature'),
    rawBody,
    ...(idempotencyKey ? { idempotencyKey } : {}),
  });
  switch (result.kind) {
    case 'unauthorised':
      // Which check failed is logged, not told: a prober learns nothing about integrators or secrets.
      deps.log.warn('telephony webhook refused', { reason: result.reason });
      return result.reason === 'stale'
        ? problem(401, 'stale_timestamp', 'X-Dutyline-Timestamp must be within 5 minutes of now')
        : problem(401, 'unauthorised', 'the request is not signed by a known integrator');
    case 'replayed':
      deps.log.warn('telephony webhook replay refused');
      return problem(409, 'replayed', 'this signed request was already received; sign each request afresh');
    case 'not-json':
      return problem(400, 'invalid_json', 'the body is not valid JSON');
    case 'invalid':
      return invalid(result.issues);
    case 'idempotency-conflict':
      return problem(422, 'idempotency_key_reused', 'this Idempotency-Key was already used with a different body');
    case 'accepted': {
      const { referral } = result;
      deps.log.info('phone referral accepted for routing', { referralId: referral.id, via: 'webhook', replayed: result.replayed });
      return referralAccepted(referral);
    }
  }
};

export const handler = lambdaEntry(makeHandler);
