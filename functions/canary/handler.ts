import type { ScheduledEvent } from 'aws-lambda';
import { settings } from '../../infra/definition-names.ts';
import { baseUrlOf, request } from '../../shared/adapters/fetch-api.ts';
import { cognitoPasswordSignIn, credentialsFromSecretsManager } from '../../shared/adapters/cognito-password-sign-in.ts';
import { CANARY_ROUTING_TIMEOUT_MS, CANARY_TEAM, runCanary, type CanaryRun, type CanarySettings } from '../../shared/app/canary.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { lambdaEntry } from '../commons/wiring.ts';

/**
 * Run every 15 minutes by default (EventBridge in AWS, the local scheduler locally): one
 * synthetic referral through the real API (shared/app/canary.ts). A failed run returns its result
 * rather than throwing: `CanarySucceeded` 0 is what alarms, and a run that never publishes (a
 * crash, a timeout) alarms as missing data.
 */
export const makeHandler =
  (deps: Pick<Dependencies, 'metrics' | 'log' | 'clock'>, canary: CanarySettings) =>
  async (_event: ScheduledEvent): Promise<CanaryRun> =>
    runCanary(canary, { metrics: deps.metrics, log: deps.log, now: () => deps.clock.now() });

/** In AWS: the canary's own Cognito user (README: the canary runbook), which is referrer, AMHP and manager of the canary team. */
export function canaryFromEnvironment(env: NodeJS.ProcessEnv = process.env): CanarySettings {
  const required = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`environment variable ${name} is not set`);
    return value;
  };
  const region = env.AWS_REGION ?? 'eu-west-2';
  const baseUrl = baseUrlOf(required(settings.canaryApiUrl));
  const token = cognitoPasswordSignIn({
    region,
    clientId: required(settings.canaryUserPoolClientId),
    credentials: credentialsFromSecretsManager(required(settings.canaryCredentialsSecretArn), region),
  });
  return {
    // Each call well inside the function's timeout, so a hung call fails the run rather than the function.
    api: (method, path, options) => request(baseUrl, method, path, { ...options, timeoutMs: 10_000 }),
    plan: { label: 'canary', ...CANARY_TEAM, phone: required(settings.canaryPhone), timeoutMs: CANARY_ROUTING_TIMEOUT_MS },
    signIn: async () => {
      const idToken = await token();
      return { referrer: idToken, amhp: idToken };
    },
  };
}

export const handler = lambdaEntry((deps) => makeHandler(deps, canaryFromEnvironment()));
