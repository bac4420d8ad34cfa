import type { IncomingMessage, ServerResponse } from 'node:http';
import { webAssets } from '../../functions/web/assets.ts';
import { button, errorSummary, input, radios } from '../../functions/commons/pages/govuk.ts';
import { html } from '../../functions/commons/pages/html.ts';
import { layout, pageHeaders } from '../../functions/commons/pages/layout.ts';
import { roles } from '../definition.ts';
import { readBody } from './http-api.ts';
import type { LocalIdentityProvider } from './identity.ts';

/**
 * The local runtime's sign-in page, standing where Cognito's hosted UI is in AWS: the web
 * function's /auth/login sends the browser here with the OAuth state, PKCE challenge and
 * callback; choosing a user sends it back to /auth/callback with a code, which the web function
 * trades for the ID token and keeps in its session cookie. `/local/login` stays the JSON API.
 */
export async function serveLocalSignIn(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  identity: LocalIdentityProvider,
  baseUrl: string,
): Promise<boolean> {
  if (url.pathname !== '/local/sign-in' || (request.method !== 'GET' && request.method !== 'POST')) return false;
  const assets = await webAssets();
  const callback = `${baseUrl}/auth/callback`;
  const params = request.method === 'POST' ? new URLSearchParams((await readBody(request, 16 * 1024))?.toString('utf8') ?? '') : url.searchParams;
  const state = params.get('state') ?? '';
  const codeChallenge = params.get('code_challenge') ?? '';
  const redirectUri = params.get('redirect_uri') ?? '';
  if (!state || !codeChallenge || redirectUri !== callback) {
    // Not part of a sign-in flow: start one, as a visit to the hosted UI's bare address would.
    response.writeHead(303, { location: '/auth/login?next=%2Freferrals%2Fnew', 'cache-control': 'no-store' });
    response.end();
    return true;
  }

  let problem: string | undefined;
  if (request.method === 'POST') {
    const chosen = params.get('user') ?? '';
    const username = chosen === '_other' ? (params.get('username') ?? '').trim() : chosen;
    const role = params.get('role') ?? '';
    if (!username) problem = 'Choose who to sign in as';
    else {
      const issued = await identity.issueCode(username, chosen === '_other' ? [role] : undefined, { codeChallenge, redirectUri });
      if ('code' in issued) {
        const back = new URL(callback);
        back.search = new URLSearchParams({ code: issued.code, state }).toString();
        response.writeHead(303, { location: back.toString(), 'cache-control': 'no-store' });
        response.end();
        return true;
      }
      problem = chosen === '_other' ? 'Choose a role for a new user' : 'That user is not known';
    }
  }

  const users = identity.knownUsers().sort((a, b) => Number(b.roles.includes('referrer')) - Number(a.roles.includes('referrer')));
  const other = html`${input({ id: 'username', name: 'username', label: 'Username', autocomplete: 'off', spellcheck: false, classes: 'govuk-input--width-20' })}${radios({
    id: 'role',
    name: 'role',
    legend: 'Role',
    small: true,
    value: 'referrer',
    items: roles.map((role) => ({ value: role, text: role })),
  })}`;
  const body = html`${errorSummary(problem ? [{ text: problem, href: '#user' }] : [])}
<span class="govuk-caption-l">Local runtime</span>
<h1 class="govuk-heading-l">Sign in</h1>
<p class="govuk-body">In AWS this is Cognito's sign-in page. Locally, choose who you are; staff can also sign in by their staff id.</p>
<form method="post" action="/local/sign-in" novalidate>
<input type="hidden" name="state" value="${state}"><input type="hidden" name="code_challenge" value="${codeChallenge}"><input type="hidden" name="redirect_uri" value="${redirectUri}">
${radios({
  id: 'user',
  name: 'user',
  legend: 'Sign in as',
  error: problem,
  items: [
    ...users.map((user) => ({ value: user.username, text: user.name ? `${user.name} (${user.username})` : user.username, hint: user.roles.join(', ') })),
    { value: '_other', text: 'Someone else', conditional: other },
  ],
})}
${button('Sign in')}
</form>`;
  response.writeHead(problem ? 400 : 200, pageHeaders());
  response.end(layout({ title: 'Sign in', body, assets, hasErrors: Boolean(problem), serviceName: 'dutyline (local)' }));
  return true;
}
