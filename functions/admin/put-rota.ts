import { putRota } from '../../shared/app/directory-admin.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { callerOf, forbidden, invalid, json, notFound, problem, unauthorised, type HttpEvent, type HttpResult } from '../commons/http.ts';
import { lambdaEntry } from '../commons/wiring.ts';
import { canChangeRota, rotaBody } from './rota-http.ts';

/** `PUT /api/teams/{teamId}/rota`: JSON, CSV (`text/csv`) or iCalendar (`text/calendar`), by Content-Type. */
export const makeHandler = (deps: Dependencies) => async (event: HttpEvent): Promise<HttpResult> => {
  const caller = callerOf(event);
  if (!caller) return unauthorised();
  const teamId = event.pathParameters?.teamId ?? '';
  if (!(await canChangeRota(deps, caller, teamId))) return forbidden("only administrators and the team's managers change its rota");
  const drop = event.queryStringParameters?.dropConflictingOverrides;
  if (drop !== undefined && drop !== 'true' && drop !== 'false') return invalid([{ path: 'dropConflictingOverrides', message: 'must be true or false' }]);
  const body = rotaBody(event);
  if (!body.ok) return body.response;
  const result = await putRota(deps, teamId, body.value, body.format, { dropConflictingOverrides: drop === 'true' });
  if (result.ok) {
    const { keptOverrides = [], droppedOverrides = [] } = result;
    deps.log.info('rota replaced', {
      teamId,
      shifts: result.value.length,
      format: body.format,
      gaps: result.check.gaps.length,
      overlaps: result.check.overlaps.length,
      keptOverrides: keptOverrides.length,
      droppedOverrides: droppedOverrides.length,
    });
    return json(200, { teamId, shifts: result.value, gaps: result.check.gaps, overlaps: result.check.overlaps, keptOverrides, droppedOverrides });
  }
  if ('notFound' in result) return notFound('team');
  if ('conflicts' in result) {
    const count = result.conflicts.length;
    return json(409, {
      error: 'overrides_conflict',
      message: `${count} override${count === 1 ? '' : 's'} or swap${count === 1 ? '' : 's'} made since would stand in for someone else under the new rota; nothing was changed. Add them to the upload, or send it again with ?dropConflictingOverrides=true to drop them`,
      conflicts: result.conflicts,
    });
  }
  if (body.format === 'json') return invalid(result.issues);
  // CSV rows and calendar events are numbered as the file shows them; nothing was imported.
  const where = body.format === 'csv' ? 'rows (numbered as in a spreadsheet, the header is row 1)' : 'events (numbered from 1 in file order)';
  return problem(400, 'validation_failed', `${result.issues.length} problem${result.issues.length === 1 ? '' : 's'} in the ${where}; nothing was imported`, result.issues);
};

export const handler = lambdaEntry(makeHandler);
