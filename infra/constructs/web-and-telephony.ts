import { Aws, Validations } from 'aws-cdk-lib';
import type { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { CfnIntegrationAssociation } from 'aws-cdk-lib/aws-connect';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { settings, type FunctionDefinition, type FunctionName } from '../definition.ts';
import { constructId, entriesOf } from './definition-keys.ts';

export interface WebAndTelephonyProps {
  functions: Record<FunctionName, LambdaFunction>;
  definitions: Record<FunctionName, FunctionDefinition>;
  userPool: UserPool;
  webClient: UserPoolClient;
  key: IKey;
  /** Prefix of the Cognito hosted UI domain (`{prefix}.auth.{region}.amazoncognito.com`); without it web sign-in is off. */
  authDomainPrefix?: string;
  /** The Amazon Connect instance whose contact flows may invoke the phone intake function. */
  connectInstanceArn?: string;
}

/**
 * What the referrer-facing functions need beyond tables and queues: the web pages' sign-in
 * (user pool, web client and hosted UI), the telephony integrators' webhook secrets, and Amazon
 * Connect's permission to invoke the contact-flow function. Driven by the definition's flags.
 */
export class WebAndTelephony extends Construct {
  readonly webhookSecrets: Secret;
  readonly hostedUiUrl: string | undefined;

  constructor(scope: Construct, id: string, props: WebAndTelephonyProps) {
    super(scope, id);

    this.hostedUiUrl = props.authDomainPrefix
      ? props.userPool.addDomain('HostedUi', { cognitoDomain: { domainPrefix: props.authDomainPrefix } }).baseUrl()
      : undefined;

    // `{"<integrator id>": "<shared secret of at least 32 characters>"}`: operators add integrators here.
    this.webhookSecrets = new Secret(this, 'WebhookSecrets', {
      description: 'dutyline: shared secrets of the telephony integrators that sign webhook requests, by integrator id',
      encryptionKey: props.key,
      secretObjectValue: {},
    });
    for (const rule of ['AwsSolutions-SMG4', 'HIPAA.Security-SecretsManagerRotationEnabled', 'NIST.800.53.R5-SecretsManagerRotationEnabled']) {
      Validations.of(this.webhookSecrets).acknowledge({
        id: rule,
        reason:
          'Shared secrets agreed with each telephony integrator: rotated with the integrator, who signs with both ' +
          'during the change (the signature header may carry two). Read only by the webhook function.',
      });
    }

    for (const [name, fn] of entriesOf(props.definitions)) {
      const handler = props.functions[name];
      if (fn.webSessions) {
        handler.addEnvironment(settings.userPoolId, props.userPool.userPoolId);
        handler.addEnvironment(settings.userPoolClientId, props.webClient.userPoolClientId);
        if (this.hostedUiUrl) handler.addEnvironment(settings.authDomainUrl, this.hostedUiUrl);
      }
      if (fn.webhookSecrets) {
        handler.addEnvironment(settings.webhookSecretsArn, this.webhookSecrets.secretArn);
        this.webhookSecrets.grantRead(handler);
      }
      if (fn.invokedByConnect && props.connectInstanceArn) {
        handler.addPermission(constructId(name, 'InvokedByConnect'), {
          principal: new ServicePrincipal('connect.amazonaws.com'),
          sourceArn: props.connectInstanceArn,
          sourceAccount: Aws.ACCOUNT_ID,
        });
        new CfnIntegrationAssociation(this, constructId(name, 'ConnectIntegration'), {
          instanceId: props.connectInstanceArn,
          integrationType: 'LAMBDA_FUNCTION',
          integrationArn: handler.functionArn,
        });
      }
    }
  }
}
