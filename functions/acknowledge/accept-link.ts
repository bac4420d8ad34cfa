/**
 * `/a/{token}`: the signed, single-use, expiring link in a page. GET shows the reference, the
 * statutory clock and a button; only the POST accepts, so link previews in messaging apps cannot.
 * Neither shows personal details: "View referral details" leads to the signed-in referral page
 * (referral-page.ts), where each view is recorded.
 */
import { acceptByLink, viewAcceptLink, type LinkOutcome } from '../../shared/app/accept-link.ts';
import { londonTimeSince } from '../../shared/domain/sms.ts';
import type { Dependencies } from '../../shared/ports.ts';
import type { HttpEvent, HttpResult } from '../commons/http.ts';
import { lambdaEntry } from '../commons/wiring.ts';
import { webAssets } from '../web/assets.ts';
import { button, panel } from '../commons/pages/govuk.ts';
import { html } from '../commons/pages/html.ts';
import { messagePage } from '../web/pages.ts';
import { amhpPage } from './amhp-page.ts';
import { linkPage } from './referral-details.ts';

const refusals: Record<string, string> = {
  invalid: 'This link is not valid.',
  used: 'This link has already been used.',
  expired: 'This link has expired.',
  'not-paged': 'This link is not for a page sent to you.',
  declined: 'You declined this referral.',
  'already-accepted': 'Another AMHP has already accepted this referral.',
  closed: 'This referral is closed.',
};

const outcomeTitle: Record<LinkOutcome['kind'], string> = {
  accepted: 'already accepted',
  closed: 'closed',
  declined: 'declined',
  superseded: 'page no longer current',
};

function outcomeText(outcome: LinkOutcome, now: Date): string {
  const at = (instant: string | null) => (instant ? ` at ${londonTimeSince(instant, now)}` : '');
  switch (outcome.kind) {
    case 'accepted':
      return outcome.byThem ? `You accepted this referral${at(outcome.at)}.` : `This referral was accepted by ${outcome.byName ?? 'another AMHP'}${at(outcome.at)}.`;
    case 'closed':
      return `This referral was closed${at(outcome.at)}.`;
    case 'declined':
      return 'You declined this referral.';
    case 'superseded':
      return 'This page is no longer current: the referral has been routed again.';
  }
}

export const makeHandler = (deps: Dependencies) => async (event: HttpEvent): Promise<HttpResult> => {
  const assets = await webAssets();
  const token = event.pathParameters?.token ?? '';
  const now = () => deps.clock.now();
  if (event.requestContext.http.method === 'GET') {
    const view = await viewAcceptLink(deps, token);
    if (view.kind === 'settled') {
      // What happened, and no Accept button: the page is no longer open to accept.
      return amhpPage(deps, assets, event, {
        status: 410,
        title: `${view.outcome.reference}: ${outcomeTitle[view.outcome.kind]}`,
        body: messagePage(`${view.outcome.reference}: ${outcomeTitle[view.outcome.kind]}`, [outcomeText(view.outcome, now()), 'No action is needed.']),
      });
    }
    if (view.kind !== 'valid') {
      return amhpPage(deps, assets, event, {
        status: view.kind === 'invalid' ? 404 : 410,
        title: 'Accept referral',
        body: messagePage('This link cannot be used', [refusals[view.kind] ?? refusals.invalid ?? '', 'Reply to the text message instead, or call the duty manager.']),
      });
    }
    return amhpPage(deps, assets, event, {
      status: 200,
      title: `Accept ${view.reference}`,
      body: linkPage({
        ...view,
        clocks: { expiresAt: view.clockExpiresAt },
        now: now(),
        heading: html`<span class="govuk-caption-l">Referral</span><h1 class="govuk-heading-l">Accept ${view.reference}?</h1>`,
        body: html`<p class="govuk-body">The referrer will be told you will call them back.</p>
<form method="post" novalidate>${button(`Accept ${view.reference}`)}</form>`,
      }),
    });
  }
  const result = await acceptByLink(deps, token);
  if (result.kind === 'accepted') {
    return amhpPage(deps, assets, event, {
      status: 200,
      title: `Accepted ${result.reference}`,
      body: linkPage({
        ...result,
        clocks: { expiresAt: result.clockExpiresAt },
        now: now(),
        heading: panel('Referral accepted', html`You accepted<br><strong>${result.reference}</strong>`),
        body: html`<p class="govuk-body">Escalation has stopped. The referrer has been told you will call them back.</p>`,
        detailsFirst: true,
      }),
    });
  }
  return amhpPage(deps, assets, event, {
    status: 409,
    title: 'Not accepted',
    body: messagePage('Not accepted', [result.outcome ? outcomeText(result.outcome, now()) : (refusals[result.reason] ?? refusals.invalid ?? '')]),
  });
};

export const handler = lambdaEntry(makeHandler);
