import { describe, expect, it } from 'vitest';
import { cognitoPasswordSignIn } from '../../../shared/adapters/cognito-password-sign-in.ts';
import { totp } from '../../../shared/domain/totp.ts';

const credentials = { username: 'dutyline-canary', password: 'a long password', totpSecret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' };
const now = new Date('2026-12-02T03:00:00Z');

function fakeCognito(answers: Record<string, unknown>[]) {
  const requests: { target: string; body: Record<string, unknown> }[] = [];
  const fetch = (async (_url: string, init: RequestInit) => {
    requests.push({ target: String((init.headers as Record<string, string>)['x-amz-target']), body: JSON.parse(String(init.body)) as Record<string, unknown> });
    const answer = answers.shift() ?? {};
    return new Response(JSON.stringify(answer), { status: '__type' in answer ? 400 : 200 });
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

describe('the canary signs in to Cognito', () => {
  it('with USER_PASSWORD_AUTH and its authenticator code, then keeps the ID token until near its expiry', async () => {
    const cognito = fakeCognito([
      { ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 's1', ChallengeParameters: { USER_ID_FOR_SRP: 'dutyline-canary' } },
      { AuthenticationResult: { IdToken: 'id-token', ExpiresIn: 3600 } },
    ]);
    let at = now;
    const signIn = cognitoPasswordSignIn({ region: 'eu-west-2', clientId: 'client', credentials: async () => credentials, now: () => at, fetch: cognito.fetch });
    expect(await signIn()).toBe('id-token');
    expect(cognito.requests.map((r) => r.target)).toEqual(['AWSCognitoIdentityProviderService.InitiateAuth', 'AWSCognitoIdentityProviderService.RespondToAuthChallenge']);
    expect(cognito.requests[0]?.body).toMatchObject({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: 'client' });
    expect(cognito.requests[1]?.body).toMatchObject({ Session: 's1', ChallengeResponses: { USERNAME: 'dutyline-canary', SOFTWARE_TOKEN_MFA_CODE: totp(credentials.totpSecret, now) } });
    at = new Date(now.getTime() + 50 * 60_000);
    expect(await signIn()).toBe('id-token');
    expect(cognito.requests).toHaveLength(2);
  });

  it('names the refusal by its type only', async () => {
    const cognito = fakeCognito([{ __type: 'NotAuthorizedException', message: 'Incorrect username or password.' }]);
    const signIn = cognitoPasswordSignIn({ region: 'eu-west-2', clientId: 'client', credentials: async () => credentials, now: () => now, fetch: cognito.fetch });
    await expect(signIn()).rejects.toThrow('Cognito InitiateAuth refused the canary: NotAuthorizedException');
  });
});
