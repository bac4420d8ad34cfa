import type { Dependencies } from '../../shared/ports.ts';
import type { HttpEvent, HttpResult } from '../commons/http.ts';
import type { WebAssets } from '../web/assets.ts';
import type { SafeHtml } from '../commons/pages/html.ts';
import { layout, pageHeaders } from '../commons/pages/layout.ts';
import { compressed } from '../web/respond.ts';

/**
 * An AMHP's page in the web pages' GOV.UK layout and security headers (no caching: these pages
 * may hold personal data). No referrer navigation: an AMHP neither makes referrals nor lists them.
 */
export function amhpPage(
  deps: Dependencies,
  assets: WebAssets,
  event: HttpEvent,
  page: { status: number; title: string; body: SafeHtml; signedIn?: boolean },
): HttpResult {
  return compressed(event, {
    statusCode: page.status,
    headers: pageHeaders({ formActionOrigins: deps.signIn?.origin ? [deps.signIn.origin] : [] }),
    body: layout({ title: page.title, body: page.body, assets, signedIn: page.signedIn ?? false }),
  });
}
