import type { Caller } from '../../shared/app/caller.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { callerFromClaims, header, type HttpEvent } from '../commons/http.ts';

/**
 * The web session: an HttpOnly, SameSite=Lax cookie holding the ID token, checked on every
 * request through `deps.sessions` (Cognito's keys in AWS, the local issuer locally). Secure, with
 * the `__Host-` prefix, whenever the service is on https; not on http://127.0.0.1 locally, where
 * a browser would refuse a Secure cookie.
 */
export interface Session {
  caller: Caller;
  /** From the ID token's standard claims, to fill in the referrer's own details. */
  name?: string;
  phone?: string;
}

export const isSecure = (deps: Pick<Dependencies, 'publicBaseUrl'>) => deps.publicBaseUrl.startsWith('https://');

export const sessionCookieName = (secure: boolean) => (secure ? '__Host-dutyline_session' : 'dutyline_session');
/** State and PKCE verifier of a sign-in in progress, bound to this browser for ten minutes. */
export const signInCookieName = (secure: boolean) => (secure ? '__Host-dutyline_signin' : 'dutyline_signin');

export function cookie(name: string, value: string, options: { secure: boolean; maxAgeSeconds: number }): string {
  return [
    `${name}=${value}`,
    'Path=/',
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

export const clearCookie = (name: string, secure: boolean) => cookie(name, '', { secure, maxAgeSeconds: 0 });

/** Payload format 2.0 moves the Cookie header into `cookies`; a direct Cookie header is read too. */
export function cookiesOf(event: HttpEvent): Map<string, string> {
  const pairs = [...(event.cookies ?? []), ...(header(event, 'cookie')?.split(';') ?? [])];
  const cookies = new Map<string, string>();
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at > 0) cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
  return cookies;
}

export async function currentSession(deps: Dependencies, event: HttpEvent): Promise<Session | null> {
  const token = cookiesOf(event).get(sessionCookieName(isSecure(deps)));
  if (!token || !deps.sessions) return null;
  const claims = await deps.sessions.verify(token);
  const caller = callerFromClaims(claims);
  if (!claims || !caller) return null;
  return {
    caller,
    ...(typeof claims.name === 'string' && claims.name ? { name: claims.name } : {}),
    ...(typeof claims.phone_number === 'string' && claims.phone_number ? { phone: claims.phone_number } : {}),
  };
}

/** A same-site path to return to after sign-in; anything else (another site, `//host`) goes home. */
export function safeReturnPath(next: string | undefined | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next.length > 200 ? '/' : next;
}

/**
 * CSRF defence for form posts, alongside SameSite=Lax (which already keeps the session cookie off
 * cross-site posts): the browser's Origin must be this host. Without an Origin, only a
 * `Sec-Fetch-Site: same-origin` is accepted; a request with neither is refused.
 */
export function isSameOrigin(event: HttpEvent): boolean {
  const host = header(event, 'host') ?? event.requestContext.domainName;
  const origin = header(event, 'origin');
  if (origin && origin !== 'null') {
    try {
      return new URL(origin).host === host;
    } catch {
      return false;
    }
  }
  return header(event, 'sec-fetch-site') === 'same-origin';
}
