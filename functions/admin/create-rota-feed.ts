import { createRotaFeed } from '../../shared/app/directory-admin.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { callerOf, forbidden, json, notFound, unauthorised, type HttpEvent, type HttpResult } from '../commons/http.ts';
import { lambdaEntry } from '../commons/wiring.ts';
import { canSeeRota } from './rota-http.ts';

/**
 * `POST /api/teams/{teamId}/rota/feed` (`?mine=true` for the caller's own shifts): a calendar
 * subscription link. Calendar apps cannot send a bearer token, so the link carries a signed,
 * revocable feed id instead; it shows staff names and shift times, never referrals.
 */
export const makeHandler = (deps: Dependencies) => async (event: HttpEvent): Promise<HttpResult> => {
  const caller = callerOf(event);
  if (!caller) return unauthorised();
  const teamId = event.pathParameters?.teamId ?? '';
  if (!(await canSeeRota(deps, caller, teamId))) return forbidden('only team staff see the rota');
  if (!(await deps.directory.getTeam(teamId))) return notFound('team');
  const mine = event.queryStringParameters?.mine === 'true';
  if (mine && !caller.staffId) return forbidden('only staff on the rota have shifts of their own');
  const feed = await createRotaFeed(deps, { teamId, staffId: mine ? caller.staffId : undefined, createdBy: caller.userId });
  return json(201, feed);
};

export const handler = lambdaEntry(makeHandler);
