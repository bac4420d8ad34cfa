/** The HTTP API's routes: each to one function, with a bearer token or a reason it is public (part of infra/definition.ts). */
import type { FunctionName } from './functions.ts';

export interface RouteDefinition {
  method: 'GET' | 'POST' | 'PUT';
  /** API Gateway HTTP API path syntax: `{name}` for a path parameter. */
  path: string;
  function: FunctionName;
  /** `jwt`: a bearer token is required (Cognito in AWS, the local issuer locally). */
  auth: 'jwt' | 'none';
  /** Why a route with `auth: 'none'` is public; the stack's cdk-nag acknowledgement quotes it. */
  publicBecause?: string;
}

const MANAGER_PAGES =
  'the manager pages check the web session cookie themselves (the JWT authorizer reads only the Authorization header) and the outcome form checks the Origin';

export const routes: RouteDefinition[] = [
  { method: 'GET', path: '/health', function: 'health', auth: 'none', publicBecause: 'uptime checks probe it before sign-in; it answers only {"status":"ok"}' },
  { method: 'POST', path: '/api/referrals', function: 'createReferral', auth: 'jwt' },
  { method: 'GET', path: '/api/referrals/{id}', function: 'getReferral', auth: 'jwt' },
  { method: 'POST', path: '/api/referrals/{id}/accept', function: 'acceptReferral', auth: 'jwt' },
  { method: 'POST', path: '/api/referrals/{id}/decline', function: 'declineReferral', auth: 'jwt' },
  // The signed token in the link is the credential; GET only shows a confirm button so that
  // link previews in messaging apps cannot accept on the AMHP's behalf.
  { method: 'GET', path: '/a/{token}', function: 'acceptLink', auth: 'none', publicBecause: 'the signed, single-use, expiring token in the texted link is the credential; GET only shows a confirm button' },
  { method: 'POST', path: '/a/{token}', function: 'acceptLink', auth: 'none', publicBecause: 'the signed, single-use, expiring token in the texted link is the credential' },
  { method: 'GET', path: '/amhp/referrals/{id}', function: 'amhpReferralPage', auth: 'none', publicBecause: "the AMHP referral page checks the web session cookie itself (the JWT authorizer reads only the Authorization header), shows details only to the team's managers and the referral's paged or accepting AMHP, and only reads (besides recording the view)" },
  { method: 'PUT', path: '/api/teams/{teamId}', function: 'putTeam', auth: 'jwt' },
  { method: 'PUT', path: '/api/staff/{staffId}', function: 'putStaff', auth: 'jwt' },
  { method: 'POST', path: '/api/staff/{staffId}/phone/verify', function: 'phoneVerification', auth: 'jwt' },
  { method: 'POST', path: '/api/staff/{staffId}/phone/confirm', function: 'phoneVerification', auth: 'jwt' },
  { method: 'PUT', path: '/api/teams/{teamId}/rota', function: 'putRota', auth: 'jwt' },
  { method: 'GET', path: '/api/teams/{teamId}/oncall', function: 'getOnCall', auth: 'jwt' },
  { method: 'GET', path: '/api/teams/{teamId}/rota', function: 'getRota', auth: 'jwt' },
  { method: 'POST', path: '/api/teams/{teamId}/rota/overrides', function: 'addRotaOverrides', auth: 'jwt' },
  { method: 'POST', path: '/api/teams/{teamId}/rota/feed', function: 'createRotaFeed', auth: 'jwt' },
  { method: 'GET', path: '/feeds/rota/{token}', function: 'rotaFeed', auth: 'none', publicBecause: 'calendar apps cannot send a bearer token: the signed, revocable feed id in the path is the credential, and the feed holds staff names and shift times only' },
  { method: 'PUT', path: '/api/service', function: 'putService', auth: 'jwt' },
  { method: 'GET', path: '/teams/{teamId}/rota', function: 'rotaPage', auth: 'none', publicBecause: 'the rota page checks the web session cookie itself (the JWT authorizer reads only the Authorization header) and only reads' },
  { method: 'POST', path: '/api/referrals/{id}/clocks/{kind}/extension', function: 'extendClock', auth: 'jwt' },
  { method: 'POST', path: '/api/referrals/{id}/events', function: 'recordEvent', auth: 'jwt' },
  // Telephony platforms sign each request (HMAC-SHA256 over timestamp and body): that is its auth.
  { method: 'POST', path: '/api/telephony/referrals', function: 'webhookIntake', auth: 'none', publicBecause: 'telephony platforms sign each request (HMAC-SHA256 over timestamp and body) and the function checks it' },
  { method: 'GET', path: '/api/openapi.json', function: 'openApi', auth: 'none', publicBecause: 'the API description is public documentation and holds no data' },
  // Web pages: the JWT authorizer reads only the Authorization header, so the web function checks
  // its session cookie itself, and its forms check the Origin (CSRF).
  { method: 'GET', path: '/', function: 'web', auth: 'none', publicBecause: 'the web function checks its session cookie itself (the JWT authorizer reads only the Authorization header) and its forms check the Origin' },
  { method: 'GET', path: '/referrals', function: 'web', auth: 'none', publicBecause: 'the web function checks its session cookie itself (the JWT authorizer reads only the Authorization header) and its forms check the Origin' },
  { method: 'GET', path: '/referrals/new', function: 'web', auth: 'none', publicBecause: 'the web function checks its session cookie itself (the JWT authorizer reads only the Authorization header) and its forms check the Origin' },
  { method: 'POST', path: '/referrals/new', function: 'web', auth: 'none', publicBecause: 'the web function checks its session cookie itself (the JWT authorizer reads only the Authorization header) and its forms check the Origin' },
  { method: 'GET', path: '/referrals/{id}', function: 'web', auth: 'none', publicBecause: 'the web function checks its session cookie itself (the JWT authorizer reads only the Authorization header) and its forms check the Origin' },
  { method: 'POST', path: '/referrals/{id}/events', function: 'web', auth: 'none', publicBecause: 'the web function checks its session cookie itself (the JWT authorizer reads only the Authorization header) and its forms check the Origin' },
  { method: 'GET', path: '/amhp', function: 'web', auth: 'none', publicBecause: 'the web function checks its session cookie itself (the JWT authorizer reads only the Authorization header) and its forms check the Origin' },
  { method: 'POST', path: '/amhp/referrals/{id}/events', function: 'web', auth: 'none', publicBecause: 'the web function checks its session cookie itself (the JWT authorizer reads only the Authorization header) and its forms check the Origin' },
  { method: 'GET', path: '/referrals/{id}/confirmation', function: 'web', auth: 'none', publicBecause: 'the web function checks its session cookie itself (the JWT authorizer reads only the Authorization header) and its forms check the Origin' },
  { method: 'GET', path: '/auth/login', function: 'web', auth: 'none', publicBecause: 'the sign-in flow must be reachable before sign-in; the callback checks the OAuth state and PKCE verifier' },
  { method: 'GET', path: '/auth/callback', function: 'web', auth: 'none', publicBecause: 'the sign-in flow must be reachable before sign-in; the callback checks the OAuth state and PKCE verifier' },
  { method: 'POST', path: '/auth/logout', function: 'web', auth: 'none', publicBecause: 'signing out only clears the session cookie; the form checks the Origin' },
  { method: 'GET', path: '/assets/{file}', function: 'web', auth: 'none', publicBecause: 'static styles, scripts and fonts of the pages, with no data' },
  { method: 'GET', path: '/api/dashboard', function: 'dashboard', auth: 'jwt' },
  { method: 'POST', path: '/api/referrals/{id}/close', function: 'closeReferral', auth: 'jwt' },
  { method: 'GET', path: '/manage', function: 'managerPages', auth: 'none', publicBecause: MANAGER_PAGES },
  { method: 'GET', path: '/manage/board', function: 'managerPages', auth: 'none', publicBecause: MANAGER_PAGES },
  { method: 'GET', path: '/manage/handover', function: 'managerPages', auth: 'none', publicBecause: MANAGER_PAGES },
  { method: 'POST', path: '/manage/handover', function: 'managerPages', auth: 'none', publicBecause: MANAGER_PAGES },
  { method: 'GET', path: '/manage/response-times', function: 'managerPages', auth: 'none', publicBecause: MANAGER_PAGES },
  { method: 'GET', path: '/manage/coverage', function: 'managerPages', auth: 'none', publicBecause: MANAGER_PAGES },
  { method: 'GET', path: '/manage/referrals/{id}', function: 'managerPages', auth: 'none', publicBecause: MANAGER_PAGES },
  { method: 'GET', path: '/manage/referrals/{id}/close', function: 'managerPages', auth: 'none', publicBecause: MANAGER_PAGES },
  { method: 'POST', path: '/manage/referrals/{id}/close', function: 'managerPages', auth: 'none', publicBecause: MANAGER_PAGES },
  { method: 'GET', path: '/api/teams', function: 'getDirectory', auth: 'jwt' },
  { method: 'GET', path: '/api/teams/{teamId}', function: 'getDirectory', auth: 'jwt' },
  { method: 'GET', path: '/api/staff/{staffId}', function: 'getDirectory', auth: 'jwt' },
  { method: 'POST', path: '/api/referrals/{id}/page', function: 'referralActions', auth: 'jwt' },
  { method: 'POST', path: '/api/referrals/{id}/route', function: 'referralActions', auth: 'jwt' },
];
