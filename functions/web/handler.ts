/**
 * The referrer's web pages: start, referral form, confirmation, live status, their referrals, and
 * sign-in; with the styles and scripts they use. Server-rendered, working without JavaScript:
 * forms POST and redirect (303) to a GET. Routes are `auth: 'none'` in infra/definition.ts
 * because API Gateway's JWT authorizer reads only the Authorization header; this function checks
 * its own session cookie instead, and the Origin of every form post.
 */
import { randomBytes } from 'node:crypto';
import { canSeeReferral, hasRole } from '../../shared/app/caller.ts';
import { amhpHome } from '../../shared/app/amhp-home.ts';
import { recordReferralEvent } from '../../shared/app/record-event.ts';
import { referrerHistory, referrerStatus, referrerStatusOf } from '../../shared/app/referrer-status.ts';
import { mostRecentLondonTime, parseClockTime } from '../../shared/domain/london-time.ts';
import { submitReferral } from '../../shared/app/submit-referral.ts';
import { relativeRole } from '../../shared/domain/mha-2025.ts';
import { emergencyDutyTeamPhone } from '../../shared/app/team-contacts.ts';
import { profileFromReferrer } from '../../shared/domain/referrer-profile.ts';
import { validateReferral } from '../../shared/domain/referral-schema.ts';
import type { ValidationIssue } from '../../shared/domain/types.ts';
import type { Dependencies } from '../../shared/ports.ts';
import type { HttpEvent, HttpResult } from '../commons/http.ts';
import { lambdaEntry } from '../commons/wiring.ts';
import { serveAsset, webAssets, type WebAssets } from './assets.ts';
import { finishSignIn, loginPath, signOut, startSignIn } from './auth.ts';
import { amhpHomePage } from './amhp-home.ts';
import { notificationBanner, type SummaryError } from '../commons/pages/govuk.ts';
import { html, type SafeHtml } from '../commons/pages/html.ts';
import { confirmationPage, historyPage, messagePage, startPage, statusPage, type PlaceReport } from './pages.ts';
import { fromProfile, formErrors, parseForm, prefilled, referralForm, toReferralBody, type FormErrors, type FormValues } from './referral-form.ts';
import { compressed, pageResult, redirect, type PageResponse } from './respond.ts';
import { currentSession, isSameOrigin, type Session } from './session.ts';

/** The fields a step's form may carry: closed lists and a number, never free text. */
const STEP_FIELDS = ['type', 'role', 'action', 'outcome', 'by', 'section', 'reason', 'to'] as const;

function stepBody(fields: Record<string, string | undefined>): Record<string, unknown> {
  const body: Record<string, unknown> = Object.fromEntries(STEP_FIELDS.flatMap((name) => (fields[name] ? [[name, fields[name]]] : [])));
  const eta = (fields.etaMinutes ?? '').trim();
  // Left as typed when not digits, so the schema names the field.
  if (eta) body.etaMinutes = /^\d+$/.test(eta) ? Number(eta) : eta;
  return body;
}

/** A referral form is a few KB; anything much bigger is not one. */
const MAX_FORM_BYTES = 64 * 1024;
const FORM_ID = /^[A-Za-z0-9_-]{16,64}$/;

const newFormId = () => randomBytes(18).toString('base64url');
const noErrors = (): FormErrors => ({ summary: [], byField: new Map() });

function formBody(event: HttpEvent): string | null {
  const raw = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : (event.body ?? '');
  return Buffer.byteLength(raw) > MAX_FORM_BYTES ? null : raw;
}

export const makeHandler = (deps: Dependencies) => {
  const page = (assets: WebAssets, response: PageResponse) => pageResult(deps, assets, response);

  /** The number to call about this referral; a page without it still works. */
  const edtPhoneFor = async (referralId: string) => {
    try {
      const referral = await deps.referrals.get(referralId);
      return referral ? await emergencyDutyTeamPhone(deps, referral) : null;
    } catch (error) {
      deps.log.warn('could not read the emergency duty team number', { referralId, error: error instanceof Error ? error.name : 'unknown' });
      return null;
    }
  };

  /** The referrer's own details from their last referral, else their sign-in's name and number. */
  const formValuesFor = async (session: Session) => {
    try {
      const profile = await deps.referrerProfiles?.get(session.caller.userId);
      if (profile) return fromProfile(profile);
    } catch (error) {
      deps.log.warn('could not read the referrer profile', { error: error instanceof Error ? error.name : 'unknown' });
    }
    return prefilled(session);
  };

  /** Remembers who the referrer is for next time; the referral is already safe, so a failure only logs. */
  const rememberReferrer = async (session: Session, body: Record<string, unknown>) => {
    const profile = profileFromReferrer(body.referrer as Record<string, unknown> | undefined);
    if (!profile || !deps.referrerProfiles) return;
    try {
      await deps.referrerProfiles.put(session.caller.userId, profile);
    } catch (error) {
      deps.log.warn('could not remember the referrer profile', { error: error instanceof Error ? error.name : 'unknown' });
    }
  };

  const notFound = (assets: WebAssets, session: Session | null) =>
    page(assets, {
      status: 404,
      title: 'Page not found',
      session,
      body: messagePage('Page not found', ['Check the address, or find the referral in your referrals.']),
    });

  const notAReferrer = (assets: WebAssets, session: Session) =>
    page(assets, {
      status: 403,
      title: 'Only referrers can make referrals',
      session,
      body: messagePage('Only referrers can make referrals', ['You are signed in with an account that cannot make referrals.']),
    });

  async function formPage(assets: WebAssets, session: Session | null, input: { status: number; values: FormValues; errors: FormErrors; formId: string; notice?: SafeHtml }) {
    // From the date the service sets, the nominated person replaces the nearest relative (MHA 2025).
    const settings = await deps.directory.getServiceSettings().catch(() => ({ settings: undefined }));
    return page(assets, {
      status: input.status,
      title: 'Refer for an urgent Mental Health Act assessment',
      session,
      section: 'new',
      hasErrors: input.errors.summary.length > 0,
      body: html`${input.notice ?? ''}${referralForm({ ...input, relative: relativeRole(settings.settings, deps.clock.now()) })}`,
    });
  }

  async function submitForm(assets: WebAssets, event: HttpEvent, session: Session | null): Promise<HttpResult> {
    if (!isSameOrigin(event)) {
      deps.log.warn('web form refused: not from this origin');
      return page(assets, {
        status: 403,
        title: 'The form could not be sent',
        session,
        body: messagePage('The form could not be sent', [html`The request did not come from this service. <a class="govuk-link" href="/referrals/new">Start the referral again</a>.`]),
      });
    }
    const raw = formBody(event);
    if (raw === null) {
      return page(assets, { status: 413, title: 'The form is too long', session, body: messagePage('The form is too long', ['Shorten the reason and try again.']) });
    }
    const values = parseForm(raw);
    const formId = FORM_ID.test(values.fields.formId ?? '') ? (values.fields.formId as string) : newFormId();
    if (!session) {
      // What was typed is given back to the browser that sent it, so nothing is lost while signing in again.
      return formPage(assets, null, {
        status: 401,
        values,
        errors: noErrors(),
        formId,
        notice: notificationBanner(
          'Sign in again',
          html`<p class="govuk-notification-banner__heading">Your sign-in has ended. Nothing has been sent yet.</p><p class="govuk-body"><a class="govuk-notification-banner__link" href="${loginPath('/referrals')}" target="_blank" rel="noopener">Sign in again (opens in a new tab)</a>, then come back to this tab and select Send referral.</p>`,
        ),
      });
    }
    if (!hasRole(session.caller, 'referrer')) return notAReferrer(assets, session);

    const { body, issues: formIssues } = toReferralBody(values);
    let schemaIssues: ValidationIssue[];
    if (formIssues.length > 0) {
      // Show every problem at once: the schema's findings about the other fields too.
      const checked = validateReferral(body, deps.clock.now());
      schemaIssues = checked.ok ? [] : checked.issues;
    } else {
      const result = await submitReferral(deps, { userId: session.caller.userId, body, idempotencyKey: `web-form:${formId}` });
      if (result.kind === 'accepted') {
        deps.log.info('web referral accepted for routing', { referralId: result.referral.id, replayed: result.replayed });
        await rememberReferrer(session, body);
        return redirect(`/referrals/${result.referral.id}/confirmation`);
      }
      if (result.kind === 'idempotency-conflict') {
        return page(assets, {
          status: 409,
          title: 'This form was already sent',
          session,
          section: 'new',
          body: messagePage('This form was already sent', [html`Find it in <a class="govuk-link" href="/referrals">your referrals</a>, or <a class="govuk-link" href="/referrals/new">make a new referral</a>.`]),
        });
      }
      schemaIssues = result.issues;
    }
    const errors = formErrors(formIssues, schemaIssues, values);
    // Field paths only: never the values.
    deps.log.info('web referral form had problems', { fields: errors.summary.map((error) => error.href.slice(1)) });
    return formPage(assets, session, { status: 400, values, errors, formId });
  }

  /** Where each event field is asked on the status page, for its error message. */
  const reportFields: Record<string, { id: string; text: string }> = {
    placeKind: { id: 'placeKind', text: 'Which kind of place' },
    postcode: { id: 'report-postcode', text: 'Postcode of the place' },
    policeStationAuthorisedBy: { id: 'report-policeStationAuthorisedBy', text: 'Who authorised the police station' },
    at: { id: 'report-time', text: 'The time' },
  };

  /**
   * The status page's arrival or transfer form: the same use case as `POST /api/referrals/{id}/events`.
   * Recorded, back to the status page (POST/redirect/GET); refused, the page again with why. Only
   * reads on the way to a refusal: nothing is written unless the event is recorded.
   */
  async function reportPlace(assets: WebAssets, event: HttpEvent, session: Session, id: string): Promise<HttpResult> {
    if (!isSameOrigin(event)) {
      deps.log.warn('status page form refused: not from this origin');
      return page(assets, { status: 403, title: 'The form could not be sent', session, body: messagePage('The form could not be sent', [html`The request did not come from this service. <a class="govuk-link" href="/referrals/${id}">Go back to the referral</a>.`]) });
    }
    const raw = formBody(event);
    if (raw === null) return page(assets, { status: 413, title: 'The form is too long', session, body: messagePage('The form is too long', ['Go back and try again.']) });
    const fields = parseForm(raw).fields;
    const type = fields.type === 'transferred' ? 'transferred' : 'arrived_at_place_of_safety';
    const now = deps.clock.now();
    const time = (fields.time ?? '').trim();
    const clock = time ? parseClockTime(time) : null;
    const body = {
      type,
      placeKind: fields.placeKind || undefined,
      postcode: fields.postcode ?? '',
      ...(fields.placeKind === 'police_station' ? { policeStationAuthorisedBy: fields.policeStationAuthorisedBy ?? '' } : {}),
      // A time alone: the most recent such time on the London clock (02:40 reported at 03:10 is today's, at 00:10 yesterday's).
      ...(time ? { at: clock ? mostRecentLondonTime(clock, now).toISOString() : 'not a time' } : {}),
    };
    const result = await recordReferralEvent(deps, session.caller, { referralId: id, body });
    if (result.kind === 'recorded') return redirect(`/referrals/${id}`);
    if (result.kind === 'not-found') return notFound(assets, session);
    if (result.kind === 'forbidden') {
      return page(assets, { status: 403, title: 'You cannot report this', session, body: messagePage('You cannot report this', ['Only the person who made the referral, or the emergency duty team, can report where the person is.']) });
    }
    const referral = await deps.referrals.get(id);
    if (!referral || !(await canSeeReferral(deps, session.caller, referral))) return notFound(assets, session);
    const errors = result.kind === 'invalid'
      ? result.issues.map((issue) => {
          const where = reportFields[issue.path] ?? { id: 'place-report', text: 'The report' };
          const text = issue.path === 'at' ? 'The time must be a time on the 24-hour clock, for example 02:40, and not in the future' : /^(is required|must be one of)/.test(issue.message) ? `Enter or select ${where.text.toLowerCase()}` : `${where.text} ${issue.message}`;
          return { text, href: `#${where.id}` };
        })
      : [{ text: result.message.charAt(0).toUpperCase() + result.message.slice(1), href: '#place-report' }];
    const report: PlaceReport = { fields, errors, byField: new Map(errors.map((error) => [error.href.slice(1), error.text])) };
    const view = await referrerStatusOf(deps, referral);
    return page(assets, { status: result.kind === 'invalid' ? 400 : 409, title: `Referral ${view.reference}`, session, section: 'list', hasErrors: true, body: statusPage(view, await edtPhoneFor(id), report) });
  }

  /** The AMHP's home, with what went wrong with a step when there is something to say. */
  async function amhpHomeResponse(assets: WebAssets, session: Session, status: number, errors: SummaryError[] = []): Promise<HttpResult> {
    const home = await amhpHome(deps, session.caller);
    if (home.kind === 'forbidden') {
      return page(assets, { status: 403, title: 'Only AMHPs have this page', session, body: messagePage('Only AMHPs have this page', ['It lists the referrals an AMHP has accepted. You are signed in with an account that is not an AMHP of a team.']) });
    }
    return page(assets, { status, title: 'Your open referrals', session, section: 'amhp', hasErrors: errors.length > 0, body: amhpHomePage(home.referrals, deps.clock.now(), errors, home.relative) });
  }

  /** A step's button on the AMHP's home: the closed-list fields of the form, as the events endpoint takes them. */
  async function recordStep(assets: WebAssets, event: HttpEvent, session: Session, id: string): Promise<HttpResult> {
    if (!isSameOrigin(event)) {
      deps.log.warn('AMHP step refused: not from this origin');
      return page(assets, { status: 403, title: 'The form could not be sent', session, body: messagePage('The form could not be sent', [html`The request did not come from this service. <a class="govuk-link" href="/amhp">Go back to your referrals</a>.`]) });
    }
    const raw = formBody(event);
    if (raw === null) return page(assets, { status: 413, title: 'The form is too long', session, body: messagePage('The form is too long', ['Go back and try again.']) });
    const result = await recordReferralEvent(deps, session.caller, { referralId: id, body: stepBody(parseForm(raw).fields) });
    if (result.kind === 'recorded') return redirect(`/amhp#referral-${id}`);
    const href = `#referral-${id}`;
    const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
    switch (result.kind) {
      case 'refused':
        return amhpHomeResponse(assets, session, 409, [{ text: sentence(result.message), href }]);
      case 'invalid':
        return amhpHomeResponse(assets, session, 400, result.issues.map((issue) => ({ text: issue.path === 'etaMinutes' ? 'Minutes until you arrive must be a whole number of minutes, up to 600' : sentence(`${issue.path} ${issue.message}`), href })));
      case 'forbidden':
        return amhpHomeResponse(assets, session, 403, [{ text: 'Only the AMHP who accepted this referral, and the duty managers, can record its steps', href: '#main-content' }]);
      case 'not-found':
        return notFound(assets, session);
    }
  }

  async function route(event: HttpEvent, assets: WebAssets): Promise<HttpResult> {
    if (event.routeKey === 'GET /assets/{file}') return serveAsset(assets, event);
    if (event.routeKey === 'GET /auth/login') return startSignIn(deps, assets, event);
    if (event.routeKey === 'GET /auth/callback') return finishSignIn(deps, assets, event);
    if (event.routeKey === 'POST /auth/logout') return signOut(deps, assets, event);

    const session = await currentSession(deps, event);
    if (event.routeKey === 'GET /') return page(assets, { status: 200, title: 'Refer for an urgent Mental Health Act assessment', session, body: startPage(session !== null) });
    if (event.routeKey === 'POST /referrals/new') return submitForm(assets, event, session);
    const id = event.pathParameters?.id ?? '';
    // After signing in, back to the status page (a report is never posted on the referrer's behalf).
    if (!session) {
      if (event.routeKey === 'POST /amhp/referrals/{id}/events') return redirect(loginPath('/amhp'));
      return redirect(loginPath(event.routeKey === 'POST /referrals/{id}/events' ? `/referrals/${encodeURIComponent(id)}` : event.rawPath));
    }

    switch (event.routeKey) {
      case 'GET /referrals/new':
        if (!hasRole(session.caller, 'referrer')) return notAReferrer(assets, session);
        return formPage(assets, session, { status: 200, values: await formValuesFor(session), errors: noErrors(), formId: newFormId() });
      case 'GET /referrals':
        return page(assets, { status: 200, title: 'Your referrals', session, section: 'list', body: historyPage(await referrerHistory(deps, session.caller)) });
      case 'GET /referrals/{id}/confirmation': {
        const found = await referrerStatus(deps, session.caller, id);
        if (found.kind !== 'found') return notFound(assets, session);
        return page(assets, { status: 200, title: `Referral sent: ${found.view.reference}`, session, body: confirmationPage(found.view, await edtPhoneFor(id)) });
      }
      case 'POST /referrals/{id}/events':
        return reportPlace(assets, event, session, id);
      case 'GET /amhp':
        return amhpHomeResponse(assets, session, 200);
      case 'POST /amhp/referrals/{id}/events':
        return recordStep(assets, event, session, id);
      case 'GET /referrals/{id}': {
        const found = await referrerStatus(deps, session.caller, id);
        if (found.kind !== 'found') return notFound(assets, session);
        return page(assets, { status: 200, title: `Referral ${found.view.reference}`, session, section: 'list', announcer: true, body: statusPage(found.view, await edtPhoneFor(id)) });
      }
      default:
        return notFound(assets, session);
    }
  }

  return async (event: HttpEvent): Promise<HttpResult> => {
    const assets = await webAssets();
    try {
      return compressed(event, await route(event, assets));
    } catch (error) {
      deps.log.error('web page failed', { routeKey: event.routeKey, error: error instanceof Error ? error.name : 'unknown' });
      return page(assets, {
        status: 500,
        title: 'Sorry, there is a problem with the service',
        session: null,
        body: messagePage('Sorry, there is a problem with the service', [
          'Nothing you typed has been kept. If you were sending a referral, check your referrals before sending it again, or call the emergency duty team.',
        ]),
      });
    }
  };
};

export const handler = lambdaEntry(makeHandler);
