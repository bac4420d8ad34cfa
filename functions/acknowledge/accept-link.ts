import { acceptByLink, viewAcceptLink } from '../../shared/app/accept-link.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { html, type HttpEvent, type HttpResult } from '../commons/http.ts';
import { escapeHtml, page } from '../commons/page.ts';
import { lambdaEntry } from '../commons/wiring.ts';

const refusals: Record<string, string> = {
  invalid: 'This link is not valid.',
  used: 'This link has already been used.',
  expired: 'This link has expired.',
  'not-paged': 'This link is not for a page sent to you.',
  declined: 'You declined this referral.',
  'already-accepted': 'Another AMHP has already accepted this referral.',
  closed: 'This referral is closed.',
};

/** GET shows the reference and a button; only the POST accepts, so link previews cannot. */
export const makeHandler = (deps: Dependencies) => async (event: HttpEvent): Promise<HttpResult> => {
  const token = event.pathParameters?.token ?? '';
  if (event.requestContext.http.method === 'GET') {
    const view = await viewAcceptLink(deps, token);
    if (view.kind !== 'valid') return html(view.kind === 'invalid' ? 404 : 410, page('Accept referral', `<p>${refusals[view.kind]}</p>`));
    return html(
      200,
      page(
        `Accept ${view.reference}`,
        `<p>Accept referral <strong>${escapeHtml(view.reference)}</strong>? The referrer will be told you will call back.</p>
<form method="post"><button type="submit">Accept ${escapeHtml(view.reference)}</button></form>`,
      ),
    );
  }
  const result = await acceptByLink(deps, token);
  if (result.kind === 'accepted') {
    return html(200, page('Accepted', `<div class="panel"><p>You accepted <strong>${escapeHtml(result.reference)}</strong>. Escalation has stopped.</p></div>`));
  }
  return html(409, page('Not accepted', `<p>${refusals[result.reason] ?? refusals.invalid}</p>`));
};

export const handler = lambdaEntry(makeHandler);
