import { rotaView, rotaWindowQuery } from '../../shared/app/directory-admin.ts';
import { toIssues } from '../../shared/domain/admin-schemas.ts';
import { rotaToCsv } from '../../shared/domain/rota-csv.ts';
import { rotaToIcs } from '../../shared/domain/rota-ics.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { callerOf, forbidden, invalid, json, notFound, unauthorised, type HttpEvent, type HttpResult } from '../commons/http.ts';
import { lambdaEntry } from '../commons/wiring.ts';
import { canSeeRota, text, wantedFormat } from './rota-http.ts';

/**
 * `GET /api/teams/{teamId}/rota?from=YYYY-MM-DD&days=14`: the effective rota (overrides applied)
 * with its gaps per position and overlaps per person, as JSON, CSV or iCalendar (`format=` or Accept).
 */
export const makeHandler = (deps: Dependencies) => async (event: HttpEvent): Promise<HttpResult> => {
  const caller = callerOf(event);
  if (!caller) return unauthorised();
  const teamId = event.pathParameters?.teamId ?? '';
  if (!(await canSeeRota(deps, caller, teamId))) return forbidden('only team staff see the rota');
  const query = rotaWindowQuery.safeParse(event.queryStringParameters ?? {});
  if (!query.success) return invalid(toIssues(query.error));
  const view = await rotaView(deps, teamId, query.data.from, query.data.days);
  if (!view) return notFound('team');
  const format = wantedFormat(event, query.data.format);
  const name = `${teamId}-rota-${view.dates[0]}`;
  if (format === 'csv') return text(200, rotaToCsv(view.segments), 'text/csv; charset=utf-8', `${name}.csv`);
  if (format === 'ics') {
    const calendar = rotaToIcs(view.segments, { calendarName: `${view.team.name} rota`, staffNames: view.staffNames, now: deps.clock.now() });
    return text(200, calendar, 'text/calendar; charset=utf-8', `${name}.ics`);
  }
  return json(200, {
    teamId,
    timeZone: 'Europe/London',
    from: view.from,
    to: view.to,
    shifts: view.segments,
    gaps: view.check.gaps,
    overlaps: view.check.overlaps,
    staffNames: view.staffNames,
  });
};

export const handler = lambdaEntry(makeHandler);
