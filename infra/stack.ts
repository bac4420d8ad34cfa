import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SnsEventSource, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { retentionSetting, type RetentionPolicy } from '../shared/domain/retention.ts';
import * as definition from './definition.ts';
import type { FunctionDefinition, FunctionName } from './definition.ts';
import { OperationalAlarms } from './constructs/alarms.ts';
import { Monitoring } from './constructs/monitoring.ts';
import { Backups } from './constructs/backups.ts';
import { DataStores, deadLetterRetention } from './constructs/data-stores.ts';
import { constructId, deadLetterForMetadata, entriesOf, mapRecord, markDefinitionKey } from './constructs/definition-keys.ts';
import { DutylineFunction, reservationOf, UNRESERVED_QUEUE_POLLERS } from './constructs/dutyline-function.ts';
import { canaryScheduleSetting, reservedConcurrencySetting, type ReservedConcurrency } from './deployment-settings.ts';
import { Canary } from './constructs/canary.ts';
import { grantSend, grantTable } from './constructs/grants.ts';
import { DutylineHttpApi } from './constructs/http-api.ts';
import { allowLogsToEncryptWith } from './constructs/log-encryption.ts';
import { allowPlacingCalls, allowSendingSms } from './constructs/sms-permissions.ts';
import { StaffAuth } from './constructs/staff-auth.ts';
import { WebAndTelephony } from './constructs/web-and-telephony.ts';

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
  /** Prefix of the Cognito hosted UI domain the web pages sign in through; without it web sign-in is off. */
  authDomainPrefix?: string;
  /** Amazon Connect instance whose contact flows may invoke the phone intake function. */
  connectInstanceArn?: string;
  /**
   * Days the person's details are kept after a referral is closed (default 30); else the
   * `detailsRetentionDays` context value. The referral and its audit trail are kept regardless.
   */
  detailsRetentionDays?: number;
  /** Days from receipt after which the details of a referral never closed are removed (default 90); else the context value. */
  unclosedDetailsRetentionDays?: number;
  /** Concurrency each function reserves (`off`: none, the default); else the `reservedConcurrency` context value. */
  reservedConcurrency?: ReservedConcurrency;
  /** How often the canary runs, in minutes (default 15); else the `canaryScheduleMinutes` context value. */
  canaryScheduleMinutes?: number;
  /** The canary team's phone (a simulator number, else the operators'); else the `canaryPhone` context value. */
  canaryPhone?: string;
}

/** A drama-range number (Ofcom): with no canaryPhone set the canary's texts reach nobody, and it fails. */
const NO_CANARY_PHONE = '+447700900998';

/** Everything in infra/definition.ts, on AWS. Nothing here names a table, queue or function. */
export class DutylineStack extends Stack {
  readonly data: DataStores;
  readonly functions: Record<FunctionName, DutylineFunction>;

  constructor(scope: Construct, id: string, props: DutylineStackProps = {}) {
    super(scope, id, props);
    const retention = retentionOf(this, props);
    const reserved = props.reservedConcurrency ?? reservedConcurrencySetting(this.node.tryGetContext('reservedConcurrency'));
    const canaryMinutes = props.canaryScheduleMinutes ?? canaryScheduleSetting(this.node.tryGetContext('canaryScheduleMinutes'));
    const canaryPhone = props.canaryPhone ?? (this.node.tryGetContext('canaryPhone') as string | undefined) ?? NO_CANARY_PHONE;

    const key = new Key(this, 'DataKey', {
      description: 'dutyline: referrals, directory, queues, topics and the link-signing secret',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    allowLogsToEncryptWith(key);
    const data = new DataStores(this, 'Data', {
      key,
      tables: definition.tables,
      queues: definition.queues,
      topics: definition.topics,
    });
    this.data = data;
    new Backups(this, 'Backups', { key, tables: Object.values(data.tables) });

    const api = new DutylineHttpApi(this, 'Api', { key, throttle: { burstLimit: 200, rateLimit: 100 } });
    const publicBaseUrl = props.publicBaseUrl ?? (props.domainName ? `https://${props.domainName}` : api.endpoint);
    const auth = new StaffAuth(this, 'Auth', { roles: definition.roles, publicBaseUrl });
    const alarms = new OperationalAlarms(this, 'Alarms', { key, email: props.alarmEmail });
    const canary = new Canary(this, 'Canary', { key, userPool: auth.userPool });

    const linkSigningSecret = new Secret(this, 'LinkSigningSecret', {
      description: 'dutyline: signs the accept links texted to AMHPs',
      encryptionKey: key,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    for (const id of ['AwsSolutions-SMG4', 'HIPAA.Security-SecretsManagerRotationEnabled', 'NIST.800.53.R5-SecretsManagerRotationEnabled']) {
      Validations.of(linkSigningSecret).acknowledge({
        id,
        reason:
          'An HMAC key for accept links that stay valid for 24 hours: rotating it would void the links already ' +
          'texted to AMHPs until the signer also accepts the previous version. Read only by the functions that ' +
          'sign or check links, encrypted with the stack key; rotation with a two-version verifier is planned.',
      });
    }

    // SNS invokes asynchronously: after Lambda's retries an event (an AMHP's reply) would be
    // dropped, so it is kept in a dead-letter queue of its function's own instead.
    const asyncDeadLetters = new Map<FunctionName, Queue>();
    for (const trigger of definition.topicTriggers) {
      const failed = data.encryptedQueue(constructId(trigger.function, 'FailedInvocationsQueue'), key, {
        retentionPeriod: deadLetterRetention,
      });
      markDefinitionKey(failed, trigger.function, deadLetterForMetadata);
      alarms.deadLetters(`${trigger.function}FailedInvocations`, failed);
      asyncDeadLetters.set(trigger.function, failed);
    }

    this.functions = mapRecord(definition.functions, (fn, name) => {
      const environment: Record<string, string> = {
        POWERTOOLS_SERVICE_NAME: 'dutyline',
        // With an origination identity, SMS go through End User Messaging SMS (two-way capable);
        // without one, through SNS direct publish.
        [definition.settings.smsMode]: props.smsOriginationIdentity ? 'end-user-messaging' : 'sns',
        [definition.settings.publicBaseUrl]: publicBaseUrl,
      };
      for (const table of tablesUsedBy(fn)) environment[definition.tables[table].envVar] = data.tables[table].tableName;
      for (const queue of fn.sendsTo) environment[definition.queues[queue].envVar] = data.queues[queue].queueUrl;
      if (fn.signsLinks) environment[definition.settings.linkSecretArn] = linkSigningSecret.secretArn;
      // Intake sets the details' backstop expiry and closing their retention: both write referrals.
      if (fn.writes.includes('referrals')) {
        environment[definition.settings.detailsRetentionDays] = String(retention.detailsDaysAfterClose);
        environment[definition.settings.unclosedDetailsRetentionDays] = String(retention.detailsDaysUnclosed);
      }
      if ((fn.sendsSms || fn.placesCalls) && props.smsOriginationIdentity) {
        environment[definition.settings.smsOriginationIdentity] = props.smsOriginationIdentity;
      }
      if (fn.callsApiAsCanary) Object.assign(environment, canary.environment(api.stage.url, canaryPhone));

      const deadLetterQueue = asyncDeadLetters.get(name);
      const handler = new DutylineFunction(this, constructId(name, 'Function'), {
        definition: fn,
        repoRoot,
        environment,
        allowRecursiveLoop: definition.queueTriggers.some((t) => t.function === name && fn.sendsTo.includes(t.queue)),
        key,
        reservedConcurrency: reservationOf(fn, reserved),
        ...(deadLetterQueue ? { deadLetterQueue } : { failuresKeptBy: failuresKeptBy(name, fn) }),
      });
      markDefinitionKey(handler, name);

      for (const table of tablesUsedBy(fn)) {
        const indexes = definition.tables[table].indexes.map((index) => index.name);
        grantTable(handler, data.tables[table], indexes, key, fn.writes.includes(table) ? 'read-write' : 'read');
      }
      for (const queue of fn.sendsTo) grantSend(handler, data.queues[queue], key);
      if (fn.signsLinks) linkSigningSecret.grantRead(handler);
      if (fn.sendsSms) allowSendingSms(handler, props.smsOriginationIdentity);
      if (fn.placesCalls) allowPlacingCalls(handler, props.smsOriginationIdentity);
      if (fn.callsApiAsCanary) canary.credentials.grantRead(handler);
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
          // Never more pollers than the function's reserved concurrency: a throttled batch would
          // count as a receive and could push messages to the dead-letter queue.
          maxConcurrency: reservationOf(definition.functions[trigger.function], reserved) ?? UNRESERVED_QUEUE_POLLERS,
        }),
      );
    }

    for (const trigger of definition.topicTriggers) {
      const handler = this.functions[trigger.function];
      handler.addEventSource(new SnsEventSource(data.topics[trigger.topic]));
      handler.configureAsyncInvoke({ retryAttempts: 2 });
    }

    for (const trigger of definition.scheduleTriggers) {
      const handler = this.functions[trigger.function];
      const everyMinutes = trigger.everyMinutesSetting === 'canaryScheduleMinutes' ? canaryMinutes : trigger.everyMinutes;
      const rule = new Rule(this, constructId(trigger.function, 'Schedule'), {
        description: `dutyline: runs ${trigger.function} every ${everyMinutes} minute(s)`,
        schedule: Schedule.rate(Duration.minutes(everyMinutes)),
      });
      rule.addTarget(new LambdaFunction(handler, { retryAttempts: 2, maxEventAge: Duration.minutes(everyMinutes) }));
      markDefinitionKey(rule, trigger.function);
      // The next run is the retry: a failed or throttled run is not queued up behind it.
      handler.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(1) });
    }
    for (const [name, deadLetters] of entriesOf(data.deadLetterQueues)) alarms.deadLetters(name, deadLetters);
    canary.alarm(alarms, canaryMinutes);
    new Monitoring(this, 'Monitoring', { alarms, functions: this.functions, queues: data.queues, deadLetterQueues: data.deadLetterQueues });

    new WebAndTelephony(this, 'WebAndTelephony', {
      functions: this.functions,
      definitions: definition.functions,
      userPool: auth.userPool,
      webClient: auth.webClient,
      key,
      ...(props.authDomainPrefix ? { authDomainPrefix: props.authDomainPrefix } : {}),
      ...(props.connectInstanceArn ? { connectInstanceArn: props.connectInstanceArn } : {}),
    });

    const authorizer = new HttpUserPoolAuthorizer('CognitoAuthorizer', auth.userPool, {
      // The canary signs in through its own client (USER_PASSWORD_AUTH), so its tokens are accepted too.
      userPoolClients: [auth.webClient, canary.client],
    });
    for (const route of definition.routes) api.addRoute(route, this.functions[route.function], authorizer);

    new CfnOutput(this, 'ApiUrl', { value: api.stage.url });
    new CfnOutput(this, 'UserPoolId', { value: auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: auth.webClient.userPoolClientId });
    // For the canary runbook (README): its app client, and the secret its credentials go in.
    new CfnOutput(this, 'CanaryUserPoolClientId', { value: canary.client.userPoolClientId });
    new CfnOutput(this, 'CanaryCredentialsSecretArn', { value: canary.credentials.secretArn });
    for (const [name, topic] of entriesOf(data.topics)) {
      new CfnOutput(this, constructId(name, 'TopicArn'), { value: topic.topicArn });
    }
    // For operators: where failed messages wait, and the ARNs `aws sqs start-message-move-task` takes.
    for (const [name, deadLetters] of entriesOf(data.deadLetterQueues)) {
      new CfnOutput(this, constructId(name, 'DeadLetterQueueArn'), { value: deadLetters.queueArn });
    }
    for (const [name, deadLetters] of asyncDeadLetters) {
      new CfnOutput(this, constructId(name, 'DeadLetterQueueUrl'), { value: deadLetters.queueUrl });
      new CfnOutput(this, constructId(name, 'FunctionName'), { value: this.functions[name].functionName });
    }
  }
}

/**
 * Where a function's failures go when it has no dead-letter queue of its own: the reason of its
 * LambdaDLQ acknowledgement. A function invoked in some other way gets none, so cdk-nag asks.
 */
function failuresKeptBy(name: FunctionName, fn: FunctionDefinition): string | undefined {
  const ways: string[] = [];
  if (definition.routes.some((route) => route.function === name)) {
    ways.push('API Gateway invokes it synchronously: a failure goes back to the caller as a 5xx, there is no event to keep');
  }
  if (fn.invokedByConnect) ways.push('Amazon Connect invokes it synchronously: a failure goes back to the contact flow');
  for (const trigger of definition.queueTriggers.filter((t) => t.function === name)) {
    ways.push(
      `an SQS event source mapping invokes it: a failed message stays on the ${trigger.queue} queue, is retried, ` +
        `and after ${definition.queues[trigger.queue].maxReceiveCount} receives moves to that queue's dead-letter queue`,
    );
  }
  for (const trigger of definition.scheduleTriggers.filter((t) => t.function === name)) {
    ways.push(`an EventBridge schedule runs it every ${trigger.everyMinutes} minute(s): its event carries no data, and the next run is the retry`);
  }
  return ways.length > 0 ? `${ways.join('; ')}.` : undefined;
}

/** From the props, else `-c detailsRetentionDays=…` / `-c unclosedDetailsRetentionDays=…`; a bad value stops the synth. */
function retentionOf(stack: Stack, props: DutylineStackProps): RetentionPolicy {
  const setting = (key: keyof RetentionPolicy, name: string, given: number | undefined) =>
    retentionSetting(key, given ?? stack.node.tryGetContext(name), name);
  return {
    detailsDaysAfterClose: setting('detailsDaysAfterClose', 'detailsRetentionDays', props.detailsRetentionDays),
    detailsDaysUnclosed: setting('detailsDaysUnclosed', 'unclosedDetailsRetentionDays', props.unclosedDetailsRetentionDays),
  };
}

function tablesUsedBy(fn: FunctionDefinition): definition.TableName[] {
  return [...new Set([...fn.reads, ...fn.writes])];
}
