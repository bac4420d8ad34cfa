import { answerPage } from '../../shared/app/escalate.ts';
import { referralView } from '../../shared/app/referral-view.ts';
import type { Dependencies } from '../../shared/ports.ts';
import {
  callerOf,
  forbidden,
  invalid,
  json,
  type Issue,
  jsonBody,
  notFound,
  problem,
  unauthorised,
  type HttpEvent,
  type HttpResult,
} from '../commons/http.ts';

const MAX_REASON = 500;

/**
 * Shared by the accept and decline routes: only an AMHP paged for the referral may answer. A
 * decline takes `{"reason"?, "conflictOfInterest"?: true}`; a declared conflict is recorded on the
 * referral and its timeline, and the AMHP is never paged for it again.
 */
export const answerHandler =
  (answer: 'accept' | 'decline') =>
  (deps: Dependencies) =>
  async (event: HttpEvent): Promise<HttpResult> => {
    const caller = callerOf(event);
    if (!caller) return unauthorised();
    if (!caller.staffId) return forbidden('only staff who were paged can answer');
    let reason: string | undefined;
    let conflictOfInterest = false;
    if (answer === 'decline' && event.body) {
      const body = jsonBody(event);
      if (!body.ok) return body.response;
      const given = (body.value ?? {}) as { reason?: unknown; conflictOfInterest?: unknown };
      const issues: Issue[] = [];
      if (given.reason !== undefined && (typeof given.reason !== 'string' || given.reason.length > MAX_REASON)) {
        issues.push({ path: 'reason', message: `must be text of at most ${MAX_REASON} characters` });
      }
      if (given.conflictOfInterest !== undefined && typeof given.conflictOfInterest !== 'boolean') {
        issues.push({ path: 'conflictOfInterest', message: 'must be true or false' });
      }
      // Field names and rules only: the reason may name the person, so it is never echoed.
      if (issues.length > 0) return invalid(issues);
      reason = given.reason as string | undefined;
      conflictOfInterest = given.conflictOfInterest === true;
    }
    const result = await answerPage(deps, {
      referralId: event.pathParameters?.id ?? '',
      staffId: caller.staffId,
      answer,
      ...(reason ? { reason } : {}),
      ...(conflictOfInterest ? { conflictOfInterest } : {}),
      via: 'api',
    });
    switch (result.kind) {
      case 'done':
        return json(200, referralView(result.referral, deps.clock.now()));
      case 'not-found':
        return notFound('referral');
      case 'forbidden':
        return forbidden('you were not paged for this referral');
      case 'conflict':
        return problem(409, result.reason.replaceAll('-', '_'), `the referral cannot be ${answer}ed: ${result.reason}`);
    }
  };
