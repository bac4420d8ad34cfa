import type { SignInFlow } from '../ports.ts';

/** Cognito's token endpoint answers in well under a second; past this the sign-in is retried by the person. */
const TOKEN_TIMEOUT_MS = 5_000;

/**
 * Sign-in through Cognito's hosted UI: the authorization code flow with PKCE for a public client
 * (no client secret), as the user pool's web client is set up in infra/constructs/staff-auth.ts.
 */
export class CognitoHostedUi implements SignInFlow {
  readonly origin: string;

  constructor(
    private readonly config: { domainUrl: string; clientId: string },
    private readonly fetchFn: typeof fetch = fetch,
  ) {
    this.origin = new URL(config.domainUrl).origin;
  }

  authorizeUrl(input: { state: string; codeChallenge: string; redirectUri: string }): string {
    const url = new URL('/oauth2/authorize', this.origin);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.config.clientId,
      redirect_uri: input.redirectUri,
      scope: 'openid email profile',
      state: input.state,
      code_challenge_method: 'S256',
      code_challenge: input.codeChallenge,
    }).toString();
    return url.toString();
  }

  async exchangeCode(input: { code: string; codeVerifier: string; redirectUri: string }): Promise<string | null> {
    const response = await this.fetchFn(new URL('/oauth2/token', this.origin), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: this.config.clientId,
        code: input.code,
        redirect_uri: input.redirectUri,
        code_verifier: input.codeVerifier,
      }),
      signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
    });
    if (!response.ok) return null;
    const body = (await response.json()) as { id_token?: unknown };
    return typeof body.id_token === 'string' ? body.id_token : null;
  }

  signOutUrl(returnTo: string): string {
    const url = new URL('/logout', this.origin);
    url.search = new URLSearchParams({ client_id: this.config.clientId, logout_uri: returnTo }).toString();
    return url.toString();
  }
}
