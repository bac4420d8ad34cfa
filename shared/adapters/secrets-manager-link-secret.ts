import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { awsTimeouts, withTimeouts } from './client-timeouts.ts';

/** In Lambda: the accept-link signing key, read from Secrets Manager on first use and kept for the process. */
export function linkSecretFromSecretsManager(secretArn: string): () => Promise<string> {
  let secret: Promise<string> | undefined;
  return () => {
    if (!secret) {
      secret = new SecretsManagerClient(withTimeouts(awsTimeouts)).send(new GetSecretValueCommand({ SecretId: secretArn })).then((result) => {
        if (!result.SecretString) throw new Error('the link-signing secret has no string value');
        return result.SecretString;
      });
      // A failed read is not kept: the next use tries again.
      secret.catch(() => (secret = undefined));
    }
    return secret;
  };
}
