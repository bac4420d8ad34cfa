import { readStaff, readTeam, readTeams, type DirectoryRead } from '../../shared/app/directory-admin.ts';
import { staffView } from '../../shared/domain/phone-verification.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { callerOf, forbidden, json, notFound, unauthorised, type HttpEvent, type HttpResult } from '../commons/http.ts';
import { lambdaEntry } from '../commons/wiring.ts';

/**
 * `GET /api/teams`, `GET /api/teams/{teamId}` and `GET /api/staff/{staffId}` (SPEC v1.1): for
 * administrators and the team's managers; anyone else is refused (403).
 */
export const makeHandler = (deps: Dependencies) => async (event: HttpEvent): Promise<HttpResult> => {
  const caller = callerOf(event);
  if (!caller) return unauthorised();
  const answer = <T>(read: DirectoryRead<T>, what: string, wrap: (value: T) => unknown) =>
    read.kind === 'found' ? json(200, wrap(read.value)) : read.kind === 'forbidden' ? forbidden(`only administrators and the team's managers see ${what}`) : notFound(what);
  switch (event.routeKey) {
    case 'GET /api/teams':
      return answer(await readTeams(deps, caller), 'teams', (teams) => ({ teams }));
    case 'GET /api/teams/{teamId}':
      return answer(await readTeam(deps, caller, event.pathParameters?.teamId ?? ''), 'team', (team) => team);
    default:
      return answer(await readStaff(deps, caller, event.pathParameters?.staffId ?? ''), 'staff member', (staff) => staffView(staff));
  }
};

export const handler = lambdaEntry(makeHandler);
