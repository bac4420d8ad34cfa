import { Duration, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { settings } from '../definition-names.ts';
import type { OperationalAlarms } from './alarms.ts';
import { dutylineMetric } from './monitoring.ts';

export interface CanaryProps {
  key: IKey;
  userPool: UserPool;
}

/**
 * What the canary (functions/canary/handler.ts) signs in with, and the alarm on what it publishes.
 * It calls the HTTP API over HTTPS as a user would, so it authenticates as one: a Cognito user of
 * its own (groups referrer, amhp, manager and synthetic; staff id canary-amhp, a manager of the
 * canary team only), through an app client of its own that allows USER_PASSWORD_AUTH and nothing
 * else (no hosted UI, no OAuth), its password and authenticator-app secret in a Secrets Manager
 * secret only the canary may read. Its IAM role holds that secret's read and nothing of the data.
 */
export class Canary extends Construct {
  readonly client: UserPoolClient;
  readonly credentials: Secret;

  constructor(scope: Construct, id: string, props: CanaryProps) {
    super(scope, id);
    this.client = props.userPool.addClient('CanaryClient', {
      generateSecret: false,
      authFlows: { userPassword: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(1),
    });
    this.credentials = new Secret(this, 'Credentials', {
      description: 'dutyline: the canary user\'s sign-in ({"username","password","totpSecret"}); README: the canary runbook',
      encryptionKey: props.key,
      // The password is made here (the pool's policy: 14+ characters of every kind); the runbook
      // sets it on the user and adds the authenticator-app secret the user's MFA set-up returns.
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: 'dutyline-canary', totpSecret: '' }),
        generateStringKey: 'password',
        passwordLength: 32,
        requireEachIncludedType: true,
      },
    });
    for (const id of ['AwsSolutions-SMG4', 'HIPAA.Security-SecretsManagerRotationEnabled', 'NIST.800.53.R5-SecretsManagerRotationEnabled']) {
      Validations.of(this.credentials).acknowledge({
        id,
        reason:
          'The canary user\'s password and authenticator-app secret: rotating the secret alone would lock the canary out, since the ' +
          'Cognito user\'s password must change with it (AdminSetUserPassword) and Secrets Manager has no Cognito rotation template. ' +
          'Read only by the canary function, encrypted with the stack key; the user can do nothing outside the synthetic canary team. ' +
          'The runbook (README) rotates both together by hand.',
      });
    }
  }

  /** What the canary function is told: the API's own URL, its app client and secret, its test phone. */
  environment(apiUrl: string, phone: string): Record<string, string> {
    return {
      [settings.canaryApiUrl]: apiUrl,
      [settings.canaryUserPoolClientId]: this.client.userPoolClientId,
      [settings.canaryCredentialsSecretArn]: this.credentials.secretArn,
      [settings.canaryPhone]: phone,
    };
  }

  /**
   * Fires when a run fails (`CanarySucceeded` 0) or none reported (missing data breaches): a period
   * of two runs, so one run landing late in its minute never reads as missing.
   */
  alarm(alarms: OperationalAlarms, everyMinutes: number): Alarm {
    return alarms.heartbeatAlarm('CanaryAlarm', {
      description:
        `The canary's synthetic referral (every ${everyMinutes} min) was not routed, paged, accepted and closed through the API, or the canary ` +
        'did not run: the line may not be paging anyone. Read the canary function\'s log for the failed step, then run npm run smoke (README: the canary).',
      metric: dutylineMetric('CanarySucceeded', 'Minimum', Duration.minutes(2 * everyMinutes)),
    });
  }
}
