/**
 * Sign-in for the web pages: the OAuth 2.0 authorization code flow with PKCE, against Cognito's
 * hosted UI in AWS or the local identity provider's sign-in page locally (both behind
 * `deps.signIn`). The ID token it yields becomes the session cookie.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Dependencies } from '../../shared/ports.ts';
import type { HttpEvent, HttpResult } from '../commons/http.ts';
import type { WebAssets } from './assets.ts';
import { html } from '../commons/pages/html.ts';
import { messagePage } from './pages.ts';
import { pageResult, redirect } from './respond.ts';
import {
  clearCookie,
  cookie,
  cookiesOf,
  isSameOrigin,
  isSecure,
  safeReturnPath,
  sessionCookieName,
  signInCookieName,
} from './session.ts';

const SIGN_IN_WINDOW_SECONDS = 600;
/** Never longer than this, whatever the token says: the referrer signs in again next shift. */
const MAX_SESSION_SECONDS = 12 * 3600;

const base64url = (bytes: Buffer) => bytes.toString('base64url');
export const codeChallengeOf = (verifier: string) => base64url(createHash('sha256').update(verifier).digest());
export const loginPath = (next: string) => `/auth/login?next=${encodeURIComponent(safeReturnPath(next))}`;

const callbackUrl = (deps: Dependencies) => `${deps.publicBaseUrl}/auth/callback`;

function unavailable(deps: Dependencies, assets: WebAssets): HttpResult {
  deps.log.error('web sign-in is not configured');
  return pageResult(deps, assets, {
    status: 503,
    title: 'Sign-in is not available',
    session: null,
    body: messagePage('Sign-in is not available', ['Sign-in is not set up for this service yet. Call the emergency duty team instead.']),
  });
}

/** `GET /auth/login?next=/path`: remember state and verifier in a short-lived cookie, then go to the provider. */
export function startSignIn(deps: Dependencies, assets: WebAssets, event: HttpEvent): HttpResult {
  if (!deps.signIn || !deps.sessions) return unavailable(deps, assets);
  const state = base64url(randomBytes(18));
  const verifier = base64url(randomBytes(32));
  const next = safeReturnPath(event.queryStringParameters?.next);
  const secure = isSecure(deps);
  const pending = `${state}.${verifier}.${base64url(Buffer.from(next))}`;
  return redirect(deps.signIn.authorizeUrl({ state, codeChallenge: codeChallengeOf(verifier), redirectUri: callbackUrl(deps) }), [
    cookie(signInCookieName(secure), pending, { secure, maxAgeSeconds: SIGN_IN_WINDOW_SECONDS }),
  ]);
}

function failed(deps: Dependencies, assets: WebAssets, reason: string): HttpResult {
  deps.log.warn('web sign-in refused', { reason });
  return pageResult(deps, assets, {
    status: 400,
    title: 'Sign-in did not finish',
    session: null,
    cookies: [clearCookie(signInCookieName(isSecure(deps)), isSecure(deps))],
    body: messagePage('Sign-in did not finish', [html`<a class="govuk-link" href="/auth/login">Sign in again</a>`]),
  });
}

/** `GET /auth/callback?code&state`: the state must be this browser's; the code is traded with its verifier. */
export async function finishSignIn(deps: Dependencies, assets: WebAssets, event: HttpEvent): Promise<HttpResult> {
  if (!deps.signIn || !deps.sessions) return unavailable(deps, assets);
  const secure = isSecure(deps);
  const query = event.queryStringParameters ?? {};
  const [state, verifier, encodedNext] = (cookiesOf(event).get(signInCookieName(secure)) ?? '').split('.');
  if (query.error) return failed(deps, assets, 'provider_error');
  if (!state || !verifier || !query.code || query.state !== state) return failed(deps, assets, 'state_mismatch');
  const idToken = await deps.signIn.exchangeCode({ code: query.code, codeVerifier: verifier, redirectUri: callbackUrl(deps) });
  const claims = idToken ? await deps.sessions.verify(idToken) : null;
  if (!idToken || !claims) return failed(deps, assets, 'code_refused');
  const expiresIn = typeof claims.exp === 'number' ? claims.exp - Math.floor(deps.clock.now().getTime() / 1000) : 3600;
  const next = safeReturnPath(Buffer.from(encodedNext ?? '', 'base64url').toString('utf8'));
  deps.log.info('web sign-in finished');
  return redirect(next, [
    cookie(sessionCookieName(secure), idToken, { secure, maxAgeSeconds: Math.min(expiresIn, MAX_SESSION_SECONDS) }),
    clearCookie(signInCookieName(secure), secure),
  ]);
}

/** `POST /auth/logout`: clears the cookie, then ends the provider's session too. */
export function signOut(deps: Dependencies, assets: WebAssets, event: HttpEvent): HttpResult {
  if (!isSameOrigin(event)) {
    return pageResult(deps, assets, {
      status: 403,
      title: 'Not signed out',
      session: null,
      body: messagePage('Not signed out', ['The request did not come from this service. Use the sign out button on its pages.']),
    });
  }
  const secure = isSecure(deps);
  return redirect(deps.signIn?.signOutUrl(`${deps.publicBaseUrl}/`) ?? '/', [clearCookie(sessionCookieName(secure), secure)]);
}
