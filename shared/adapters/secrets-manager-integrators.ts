import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { awsTimeouts, withTimeouts } from './client-timeouts.ts';
import type { IntegratorSecrets } from '../ports.ts';

/** Re-read after this long, so a new or rotated integrator secret takes effect without a deploy. */
const CACHE_MS = 5 * 60_000;

/** One Secrets Manager secret holding `{"<integrator id>": "<shared secret>"}` for every telephony integrator. */
export class SecretsManagerIntegratorSecrets implements IntegratorSecrets {
  private cached: { at: number; secrets: Promise<Record<string, unknown>> } | undefined;

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretArn: string,
    private readonly now: () => number = Date.now,
  ) {}

  async secretFor(integrator: string): Promise<string | null> {
    if (!this.cached || this.now() - this.cached.at > CACHE_MS) {
      const secrets = this.client
        .send(new GetSecretValueCommand({ SecretId: this.secretArn }))
        .then((result) => JSON.parse(result.SecretString ?? '{}') as Record<string, unknown>);
      this.cached = { at: this.now(), secrets };
      // A failed read is not cached: the next request tries again.
      secrets.catch(() => (this.cached = undefined));
    }
    const secret = (await this.cached.secrets)[integrator];
    return typeof secret === 'string' && secret.length >= 32 ? secret : null;
  }
}

/** In Lambda: the secret the stack names, read with the function's role. */
export const integratorSecretsFromSecretsManager = (secretArn: string) =>
  new SecretsManagerIntegratorSecrets(new SecretsManagerClient(withTimeouts(awsTimeouts)), secretArn);

/** The local runtime's integrators: fixed in memory. */
export class StaticIntegratorSecrets implements IntegratorSecrets {
  constructor(private readonly secrets: Record<string, string>) {}

  async secretFor(integrator: string): Promise<string | null> {
    return Object.hasOwn(this.secrets, integrator) ? (this.secrets[integrator] ?? null) : null;
  }
}
