import { isManager, managedTeams, managerBoard, responseReport } from '../../shared/app/manager-views.ts';
import { addDays, instantToLocal } from '../../shared/domain/rota-time.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { callerOf, forbidden, invalid, json, notFound, unauthorised, type HttpEvent, type HttpResult } from '../commons/http.ts';
import { lambdaEntry } from '../commons/wiring.ts';
import { reportWindow } from './window.ts';

/** The dashboard's statistics cover the last week unless `from`/`to` say otherwise. */
const DASHBOARD_DAYS = 7;

/**
 * `GET /api/dashboard?teamId=&from=&to=` (contract v1): the open referrals with their clocks and
 * the response-time statistics of the team (every team the caller manages without `teamId`).
 * Managers of the team and administrators only.
 */
export const makeHandler = (deps: Dependencies) => async (event: HttpEvent): Promise<HttpResult> => {
  const caller = callerOf(event);
  if (!caller) return unauthorised();
  if (!isManager(caller)) return forbidden('only managers can see the dashboard');
  const { teamId, from, to } = event.queryStringParameters ?? {};
  const managed = await managedTeams(deps, caller);
  const teams = teamId ? managed.filter((team) => team.id === teamId) : managed;
  if (teamId && teams.length === 0) return (await deps.directory.getTeam(teamId)) ? forbidden('you do not manage this team') : notFound('team');
  const now = deps.clock.now();
  const defaults = to || from ? {} : { from: addDays(instantToLocal(now).date, -(DASHBOARD_DAYS - 1)) };
  const parsed = reportWindow({ ...defaults, ...(from ? { from } : {}), ...(to ? { to } : {}) }, now);
  if (!parsed.ok) return invalid(parsed.issues);
  const [board, statistics] = await Promise.all([managerBoard(deps, teams), responseReport(deps, teams, parsed.window)]);
  return json(200, {
    teamIds: teams.map((team) => team.id),
    generatedAt: board.generatedAt,
    open: board.rows.map((row) => ({
      id: row.id,
      reference: row.reference,
      teamId: row.teamId,
      district: row.district,
      legalStatus: row.legalStatus,
      urgency: row.urgency,
      status: row.status,
      clock: row.clock,
      holder: row.holder ? { ...row.holder, name: row.holderName } : null,
      minutesSinceReceived: row.minutesSinceReceived,
      minutesSinceLastPage: row.minutesSinceLastPage,
      overdue: row.overdue,
      stage: row.stage,
      minutesInStage: row.minutesInStage,
      openDelay: row.openDelay,
      overruns: row.overruns,
      under18: row.under18,
    })),
    statistics: { ...statistics.report, labels: statistics.labels, assessment: statistics.figures },
  });
};

export const handler = lambdaEntry(makeHandler);
