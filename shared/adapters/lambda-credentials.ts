/**
 * Lambda hands a function its execution role's credentials in the environment, so that is the
 * only source a deployed function needs. The bundles put this module where the SDK's default
 * chain would be (`@aws-sdk/credential-provider-node`: profiles, SSO, web identity, container and
 * instance metadata, with their nested STS and SSO clients), about 120 KB less per function
 * (infra/bundling.ts). The local runtime and the tests are not bundled and keep the default chain.
 */
export interface EnvironmentCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export function fromLambdaEnvironment(env: NodeJS.ProcessEnv = process.env): EnvironmentCredentials {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) throw new Error('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set: not running in Lambda?');
  return {
    accessKeyId,
    secretAccessKey,
    ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    ...(env.AWS_CREDENTIAL_EXPIRATION ? { expiration: new Date(env.AWS_CREDENTIAL_EXPIRATION) } : {}),
  };
}

/** The export the SDK clients' runtime configuration imports from `@aws-sdk/credential-provider-node`. */
export const defaultProvider = () => async () => fromLambdaEnvironment();
