/**
 * The EDT managers' web pages under /manage: live board, response times (with CSV), rota
 * coverage, a referral's audit trail (CSV and JSON), and recording a referral's outcome. Signed
 * in by the web pages' session cookie (functions/web/session.ts) and drawn in their GOV.UK
 * layout; the routes are `auth: 'none'` in infra/definition.ts because API Gateway's JWT
 * authorizer reads only the Authorization header. The outcome form checks the Origin (CSRF).
 */
import { canCloseReferral, closeReferralAs } from '../../shared/app/close-referral.ts';
import { handoverBoard } from '../../shared/app/handover.ts';
import { recordReferralEvent } from '../../shared/app/record-event.ts';
import { personalDetailsView } from '../../shared/app/referral-view.ts';
import { isManager, managedTeams, managerBoard, referralAudit, responseReport, teamCoverage } from '../../shared/app/manager-views.ts';
import { auditCsv } from '../../shared/domain/audit.ts';
import { responseTimesCsv } from '../../shared/domain/response-times-csv.ts';
import { assessmentFiguresCsv } from '../../shared/domain/assessment-figures-csv.ts';
import type { Dependencies } from '../../shared/ports.ts';
import type { HttpEvent, HttpResult } from '../commons/http.ts';
import { lambdaEntry } from '../commons/wiring.ts';
import { webAssets, type WebAssets } from '../web/assets.ts';
import { loginPath } from '../web/auth.ts';
import { html } from '../commons/pages/html.ts';
import { redirect } from '../web/respond.ts';
import { currentSession, isSameOrigin, type Session } from '../web/session.ts';
import { auditPage, closedPanel, closeFormPage, type CloseFormValues } from './audit-view.ts';
import { boardPage } from './board-view.ts';
import { coveragePage } from './coverage-view.ts';
import { reportPage } from './report-view.ts';
import { managerPage, messageBody, type ManagerPageResponse } from './views.ts';
import { handoverPage } from './handover-view.ts';
import { MAX_REPORT_DAYS, reportWindow } from './window.ts';
import { figuresSection } from './figures-views.ts';
import { whenText } from '../web/pages.ts';

const MAX_FORM_BYTES = 4 * 1024;

export const download = (body: string, contentType: string, filename: string): HttpResult => ({
  statusCode: 200,
  headers: {
    'content-type': contentType,
    'cache-control': 'no-store',
    'content-disposition': `attachment; filename="${filename}"`,
    'x-content-type-options': 'nosniff',
  },
  body,
});

function formFields(event: HttpEvent): URLSearchParams | null {
  const raw = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : (event.body ?? '');
  return Buffer.byteLength(raw) > MAX_FORM_BYTES ? null : new URLSearchParams(raw);
}

export const makeHandler = (deps: Dependencies) => {
  const formActionOrigins = deps.signIn?.origin ? [deps.signIn.origin] : [];
  const page = (assets: WebAssets, response: ManagerPageResponse) => managerPage(assets, { formActionOrigins, ...response });
  const message = (assets: WebAssets, session: Session, status: number, title: string, text: string, managing = true) =>
    page(assets, { status, title, session, managing, body: messageBody(title, [text]) });
  const notManager = (assets: WebAssets, session: Session) =>
    message(assets, session, 403, 'Only managers can see this', 'These pages are for EDT managers and administrators.', false);

  async function closeRoute(assets: WebAssets, event: HttpEvent, session: Session, id: string): Promise<HttpResult> {
    const referral = await deps.referrals.get(id);
    const managing = isManager(session.caller);
    if (!referral) return message(assets, session, 404, 'Referral not found', 'Check the address.', managing);
    if (!(await canCloseReferral(deps, session.caller, referral))) {
      return message(assets, session, 403, 'You cannot close this referral', 'Only the AMHP who holds it, or a manager of its team, can record its outcome.', managing);
    }
    const title = `Record the outcome of ${referral.reference}`;
    if (event.requestContext.http.method === 'GET') {
      if (referral.status === 'closed') return page(assets, { status: 200, title: 'Referral closed', session, managing, body: closedPanel(referral, managing) });
      return page(assets, { status: 200, title, session, managing, body: closeFormPage({ referral, values: {}, errors: {} }) });
    }
    if (!isSameOrigin(event)) {
      deps.log.warn('outcome form refused: not from this origin');
      return message(assets, session, 403, 'The form could not be sent', 'The request did not come from this service. Open the referral again and record its outcome there.', managing);
    }
    const fields = formFields(event);
    if (!fields) return message(assets, session, 413, 'The form is too long', 'Choose the outcome and send the form again.', managing);
    const values: CloseFormValues = { outcome: fields.get('outcome') ?? '', result: fields.get('result') ?? '' };
    const body = values.outcome === 'assessed' ? { outcome: values.outcome, result: values.result } : { outcome: values.outcome };
    const result = await closeReferralAs(deps, session.caller, id, body);
    switch (result.kind) {
      case 'closed':
        return redirect(`/manage/referrals/${id}/close`);
      case 'invalid': {
        const errors = {
          ...(result.issues.some((i) => i.path === 'outcome' || i.path === '') ? { outcome: 'Select the outcome' } : {}),
          ...(result.issues.some((i) => i.path === 'result') ? { result: 'Select what the assessment decided' } : {}),
        };
        return page(assets, { status: 400, title, session, managing, hasErrors: true, body: closeFormPage({ referral, values, errors }) });
      }
      case 'conflict':
        return message(assets, session, 409, 'The referral cannot be closed now', result.error === 'already-closed' ? 'Its outcome has already been recorded.' : 'It is still being paged: it can be closed once an AMHP accepts it or the chain runs out.', managing);
      case 'forbidden':
        return message(assets, session, 403, 'You cannot close this referral', 'Only the AMHP who holds it, or a manager of its team, can record its outcome.', managing);
      case 'not-found':
        return message(assets, session, 404, 'Referral not found', 'Check the address.', managing);
    }
  }

  /** The day service took a listed referral on: `handed_over {to: day_service}`, through the events use case. */
  async function markReceived(assets: WebAssets, event: HttpEvent, session: Session): Promise<HttpResult> {
    if (!isSameOrigin(event)) {
      deps.log.warn('handover form refused: not from this origin');
      return message(assets, session, 403, 'The form could not be sent', 'The request did not come from this service. Open the Handover page again and mark the referral there.');
    }
    const referralId = formFields(event)?.get('referralId') ?? '';
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(referralId)) return message(assets, session, 400, 'Choose a referral', 'Mark a referral received from the Handover page.');
    const result = await recordReferralEvent(deps, session.caller, { referralId, body: { type: 'handed_over', to: 'day_service' } });
    switch (result.kind) {
      case 'recorded':
        return redirect(`/manage/handover?marked=${encodeURIComponent(result.referral.reference)}`);
      case 'not-found':
        return message(assets, session, 404, 'Referral not found', 'Open the Handover page again.');
      case 'forbidden':
        return message(assets, session, 403, 'You cannot mark this referral', 'Only managers of its team, or the AMHP who holds it, can record its handover.');
      case 'refused':
        return message(assets, session, 409, 'The referral cannot be marked received', result.message);
      case 'invalid':
        return message(assets, session, 400, 'The referral cannot be marked received', result.issues.map((issue) => `${issue.path} ${issue.message}`).join('; '));
    }
  }

  async function route(event: HttpEvent, assets: WebAssets): Promise<HttpResult> {
    const session = await currentSession(deps, event);
    if (!session) return redirect(loginPath(event.rawPath));
    const id = event.pathParameters?.id ?? '';
    if (event.routeKey === 'GET /manage/referrals/{id}/close' || event.routeKey === 'POST /manage/referrals/{id}/close') {
      return closeRoute(assets, event, session, id);
    }
    if (!isManager(session.caller)) return notManager(assets, session);

    switch (event.routeKey) {
      case 'GET /manage':
        return redirect('/manage/board');
      case 'GET /manage/board': {
        const board = await managerBoard(deps, await managedTeams(deps, session.caller));
        const serviceFallbackSet = Boolean((await deps.directory.getServiceSettings()).fallbackPhone);
        return page(assets, { status: 200, title: 'Live board', session, section: 'board', announcer: true, body: boardPage(board, { serviceFallbackSet }) });
      }
      case 'GET /manage/handover': {
        const teams = await handoverBoard(deps, await managedTeams(deps, session.caller));
        const marked = event.queryStringParameters?.marked;
        return page(assets, { status: 200, title: 'Morning handover', session, section: 'handover', body: handoverPage(teams, { marked: marked && /^[A-Z0-9-]{1,20}$/.test(marked) ? marked : null }) });
      }
      case 'POST /manage/handover':
        return markReceived(assets, event, session);
      case 'GET /manage/response-times': {
        const query = event.queryStringParameters ?? {};
        const parsed = reportWindow(query, deps.clock.now());
        const teams = await managedTeams(deps, session.caller);
        if (!parsed.ok) {
          return message(assets, session, 400, 'Check the dates', `Dates must be written like 2026-10-24, the start on or before the end, at most ${MAX_REPORT_DAYS} days apart.`);
        }
        const view = await responseReport(deps, teams, parsed.window, { storeRollups: true });
        if (parsed.format === 'csv') {
          return download(responseTimesCsv(view.report, view.labels), 'text/csv; charset=utf-8', `response-times-${parsed.window.fromDate}-to-${parsed.window.toDate}.csv`);
        }
        if (parsed.format === 'figures-csv') {
          return download(assessmentFiguresCsv(view.figures, view.labels), 'text/csv; charset=utf-8', `assessment-figures-${parsed.window.fromDate}-to-${parsed.window.toDate}.csv`);
        }
        if (parsed.format === 'json') {
          return download(JSON.stringify({ ...view.report, labels: view.labels, assessment: view.figures }), 'application/json', `response-times-${parsed.window.fromDate}-to-${parsed.window.toDate}.json`);
        }
        const search = new URLSearchParams({ from: parsed.window.fromDate, to: parsed.window.toDate }).toString();
        return page(assets, {
          status: 200,
          title: 'Response times',
          session,
          section: 'response-times',
          body: html`${reportPage({ ...view, window: parsed.window, teamsText: teams.map((t) => t.name).join(', '), query: search })}${figuresSection(view.figures, view.labels, search, whenText(view.figures.asAt))}`,
        });
      }
      case 'GET /manage/coverage': {
        const teams = await managedTeams(deps, session.caller);
        const coverages = await Promise.all(teams.map((team) => teamCoverage(deps, team)));
        return page(assets, { status: 200, title: 'Rota coverage', session, section: 'coverage', body: coveragePage(coverages) });
      }
      case 'GET /manage/referrals/{id}': {
        const found = await referralAudit(deps, session.caller, id);
        if (found.kind === 'not-found') return message(assets, session, 404, 'Referral not found', 'Check the address.');
        if (found.kind === 'forbidden') return message(assets, session, 403, 'You cannot see this referral', 'Only managers of its team can see its audit trail.');
        const { referral } = found;
        const format = event.queryStringParameters?.format;
        if (format === 'csv') return download(auditCsv(referral.reference, referral.timeline, found.names), 'text/csv; charset=utf-8', `audit-${referral.reference}.csv`);
        if (format === 'json') {
          const { timeline, clocks, status, reference, district, teamId, createdAt, closure } = referral;
          const personalDetails = personalDetailsView(found.retention);
          return download(JSON.stringify({ id, reference, status, district, teamId: teamId ?? null, createdAt, clocks, closure: closure ?? null, personalDetails, timeline }), 'application/json', `audit-${referral.reference}.json`);
        }
        const holder = referral.assignedTo ? (found.names[referral.assignedTo] ?? (await deps.directory.getStaff(referral.assignedTo))?.name ?? referral.assignedTo) : null;
        return page(assets, {
          status: 200,
          title: `Referral ${referral.reference}`,
          session,
          section: 'board',
          body: auditPage({
            referral,
            lines: found.lines,
            teamName: found.teamName,
            holderName: holder,
            legalStatus: referral.legal.status,
            retention: found.retention,
            canClose: referral.status !== 'closed' && (await canCloseReferral(deps, session.caller, referral)),
          }),
        });
      }
      default:
        return message(assets, session, 404, 'Page not found', 'Check the address.');
    }
  }

  return async (event: HttpEvent): Promise<HttpResult> => {
    const assets = await webAssets();
    try {
      return await route(event, assets);
    } catch (error) {
      deps.log.error('manager page failed', { routeKey: event.routeKey, error: error instanceof Error ? error.name : 'unknown' });
      return page(assets, {
        status: 500,
        title: 'Sorry, there is a problem with the service',
        session: null,
        body: html`<h1 class="govuk-heading-l">Sorry, there is a problem with the service</h1><p class="govuk-body">Try again in a moment. Referrals are still being routed and paged.</p>`,
      });
    }
  };
};

export const handler = lambdaEntry(makeHandler);
