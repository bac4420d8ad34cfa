/**
 * `GET /amhp/referrals/{id}`: the AMHP's referral page. Everything the referrer gave, with the
 * statutory clock first, for the team's managers, the AMHP who accepted and an AMHP paged for it
 * who may still accept (shared/app/amhp-referral.ts). Signed in by the web pages' session cookie
 * (Cognito's hosted UI in AWS, the local sign-in page locally); the route is `auth: 'none'`
 * because API Gateway's JWT authorizer reads only the Authorization header. Each showing is
 * recorded on the referral's timeline before the page is sent.
 */
import { amhpReferral } from '../../shared/app/amhp-referral.ts';
import type { Dependencies } from '../../shared/ports.ts';
import type { HttpEvent, HttpResult } from '../commons/http.ts';
import { lambdaEntry } from '../commons/wiring.ts';
import { webAssets } from '../web/assets.ts';
import { loginPath } from '../web/auth.ts';
import { messagePage } from '../web/pages.ts';
import { redirect } from '../web/respond.ts';
import { currentSession } from '../web/session.ts';
import { amhpPage } from './amhp-page.ts';
import { referralDetailsPage } from './referral-details.ts';

export const makeHandler = (deps: Dependencies) => async (event: HttpEvent): Promise<HttpResult> => {
  const assets = await webAssets();
  try {
    const session = await currentSession(deps, event);
    if (!session) return redirect(loginPath(event.rawPath));
    const message = (status: number, title: string, text: string) =>
      amhpPage(deps, assets, event, { status, title, signedIn: true, body: messagePage(title, [text]) });
    const found = await amhpReferral(deps, session.caller, event.pathParameters?.id ?? '');
    switch (found.kind) {
      case 'not-found':
        return message(404, 'Referral not found', 'Check the link in your text message.');
      case 'forbidden':
        return message(
          403,
          'You cannot see this referral',
          "Only the team's managers, the AMHP who accepted it and AMHPs paged for it who can still accept it can see its details.",
        );
      case 'found':
        return amhpPage(deps, assets, event, {
          status: 200,
          title: `Referral ${found.view.referral.reference}`,
          signedIn: true,
          body: referralDetailsPage(found.view, deps.clock.now()),
        });
    }
  } catch (error) {
    // The name only: the error may carry what was being shown.
    deps.log.error('AMHP referral page failed', { routeKey: event.routeKey, error: error instanceof Error ? error.name : 'unknown' });
    return amhpPage(deps, assets, event, {
      status: 500,
      title: 'Sorry, there is a problem with the service',
      body: messagePage('Sorry, there is a problem with the service', ['Try again in a moment, or call the duty manager.']),
    });
  }
};

export const handler = lambdaEntry(makeHandler);
