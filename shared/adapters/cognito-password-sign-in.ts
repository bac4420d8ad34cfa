import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { totp } from '../domain/totp.ts';

/**
 * How the canary signs in in AWS: as its own Cognito user, through its own app client (which
 * allows USER_PASSWORD_AUTH and nothing else), with the password and authenticator-app secret
 * kept in Secrets Manager. InitiateAuth and RespondToAuthChallenge are public Cognito APIs (no
 * IAM permission), called with fetch so the bundle needs no Cognito SDK. The ID token is kept
 * until five minutes before it expires, so most runs do not sign in at all.
 */
export interface CanaryCredentials {
  username: string;
  password: string;
  /** Base32, from AssociateSoftwareToken when the user's MFA was set up (README, the canary runbook). */
  totpSecret: string;
}

export interface CognitoPasswordSignInOptions {
  region: string;
  clientId: string;
  credentials: () => Promise<CanaryCredentials>;
  now?: () => Date;
  fetch?: typeof fetch;
}

export function credentialsFromSecretsManager(secretArn: string, region: string): () => Promise<CanaryCredentials> {
  const client = new SecretsManagerClient({ region });
  return async () => {
    const secret = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    const value = JSON.parse(secret.SecretString ?? '{}') as Partial<CanaryCredentials>;
    if (!value.username || !value.password || !value.totpSecret) {
      throw new Error('the canary secret must hold {"username","password","totpSecret"} (README: the canary runbook)');
    }
    return { username: value.username, password: value.password, totpSecret: value.totpSecret };
  };
}

interface AuthAnswer {
  AuthenticationResult?: { IdToken?: string; ExpiresIn?: number };
  ChallengeName?: string;
  Session?: string;
  ChallengeParameters?: Record<string, string>;
  __type?: string;
  message?: string;
}

export function cognitoPasswordSignIn(options: CognitoPasswordSignInOptions): () => Promise<string> {
  const now = options.now ?? (() => new Date());
  const send = options.fetch ?? fetch;
  let kept: { token: string; until: number } | undefined;
  const call = async (target: 'InitiateAuth' | 'RespondToAuthChallenge', body: unknown): Promise<AuthAnswer> => {
    const response = await send(`https://cognito-idp.${options.region}.amazonaws.com/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${target}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const answer = (await response.json()) as AuthAnswer;
    // The error's type only (NotAuthorizedException…): its message may name the user.
    if (!response.ok) throw new Error(`Cognito ${target} refused the canary: ${answer.__type ?? response.status}`);
    return answer;
  };
  return async () => {
    if (kept && kept.until > now().getTime()) return kept.token;
    const credentials = await options.credentials();
    let answer = await call('InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: options.clientId,
      AuthParameters: { USERNAME: credentials.username, PASSWORD: credentials.password },
    });
    if (answer.ChallengeName === 'SOFTWARE_TOKEN_MFA') {
      answer = await call('RespondToAuthChallenge', {
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        ClientId: options.clientId,
        Session: answer.Session,
        ChallengeResponses: { USERNAME: answer.ChallengeParameters?.USER_ID_FOR_SRP ?? credentials.username, SOFTWARE_TOKEN_MFA_CODE: totp(credentials.totpSecret, now()) },
      });
    }
    const token = answer.AuthenticationResult?.IdToken;
    if (!token) throw new Error(`Cognito asked the canary for ${answer.ChallengeName ?? 'something else'}: set up its user as the README's canary runbook says`);
    kept = { token, until: now().getTime() + ((answer.AuthenticationResult?.ExpiresIn ?? 3600) - 300) * 1000 };
    return token;
  };
}
