import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { deadLetterForMetadata, definitionKeyMetadata } from '../../infra/constructs/definition-keys.ts';
import * as definition from '../../infra/definition.ts';
import type { FunctionName } from '../../infra/definition.ts';
import { UNRESERVED_QUEUE_POLLERS } from '../../infra/constructs/dutyline-function.ts';
import { DutylineStack, type DutylineStackProps } from '../../infra/stack.ts';
import { EFFECT_CLAIM_SECONDS } from '../../shared/app/outbox.ts';
import { describeDefinition, describeTemplate } from './describe-template.ts';

// CloudFormation JSON is untyped; the assertions below are what check its shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** The feature flags `cdk synth` runs with, so the test sees the template that is deployed. */
const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context as Json;

function synthesize(props: DutylineStackProps = {}): Template {
  // Bundling skipped: the test is about the template, not the function code.
  const app = new App({ context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] } });
  return Template.fromStack(new DutylineStack(app, 'Dutyline', props));
}

const functionNames = Object.keys(definition.functions) as FunctionName[];
const tableNames = Object.keys(definition.tables) as definition.TableName[];
const queueNames = Object.keys(definition.queues) as definition.QueueName[];

let template: Template;
let resources: Record<string, Json>;

beforeAll(() => {
  template = synthesize();
  resources = template.toJSON().Resources;
});

/** The logical id of the resource marked with a definition key (or a dead-letter queue's owner). */
function logicalIdOf(type: string, key: string, metadata = definitionKeyMetadata): string {
  const ids = Object.keys(resources).filter((id) => resources[id]!.Type === type && resources[id]!.Metadata?.[metadata] === key);
  expect(ids, `${type} marked ${metadata}=${key}`).toHaveLength(1);
  return ids[0]!;
}

const propertiesOf = (type: string, key: string, metadata?: string): Json =>
  resources[logicalIdOf(type, key, metadata)]!.Properties;

const keyId = () => Object.keys(template.findResources('AWS::KMS::Key'))[0]!;

/** Every IAM statement attached to a function's execution role, by a managed or an inline policy. */
function statementsOf(fn: FunctionName): Json[] {
  const roleId = propertiesOf('AWS::Lambda::Function', fn).Role['Fn::GetAtt'][0];
  return [
    ...Object.values(template.findResources('AWS::IAM::ManagedPolicy')),
    ...Object.values(template.findResources('AWS::IAM::Policy')),
  ]
    .filter((policy) => (policy.Properties.Roles ?? []).some((role: Json) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

const actionsOf = (statement: Json): string[] => [statement.Action].flat();
const mentions = (statement: Json, logicalId: string) => JSON.stringify(statement.Resource).includes(`"${logicalId}"`);

describe('the stack covers infra/definition.ts', () => {
  it('defines exactly the tables, queues, triggers and routes of the definition', () => {
    expect(describeTemplate(template.toJSON())).toEqual(describeDefinition());
  });

  it('gives no function a timeout as long as an effect claim, so a claim cannot lapse while its holder runs', () => {
    const longest = Math.max(...Object.values(definition.functions).map((fn) => fn.timeoutSeconds));
    expect(longest).toBeLessThan(EFFECT_CLAIM_SECONDS);
  });

  it('creates one Lambda function per defined function and no other', () => {
    const marked = Object.values(template.findResources('AWS::Lambda::Function'))
      .map((fn) => fn.Metadata?.[definitionKeyMetadata])
      .filter(Boolean)
      .sort();
    expect(marked).toEqual([...functionNames].sort());
  });
});

describe('encryption', () => {
  it('uses one customer-managed key that rotates', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('encrypts every queue, dead-letter queue and topic with that key', () => {
    const encryptedWithKey = { 'Fn::GetAtt': [keyId(), 'Arn'] };
    for (const queue of Object.values(template.findResources('AWS::SQS::Queue'))) {
      expect(queue.Properties.KmsMasterKeyId).toEqual(encryptedWithKey);
    }
    for (const topic of Object.values(template.findResources('AWS::SNS::Topic'))) {
      expect(topic.Properties.KmsMasterKeyId).toEqual(encryptedWithKey);
    }
  });
});

describe('compliance fixes (cdk-nag: AwsSolutions, HIPAA Security, NIST 800-53 rev 5)', () => {
  it('puts no inline policy and no AWS-managed policy on a function role: each has a managed policy of its own', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    for (const name of functionNames) {
      const roleId = propertiesOf('AWS::Lambda::Function', name).Role['Fn::GetAtt'][0];
      expect(resources[roleId]!.Properties.ManagedPolicyArns).toBeUndefined();
      expect(resources[roleId]!.Properties.Policies).toBeUndefined();
      expect(statementsOf(name).length).toBeGreaterThan(0);
    }
  });

  it('names every KMS and DynamoDB action, and every index, instead of granting wildcards', () => {
    for (const name of functionNames) {
      for (const statement of statementsOf(name)) {
        expect(actionsOf(statement).filter((action) => action.includes('*'))).toEqual([]);
        expect(JSON.stringify(statement.Resource)).not.toContain('/index/*');
      }
    }
  });

  it('lets each function write only to its own log group, encrypted with the stack key', () => {
    const encryptedWithKey = { 'Fn::GetAtt': [keyId(), 'Arn'] };
    for (const group of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
      expect(group.Properties.KmsKeyId).toEqual(encryptedWithKey);
      expect(group.Properties.RetentionInDays).toBeGreaterThanOrEqual(90);
    }
    for (const name of functionNames) {
      const logGroupId = propertiesOf('AWS::Lambda::Function', name).LoggingConfig.LogGroup.Ref;
      const logs = statementsOf(name).filter((s) => actionsOf(s).some((action) => action.startsWith('logs:')));
      expect(logs).toEqual([expect.objectContaining({ Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] } })]);
    }
  });

  it('reserves no concurrency by default (a new account has too little), and caps each queue poller at the fewest Lambda allows', () => {
    for (const name of functionNames) {
      expect(propertiesOf('AWS::Lambda::Function', name).ReservedConcurrentExecutions, name).toBeUndefined();
    }
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'));
    expect(mappings.length).toBeGreaterThan(0);
    for (const mapping of mappings) expect(mapping.Properties.ScalingConfig.MaximumConcurrency).toBe(UNRESERVED_QUEUE_POLLERS);
  });

  it.each([
    ['the reservedConcurrency prop', { reservedConcurrency: 10 } as DutylineStackProps, {}],
    ['-c reservedConcurrency=10', {}, { reservedConcurrency: '10' }],
  ])('with %s reserves that many for every function (the definition’s own number first), and no queue poller exceeds it', (_how, props, context) => {
    const app = new App({ context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [], ...context } });
    const reserved = Template.fromStack(new DutylineStack(app, 'Dutyline', props)).toJSON().Resources as Record<string, Json>;
    const fn = (name: FunctionName) =>
      Object.values(reserved).find((r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.[definitionKeyMetadata] === name)!;
    for (const name of functionNames) {
      expect(fn(name).Properties.ReservedConcurrentExecutions, name).toBe(definition.functions[name].reservedConcurrency ?? 10);
    }
    expect(functionNames.some((name) => definition.functions[name].reservedConcurrency === undefined)).toBe(true);
    for (const mapping of Object.values(reserved).filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping')) {
      const fnId = mapping.Properties.FunctionName.Ref;
      expect(mapping.Properties.ScalingConfig.MaximumConcurrency).toBe(reserved[fnId]!.Properties.ReservedConcurrentExecutions);
    }
  });

  it.each([['1'], ['ten'], ['1001'], [-5]])('stops the synth on reservedConcurrency=%s, naming the setting', (value) => {
    const app = new App({ context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [], reservedConcurrency: value } });
    expect(() => new DutylineStack(app, 'Dutyline')).toThrow(/reservedConcurrency must be "off" or a whole number from 2 to 1000/);
  });

  it('backs both tables up daily with AWS Backup, into a vault encrypted with the stack key', () => {
    template.hasResourceProperties('AWS::Backup::BackupVault', {
      EncryptionKeyArn: { 'Fn::GetAtt': [keyId(), 'Arn'] },
    });
    const selection = JSON.stringify(Object.values(template.findResources('AWS::Backup::BackupSelection'))[0]);
    for (const name of tableNames) expect(selection).toContain(logicalIdOf('AWS::DynamoDB::Table', name));
  });
});

describe.each(tableNames)('the %s table', (name) => {
  const table = () => propertiesOf('AWS::DynamoDB::Table', name);

  it('bills per request and keeps point-in-time recovery on', () => {
    expect(table().BillingMode).toBe('PAY_PER_REQUEST');
    expect(table().PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
  });

  it('is encrypted with the stack key', () => {
    expect(table().SSESpecification).toEqual({
      SSEEnabled: true,
      SSEType: 'KMS',
      KMSMasterKeyId: { 'Fn::GetAtt': [keyId(), 'Arn'] },
    });
  });

  it('cannot be deleted by accident', () => {
    const resource = resources[logicalIdOf('AWS::DynamoDB::Table', name)]!;
    expect(table().DeletionProtectionEnabled).toBe(true);
    expect(resource.DeletionPolicy).toBe('Retain');
    expect(resource.UpdateReplacePolicy).toBe('Retain');
  });

  it('lets DynamoDB delete expired items by the defined TTL attribute, if it has one', () => {
    const ttl = definition.tables[name].timeToLiveAttribute;
    expect(table().TimeToLiveSpecification).toEqual(ttl ? { AttributeName: ttl, Enabled: true } : undefined);
  });

  it('has the keys and indexes of the definition, indexes projecting everything', () => {
    const { partitionKey, sortKey, indexes } = definition.tables[name];
    expect(table().KeySchema).toEqual([
      { AttributeName: partitionKey, KeyType: 'HASH' },
      { AttributeName: sortKey, KeyType: 'RANGE' },
    ]);
    expect(table().GlobalSecondaryIndexes).toEqual(
      indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    );
  });
});

describe.each(queueNames)('the %s queue', (name) => {
  const queue = () => propertiesOf('AWS::SQS::Queue', name);
  const deadLetterId = () => logicalIdOf('AWS::SQS::Queue', name, deadLetterForMetadata);

  it(`moves a message to its own dead-letter queue after the defined number of receives`, () => {
    expect(queue().RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterId(), 'Arn'] },
      maxReceiveCount: definition.queues[name].maxReceiveCount,
    });
  });

  it('keeps messages for the defined retention and hides them for the defined visibility timeout', () => {
    expect(queue().VisibilityTimeout).toBe(definition.queues[name].visibilityTimeoutSeconds);
    expect(queue().MessageRetentionPeriod).toBe(definition.queues[name].retentionDays * 24 * 60 * 60);
  });

  it('keeps dead letters for 14 days and raises an alarm as soon as one arrives', () => {
    expect(resources[deadLetterId()]!.Properties.MessageRetentionPeriod).toBe(14 * 24 * 60 * 60);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetterId(), 'QueueName'] } }],
      Threshold: 1,
    });
  });

  it('refuses requests without TLS', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: logicalIdOf('AWS::SQS::Queue', name) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('queue triggers', () => {
  it.each(definition.queueTriggers)('$queue triggers $function in batches of $batchSize, reporting item failures', (trigger) => {
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).filter(
      (mapping) =>
        mapping.Properties.EventSourceArn['Fn::GetAtt']?.[0] === logicalIdOf('AWS::SQS::Queue', trigger.queue) &&
        mapping.Properties.FunctionName.Ref === logicalIdOf('AWS::Lambda::Function', trigger.function),
    );
    expect(mappings).toHaveLength(1);
    const properties = mappings[0]!.Properties;
    expect(properties.BatchSize).toBe(trigger.batchSize);
    expect(properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    if (trigger.maxBatchingWindowSeconds === 0) expect(properties.MaximumBatchingWindowInSeconds).toBeUndefined();
    else expect(properties.MaximumBatchingWindowInSeconds).toBe(trigger.maxBatchingWindowSeconds);
  });

  it('lets a function that re-queues its own timers loop, which Lambda would otherwise stop', () => {
    for (const trigger of definition.queueTriggers) {
      const loops = definition.functions[trigger.function].sendsTo.includes(trigger.queue);
      expect(propertiesOf('AWS::Lambda::Function', trigger.function).RecursiveLoop).toBe(loops ? 'Allow' : 'Terminate');
    }
  });
});

describe('schedules', () => {
  it.each(definition.scheduleTriggers)('runs $function every $everyMinutes minute(s), a failed run not retried behind the next', (trigger) => {
    const fnId = logicalIdOf('AWS::Lambda::Function', trigger.function);
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: `rate(${trigger.everyMinutes} minute${trigger.everyMinutes === 1 ? '' : 's'})`,
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] } })],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: fnId },
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 60,
    });
  });
});

describe('two-way SMS', () => {
  it.each(definition.topicTriggers)('the $topic topic delivers to the $function function', (trigger) => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: logicalIdOf('AWS::SNS::Topic', trigger.topic) },
      Endpoint: { 'Fn::GetAtt': [logicalIdOf('AWS::Lambda::Function', trigger.function), 'Arn'] },
    });
  });

  it.each(definition.topicTriggers)('an invocation of $function that fails every retry is kept in its dead-letter queue', (trigger) => {
    const failedId = logicalIdOf('AWS::SQS::Queue', trigger.function, deadLetterForMetadata);
    expect(propertiesOf('AWS::Lambda::Function', trigger.function).DeadLetterConfig).toEqual({
      TargetArn: { 'Fn::GetAtt': [failedId, 'Arn'] },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalIdOf('AWS::Lambda::Function', trigger.function) },
      MaximumRetryAttempts: 2,
    });
    // The dead-letter queue is KMS-encrypted: Lambda sends to it with the function's role.
    const sends = statementsOf(trigger.function).filter((s) => mentions(s, failedId));
    expect(sends.flatMap(actionsOf)).toContain('sqs:SendMessage');
  });

  it('lets AWS End User Messaging SMS publish replies to the encrypted topic', () => {
    const topics = Object.entries(definition.topics).filter(([, topic]) => topic.receivesSmsReplies);
    expect(topics.length).toBeGreaterThan(0);
    for (const [name] of topics) {
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: logicalIdOf('AWS::SNS::Topic', name) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Action: 'sns:Publish', Principal: { Service: 'sms-voice.amazonaws.com' } }),
          ]),
        },
      });
    }
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'sms-voice.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
        ]),
      },
    });
  });
});

describe('sign-in', () => {
  it.each(definition.roles)('has a Cognito group for the %s role', (role) => {
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: role });
  });

  it('lets no one sign themselves up, requires TOTP MFA, blocks risky sign-ins and demands strong passwords', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: Match.anyValue(),
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
      Schema: Match.arrayWith([Match.objectLike({ Name: 'staffId', AttributeDataType: 'String', Mutable: true })]),
    });
  });

  it('gives the web app a public client using the authorization code flow and SRP', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_SRP_AUTH']),
    });
  });
});

describe('the HTTP API', () => {
  it("checks bearer tokens against the user pool, the web client and the canary's client", () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: Match.stringLikeRegexp('WebClient') }, { Ref: Match.stringLikeRegexp('CanaryClient') }],
        Issuer: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
      },
    });
  });

  it.each(definition.routes)('$method $path is served by $function with auth $auth', (route) => {
    const authorizerId = Object.keys(template.findResources('AWS::ApiGatewayV2::Authorizer'))[0]!;
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: `${route.method} ${route.path}`,
      AuthorizationType: route.auth === 'jwt' ? 'JWT' : 'NONE',
      ...(route.auth === 'jwt' ? { AuthorizerId: { Ref: authorizerId } } : {}),
    });
  });

  it('throttles the default stage and logs access by route, never by path (paths carry link tokens)', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('\\$context.routeKey') },
    });
    const [stage] = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'));
    expect(stage!.Properties.AccessLogSettings.Format).not.toContain('$context.path');
  });
});

describe.each(functionNames)('the %s function', (name) => {
  const fn = definition.functions[name];
  const lambda = () => propertiesOf('AWS::Lambda::Function', name);
  const environment = () => lambda().Environment.Variables as Json;

  it('runs on Node.js 24 on arm64, traced, with the defined memory and timeout', () => {
    expect(lambda().Runtime).toBe('nodejs24.x');
    expect(lambda().Architectures).toEqual(['arm64']);
    expect(lambda().TracingConfig).toEqual({ Mode: 'Active' });
    expect(lambda().MemorySize).toBe(fn.memoryMB);
    expect(lambda().Timeout).toBe(fn.timeoutSeconds);
  });

  it('is told the names of exactly the tables and queues it uses', () => {
    const used = [...new Set([...fn.reads, ...fn.writes])];
    for (const table of tableNames) {
      const expected = used.includes(table) ? { Ref: logicalIdOf('AWS::DynamoDB::Table', table) } : undefined;
      expect(environment()[definition.tables[table].envVar]).toEqual(expected);
    }
    for (const queue of queueNames) {
      const expected = fn.sendsTo.includes(queue) ? { Ref: logicalIdOf('AWS::SQS::Queue', queue) } : undefined;
      expect(environment()[definition.queues[queue].envVar]).toEqual(expected);
    }
  });

  it('knows the service, SMS mode, public base URL and, if it signs links, where the signing key is', () => {
    expect(environment()).toMatchObject({
      POWERTOOLS_SERVICE_NAME: 'dutyline',
      [definition.settings.smsMode]: 'sns',
    });
    // No --enable-source-maps: reading the map at every cold start doubled init (infra/bundling.ts).
    expect(environment().NODE_OPTIONS).toBeUndefined();
    expect(environment()[definition.settings.publicBaseUrl]).toBeDefined();
    expect(environment()[definition.settings.linkSecretArn] !== undefined).toBe(fn.signsLinks);
  });

  it('may write only the tables it writes, and read only those it reads', () => {
    const statements = statementsOf(name);
    for (const table of tableNames) {
      const tableId = logicalIdOf('AWS::DynamoDB::Table', table);
      const actions = statements.filter((s) => s.Effect === 'Allow' && mentions(s, tableId)).flatMap(actionsOf);
      expect(actions.includes('dynamodb:GetItem')).toBe(fn.reads.includes(table) || fn.writes.includes(table));
      expect(actions.includes('dynamodb:PutItem')).toBe(fn.writes.includes(table));
    }
  });

  it(fn.sendsSms ? 'may send SMS, but not publish to a topic' : 'may not send SMS', () => {
    const publish = statementsOf(name).filter((s) => actionsOf(s).includes('sns:Publish'));
    if (!fn.sendsSms) return expect(publish).toEqual([]);
    expect(publish).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Resource: '*',
        Condition: { StringEquals: { 'aws:RequestedRegion': { Ref: 'AWS::Region' } } },
      }),
    );
    expect(publish).toContainEqual(expect.objectContaining({ Effect: 'Deny' }));
  });
});

describe('deployment context', () => {
  it('uses the HTTP API URL as the public base URL unless one is given', () => {
    const apiId = Object.keys(template.findResources('AWS::ApiGatewayV2::Api'))[0]!;
    for (const name of functionNames) {
      const variables = propertiesOf('AWS::Lambda::Function', name).Environment.Variables;
      expect(variables[definition.settings.publicBaseUrl]).toEqual({ 'Fn::GetAtt': [apiId, 'ApiEndpoint'] });
    }
  });

  it('passes a given public base URL and SMS origination identity to the functions that need them', () => {
    const given = synthesize({ publicBaseUrl: 'https://dutyline.example.org', smsOriginationIdentity: 'pool-0123456789abcdef' });
    const json = given.toJSON().Resources as Record<string, Json>;
    const functions = Object.values(json).filter((r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.[definitionKeyMetadata]);
    for (const resource of functions) {
      const fn = definition.functions[resource.Metadata[definitionKeyMetadata] as FunctionName];
      const variables = resource.Properties.Environment.Variables;
      expect(variables[definition.settings.publicBaseUrl]).toBe('https://dutyline.example.org');
      expect(variables[definition.settings.smsOriginationIdentity]).toBe(fn.sendsSms ? 'pool-0123456789abcdef' : undefined);
    }
    given.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sms-voice:SendTextMessage',
            Resource: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':pool/pool-0123456789abcdef$')])] },
          }),
        ]),
      },
    });
  });

  const retentionOf = (given: Template) =>
    Object.values(given.toJSON().Resources as Record<string, Json>)
      .filter((r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.[definitionKeyMetadata])
      .map((r) => {
        const variables = r.Properties.Environment.Variables;
        return [r.Metadata[definitionKeyMetadata], variables[definition.settings.detailsRetentionDays], variables[definition.settings.unclosedDetailsRetentionDays]];
      });
  const changesReferrals = (name: FunctionName) => definition.functions[name].writes.includes('referrals');

  it('keeps the person\'s details 30 days after closing, or 90 from receipt, unless told otherwise: every function that writes referrals is told', () => {
    for (const [name, afterClose, unclosed] of retentionOf(template)) {
      expect([afterClose, unclosed], name).toEqual(changesReferrals(name) ? ['30', '90'] : [undefined, undefined]);
    }
    expect(changesReferrals('createReferral') && changesReferrals('closeReferral') && changesReferrals('managerPages')).toBe(true);
  });

  it('takes the retention from the props or from the detailsRetentionDays and unclosedDetailsRetentionDays context', () => {
    for (const [name, afterClose, unclosed] of retentionOf(synthesize({ detailsRetentionDays: 7, unclosedDetailsRetentionDays: 60 }))) {
      if (changesReferrals(name)) expect([afterClose, unclosed], name).toEqual(['7', '60']);
    }
    // `cdk deploy -c detailsRetentionDays=14` gives a string.
    const app = new App({ context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [], detailsRetentionDays: '14' } });
    const fromContext = Template.fromStack(new DutylineStack(app, 'Dutyline'));
    expect(retentionOf(fromContext).find(([name]) => name === 'closeReferral')).toEqual(['closeReferral', '14', '90']);
  });

  it.each([
    [{ detailsRetentionDays: -1 }, 'detailsRetentionDays must be a whole number of days from 0 to 3650'],
    [{ detailsRetentionDays: 1.5 }, 'detailsRetentionDays must be a whole number of days from 0 to 3650'],
    [{ unclosedDetailsRetentionDays: 0 }, 'unclosedDetailsRetentionDays must be a whole number of days from 1 to 3650'],
  ])('refuses a retention of %o, naming the setting', (props, message) => {
    expect(() => synthesize(props)).toThrow(message);
  });

  it('outputs the API URL, user pool, web client and inbound SMS topic', () => {
    const outputs = Object.keys(template.toJSON().Outputs);
    expect(outputs).toEqual(expect.arrayContaining(['ApiUrl', 'UserPoolId', 'UserPoolClientId', 'InboundSmsTopicArn']));
  });
});

describe('functions that change referrals', () => {
  // Any of them may be the one to finish effects another left pending (SMS, timers, queueing,
  // busy markers), so each must hold every permission an effect needs. Those that write the table
  // only for its counters and claims (writesReferralCountersOnly) change no referral.
  const changers = functionNames.filter((name) => definition.functions[name].writes.includes('referrals') && !definition.functions[name].writesReferralCountersOnly);

  it.each(changers)('%s can queue, set timers, text and mark AMHPs busy', (name) => {
    const id = logicalIdOf('AWS::Lambda::Function', name);
    const environment = resources[id]!.Properties.Environment.Variables as Json;
    for (const queue of queueNames) expect(environment[definition.queues[queue].envVar], queue).toBeDefined();
    for (const table of tableNames) expect(environment[definition.tables[table].envVar], table).toBeDefined();
    expect(definition.functions[name].writes).toEqual(expect.arrayContaining(['referrals', 'directory']));
    expect(definition.functions[name].sendsSms).toBe(true);
  });
});

describe('voice calls after unanswered pages', () => {
  /** Each function's IAM statements in a template synthesized with the given props. */
  const statementsIn = (given: Template) => {
    const json = given.toJSON().Resources as Record<string, Json>;
    const policies = Object.values(json).filter((r) => r.Type === 'AWS::IAM::ManagedPolicy' || r.Type === 'AWS::IAM::Policy');
    return (name: FunctionName): Json[] => {
      const fn = Object.values(json).find((r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.[definitionKeyMetadata] === name)!;
      const roleId = fn.Properties.Role['Fn::GetAtt'][0];
      return policies.filter((p) => (p.Properties.Roles ?? []).some((role: Json) => role.Ref === roleId)).flatMap((p) => p.Properties.PolicyDocument.Statement);
    };
  };
  const callStatements = (statements: Json[]) => statements.filter((s) => actionsOf(s).some((action) => action.startsWith('sms-voice:SendVoice')));

  it('grants exactly sms-voice:SendVoiceMessage, on the origination identity, to the functions that place calls and no other', () => {
    const statementsOfFn = statementsIn(synthesize({ smsOriginationIdentity: 'pool-0123456789abcdef' }));
    const callers = functionNames.filter((name) => definition.functions[name].placesCalls);
    expect(callers).toEqual(expect.arrayContaining(['escalator', 'router', 'reconciler']));
    for (const name of functionNames) {
      const statements = callStatements(statementsOfFn(name));
      if (!definition.functions[name].placesCalls) {
        expect(statements, name).toEqual([]);
        continue;
      }
      expect(statements, name).toEqual([
        expect.objectContaining({
          Effect: 'Allow',
          Action: 'sms-voice:SendVoiceMessage',
          Resource: { 'Fn::Join': ['', expect.arrayContaining([expect.stringMatching(/:pool\/pool-0123456789abcdef$/)])] },
        }),
      ]);
    }
  });

  it('grants no calls at all without an End User Messaging origination identity (SNS SMS has no voice channel)', () => {
    for (const name of functionNames) expect(callStatements(statementsOf(name)), name).toEqual([]);
  });

  it('every function that changes a referral may place the calls an outbox holds', () => {
    // Those that write the referrals table only for its counters and claims change no referral.
    for (const name of functionNames.filter((n) => definition.functions[n].writes.includes('referrals') && !definition.functions[n].writesReferralCountersOnly)) {
      expect(definition.functions[name].placesCalls, name).toBe(true);
    }
  });
});

describe('shift notices', () => {
  const allowed = (name: FunctionName) => statementsOf(name).filter((s) => s.Effect === 'Allow');

  it('run every 5 minutes from EventBridge, one run at a time, the next run being the retry', () => {
    const fnId = logicalIdOf('AWS::Lambda::Function', 'shiftNotices');
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] } })],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: fnId },
      MaximumRetryAttempts: 0,
    });
    expect(definition.functions.shiftNotices.reservedConcurrency).toBe(1);
  });

  it.each(['shiftNotices', 'addRotaOverrides'] as const)(
    '%s may read the rota and staff, send SMS and write the referrals table for its claims and quota, and nothing an outbox needs',
    (name) => {
      const fn = definition.functions[name];
      expect(fn).toMatchObject({ sendsSms: true, sendsTo: [], writesReferralCountersOnly: true });
      expect(fn.placesCalls).toBeUndefined();
      const actions = allowed(name).flatMap(actionsOf);
      expect(actions.some((action) => action.startsWith('sqs:'))).toBe(false);
      expect(actions.some((action) => action.startsWith('sms-voice:SendVoice'))).toBe(false);
      expect(actions.some((action) => action.startsWith('secretsmanager:'))).toBe(false);
      const directoryId = logicalIdOf('AWS::DynamoDB::Table', 'directory');
      const directoryActions = allowed(name).filter((s) => mentions(s, directoryId)).flatMap(actionsOf);
      expect(directoryActions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
      expect(directoryActions.includes('dynamodb:PutItem')).toBe(name === 'addRotaOverrides');
      const referralsId = logicalIdOf('AWS::DynamoDB::Table', 'referrals');
      expect(allowed(name).filter((s) => mentions(s, referralsId)).flatMap(actionsOf)).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']));
    },
  );
});

describe('the morning handover', () => {
  it('runs every 5 minutes, one run at a time, and may write referrals, arm their timers and send SMS', () => {
    const fnId = logicalIdOf('AWS::Lambda::Function', 'handover');
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] } })],
    });
    expect(definition.functions.handover).toMatchObject({ reservedConcurrency: 1, sendsSms: true });
    expect(definition.functions.handover.sendsTo).toContain('escalationTimers');
    expect(definition.functions.handover.writes).toContain('referrals');
    const actions = statementsOf('handover').filter((s) => s.Effect === 'Allow').flatMap(actionsOf);
    expect(actions).toEqual(expect.arrayContaining(['sqs:SendMessage', 'dynamodb:PutItem']));
    expect(actions.some((action) => action.startsWith('sms-voice:SendVoice'))).toBe(false);
  });
});

describe('the canary', () => {
  const canaryStatements = () => statementsOf('canary').filter((s) => s.Effect === 'Allow');

  it('runs every 15 minutes by default, and as often as canaryScheduleMinutes says', () => {
    const fnId = logicalIdOf('AWS::Lambda::Function', 'canary');
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(15 minutes)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] } })],
    });
    const every5 = synthesize({ canaryScheduleMinutes: 5 });
    every5.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)' });
    every5.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'CanarySucceeded', Period: 600 });
  });

  it('alarms when CanarySucceeded is 0 or missing: missing data is breaching, over two runs', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'dutyline',
      MetricName: 'CanarySucceeded',
      Dimensions: [{ Name: 'service', Value: 'dutyline' }],
      Statistic: 'Minimum',
      Period: 1800,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [Match.anyValue()],
    });
  });

  it('may read its own credentials secret and nothing of the data: no table, queue, topic or SMS', () => {
    const secretId = Object.keys(template.findResources('AWS::SecretsManager::Secret')).find((id) => id.startsWith('CanaryCredentials'));
    expect(secretId).toBeDefined();
    const actions = canaryStatements().flatMap(actionsOf).sort();
    expect(actions.filter((a) => !a.startsWith('logs:') && !a.startsWith('xray:'))).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    // The secret's key lets the canary's role decrypt only through Secrets Manager (the key policy).
    const roleId = propertiesOf('AWS::Lambda::Function', 'canary').Role['Fn::GetAtt'][0];
    const keyStatements = template.toJSON().Resources[keyId()].Properties.KeyPolicy.Statement as Json[];
    const forCanary = keyStatements.filter((s) => JSON.stringify(s.Principal).includes(`"${roleId}"`));
    expect(forCanary.flatMap(actionsOf)).toContain('kms:Decrypt');
    for (const statement of forCanary) expect(JSON.stringify(statement.Condition)).toContain('secretsmanager.');
    const secretsStatement = canaryStatements().find((s) => actionsOf(s).includes('secretsmanager:GetSecretValue'));
    expect(secretsStatement?.Resource).toEqual({ Ref: secretId });
    for (const statement of statementsOf('canary')) expect(actionsOf(statement).some((a) => /^(dynamodb|sqs|sns|sms-voice):/.test(a))).toBe(false);
    for (const name of functionNames.filter((n) => n !== 'canary')) {
      expect(statementsOf(name).filter((s) => mentions(s, secretId!))).toEqual([]);
    }
  });

  it('calls the HTTP API over HTTPS, signing in through its own USER_PASSWORD_AUTH client, which the authorizer accepts', () => {
    const environment = propertiesOf('AWS::Lambda::Function', 'canary').Environment.Variables as Json;
    expect(JSON.stringify(environment.CANARY_API_URL)).toContain('https://');
    expect(environment.CANARY_PHONE).toMatch(/^\+447\d{9}$/);
    const clients = template.findResources('AWS::Cognito::UserPoolClient');
    const canaryClientId = Object.keys(clients).find((id) => id.includes('CanaryClient'))!;
    expect(clients[canaryClientId]!.Properties).toMatchObject({ ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], GenerateSecret: false });
    expect(clients[canaryClientId]!.Properties.AllowedOAuthFlows).toBeUndefined();
    expect(environment.CANARY_USER_POOL_CLIENT_ID).toEqual({ Ref: canaryClientId });
    const authorizer = Object.values(template.findResources('AWS::ApiGatewayV2::Authorizer'))[0]!;
    expect(JSON.stringify(authorizer.Properties.JwtConfiguration.Audience)).toContain(canaryClientId);
  });

  it('texts the phone canaryPhone names', () => {
    const withPhone = synthesize({ canaryPhone: '+447700900555' }).toJSON().Resources as Record<string, Json>;
    const canaryFn = Object.values(withPhone).find((r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.[definitionKeyMetadata] === 'canary')!;
    expect(canaryFn.Properties.Environment.Variables.CANARY_PHONE).toBe('+447700900555');
  });
});
