import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SnsEventSource, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import * as definition from './definition.ts';
import type { FunctionDefinition, FunctionName } from './definition.ts';
import { OperationalAlarms } from './constructs/alarms.ts';
import { DataStores, deadLetterRetention } from './constructs/data-stores.ts';
import { constructId, deadLetterForMetadata, entriesOf, mapRecord, markDefinitionKey } from './constructs/definition-keys.ts';
import { DutylineFunction } from './constructs/dutyline-function.ts';
import { DutylineHttpApi } from './constructs/http-api.ts';
import { allowSendingSms } from './constructs/sms-permissions.ts';
import { StaffAuth } from './constructs/staff-auth.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export interface DutylineStackProps extends StackProps {
  /** End User Messaging SMS phone number, pool or sender id (ARN or id) that SMS are sent from. */
  smsOriginationIdentity?: string;
  /** Domain the service is reached on; `https://{domainName}` is the public base URL unless that is given. */
  domainName?: string;
  /** Where alarms are emailed. */
  alarmEmail?: string;
  /** Base of the links in SMS and of the sign-in callback; defaults to the HTTP API's own URL. */
  publicBaseUrl?: string;
}

/** Everything in infra/definition.ts, on AWS. Nothing here names a table, queue or function. */
export class DutylineStack extends Stack {
  readonly data: DataStores;
  readonly functions: Record<FunctionName, DutylineFunction>;

  constructor(scope: Construct, id: string, props: DutylineStackProps = {}) {
    super(scope, id, props);

    const key = new Key(this, 'DataKey', {
      description: 'dutyline: referrals, directory, queues, topics and the link-signing secret',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const data = new DataStores(this, 'Data', {
      key,
      tables: definition.tables,
      queues: definition.queues,
      topics: definition.topics,
    });
    this.data = data;

    const api = new DutylineHttpApi(this, 'Api', { throttle: { burstLimit: 200, rateLimit: 100 } });
    const publicBaseUrl = props.publicBaseUrl ?? (props.domainName ? `https://${props.domainName}` : api.endpoint);
    const auth = new StaffAuth(this, 'Auth', { roles: definition.roles, publicBaseUrl });
    const alarms = new OperationalAlarms(this, 'Alarms', { key, email: props.alarmEmail });

    const linkSigningSecret = new Secret(this, 'LinkSigningSecret', {
      description: 'dutyline: signs the accept links texted to AMHPs',
      encryptionKey: key,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });

    this.functions = mapRecord(definition.functions, (fn, name) => {
      const environment: Record<string, string> = {
        POWERTOOLS_SERVICE_NAME: 'dutyline',
        [definition.settings.smsMode]: 'sns',
        [definition.settings.publicBaseUrl]: publicBaseUrl,
      };
      for (const table of tablesUsedBy(fn)) environment[definition.tables[table].envVar] = data.tables[table].tableName;
      for (const queue of fn.sendsTo) environment[definition.queues[queue].envVar] = data.queues[queue].queueUrl;
      if (fn.signsLinks) environment[definition.settings.linkSecretArn] = linkSigningSecret.secretArn;
      if (fn.sendsSms && props.smsOriginationIdentity) {
        environment[definition.settings.smsOriginationIdentity] = props.smsOriginationIdentity;
      }

      const handler = new DutylineFunction(this, constructId(name, 'Function'), {
        definition: fn,
        repoRoot,
        environment,
        allowRecursiveLoop: definition.queueTriggers.some((t) => t.function === name && fn.sendsTo.includes(t.queue)),
      });
      markDefinitionKey(handler, name);

      for (const table of tablesUsedBy(fn)) {
        if (fn.writes.includes(table)) data.tables[table].grantReadWriteData(handler);
        else data.tables[table].grantReadData(handler);
      }
      for (const queue of fn.sendsTo) data.queues[queue].grantSendMessages(handler);
      if (fn.signsLinks) linkSigningSecret.grantRead(handler);
      if (fn.sendsSms) allowSendingSms(handler, props.smsOriginationIdentity);
      alarms.functionErrors(name, handler);
      return handler;
    });

    for (const trigger of definition.queueTriggers) {
      this.functions[trigger.function].addEventSource(
        new SqsEventSource(data.queues[trigger.queue], {
          batchSize: trigger.batchSize,
          ...(trigger.maxBatchingWindowSeconds > 0
            ? { maxBatchingWindow: Duration.seconds(trigger.maxBatchingWindowSeconds) }
            : {}),
          reportBatchItemFailures: true,
        }),
      );
    }

    for (const trigger of definition.topicTriggers) {
      const handler = this.functions[trigger.function];
      handler.addEventSource(new SnsEventSource(data.topics[trigger.topic]));
      // SNS invokes asynchronously: after Lambda's retries an event (an AMHP's reply) would be
      // dropped, so it is kept in a queue of its own instead.
      const failed = data.encryptedQueue(constructId(trigger.function, 'FailedInvocationsQueue'), key, {
        retentionPeriod: deadLetterRetention,
      });
      markDefinitionKey(failed, trigger.function, deadLetterForMetadata);
      handler.configureAsyncInvoke({ onFailure: new SqsDestination(failed), retryAttempts: 2 });
      alarms.deadLetters(`${trigger.function}FailedInvocations`, failed);
    }
    for (const [name, deadLetters] of entriesOf(data.deadLetterQueues)) alarms.deadLetters(name, deadLetters);

    const authorizer = new HttpUserPoolAuthorizer('CognitoAuthorizer', auth.userPool, {
      userPoolClients: [auth.webClient],
    });
    for (const route of definition.routes) api.addRoute(route, this.functions[route.function], authorizer);

    new CfnOutput(this, 'ApiUrl', { value: api.stage.url });
    new CfnOutput(this, 'UserPoolId', { value: auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: auth.webClient.userPoolClientId });
    for (const [name, topic] of entriesOf(data.topics)) {
      new CfnOutput(this, constructId(name, 'TopicArn'), { value: topic.topicArn });
    }
  }
}

function tablesUsedBy(fn: FunctionDefinition): definition.TableName[] {
  return [...new Set([...fn.reads, ...fn.writes])];
}
