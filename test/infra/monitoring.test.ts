import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { definitionKeyMetadata } from '../../infra/constructs/definition-keys.ts';
import * as definition from '../../infra/definition.ts';
import type { FunctionName } from '../../infra/definition.ts';
import { DutylineStack } from '../../infra/stack.ts';
import { METRICS_NAMESPACE, METRICS_SERVICE, PowertoolsMetrics } from '../../shared/adapters/powertools-metrics.ts';

// CloudFormation JSON is untyped; the assertions below are what check its shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context as Json;

let template: Template;
let resources: Record<string, Json>;
let dashboardBody: string;

beforeAll(() => {
  // Bundling skipped: the test is about the template, not the function code.
  const app = new App({ context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] } });
  template = Template.fromStack(new DutylineStack(app, 'Dutyline', { alarmEmail: 'operators@example.org' }));
  resources = template.toJSON().Resources;
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  // The body is a Fn::Join of JSON text and references: its literal parts are enough to read.
  const body = dashboards[0]!.Properties.DashboardBody;
  dashboardBody = typeof body === 'string' ? body : (body['Fn::Join'][1] as unknown[]).map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join('');
});

const alarms = () => Object.entries(template.findResources('AWS::CloudWatch::Alarm'));
const logicalIdOf = (type: string, key: string) =>
  Object.keys(resources).find((id) => resources[id]!.Type === type && resources[id]!.Metadata?.[definitionKeyMetadata] === key)!;

/** The operators' topic: the one the email subscription is on. */
function operatorsTopicId(): string {
  const subscriptions = Object.values(template.findResources('AWS::SNS::Subscription', { Properties: { Protocol: 'email' } }));
  expect(subscriptions).toHaveLength(1);
  return subscriptions[0]!.Properties.TopicArn.Ref as string;
}

const customMetricAlarm = (metricName: string) =>
  alarms().filter(([, alarm]) => alarm.Properties.Namespace === METRICS_NAMESPACE && alarm.Properties.MetricName === metricName);

describe("the operators' alarms", () => {
  it('raise an alarm on any SMS that could not be delivered, from the functions’ own metric', () => {
    const found = customMetricAlarm('SmsFailures');
    expect(found).toHaveLength(1);
    expect(found[0]![1].Properties).toMatchObject({
      Dimensions: [{ Name: 'service', Value: METRICS_SERVICE }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it("raise an alarm within a minute of a referral left unaccepted past its team's limit", () => {
    const found = customMetricAlarm('ReferralsUnacceptedPastLimit');
    expect(found).toHaveLength(1);
    expect(found[0]![1].Properties).toMatchObject({ Statistic: 'Sum', Period: 60, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(found[0]![1].Properties.AlarmDescription).toMatch(/not accepted within its team's limit/);
  });

  it.each([
    ['ReferralsUnrouted', /no team covers/],
    ['NobodyToPage', /nobody on duty to page/],
    ['ServiceFallbackAlerts', /service fallback phone was texted/],
    ['NobodyTold', /nobody could be told/],
    ['HandoversUnacknowledged', /not marked received by the day service/],
  ])('raise an alarm within a minute of any %s (nothing ends in silence)', (metric, description) => {
    const found = customMetricAlarm(metric);
    expect(found).toHaveLength(1);
    expect(found[0]![1].Properties).toMatchObject({
      Dimensions: [{ Name: 'service', Value: METRICS_SERVICE }],
      Statistic: 'Sum',
      Period: 60,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    expect(found[0]![1].Properties.AlarmDescription).toMatch(description);
  });

  it('raise an alarm within a minute of an effect set aside after failing', () => {
    const found = customMetricAlarm('EffectsSetAside');
    expect(found).toHaveLength(1);
    expect(found[0]![1].Properties).toMatchObject({ Statistic: 'Sum', Period: 60, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(found[0]![1].Properties.AlarmDescription).toMatch(/given up after failing/);
  });

  it('raise an alarm on any message in any dead-letter queue, the SNS-invoked functions’ own included', () => {
    const deadLetterQueues = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::SQS::Queue' && r.Metadata?.['dutyline:deadLetterFor']);
    expect(deadLetterQueues.length).toBeGreaterThanOrEqual(Object.keys(definition.queues).length + definition.topicTriggers.length);
    for (const [id] of deadLetterQueues) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id, 'QueueName'] } }],
        Threshold: 1,
      });
    }
  });

  it.each(Object.keys(definition.functions) as FunctionName[])('raise an alarm when %s fails', (name) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalIdOf('AWS::Lambda::Function', name) } }],
      Threshold: 1,
    });
  });

  it("all go to the operators' SNS topic, when raised and when cleared", () => {
    const topic = operatorsTopicId();
    expect(alarms().length).toBeGreaterThan(Object.keys(definition.functions).length);
    for (const [id, alarm] of alarms()) {
      expect(alarm.Properties.AlarmActions, id).toEqual([{ Ref: topic }]);
      expect(alarm.Properties.OKActions, id).toEqual([{ Ref: topic }]);
    }
  });

  it('publish to a topic encrypted with the stack key, which CloudWatch may use', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' } })]) },
    });
  });
});

describe('the CloudWatch dashboard', () => {
  it.each(['ReferralsReceived', 'ReferralsAccepted', 'TimeToAccept', 'TimeToFirstPage', 'Escalations', 'SmsFailures', 'ReferralsUnacceptedPastLimit', 'NoOneOnDuty', 'PagesSent', 'ReferralsUnrouted', 'NobodyToPage', 'ServiceFallbackAlerts', 'NobodyTold', 'VoiceCallsPlaced', 'VoiceCallFailures', 'ShiftNoticesSent', 'EmptyPositionAlerts', 'UnverifiedPhonePaged', 'HandoversUnacknowledged'])(
    'charts the %s metric of the dutyline namespace',
    (metric) => {
      expect(dashboardBody).toContain(`["${METRICS_NAMESPACE}","${metric}","service","${METRICS_SERVICE}"`);
    },
  );

  it('charts time to accept as p50, p90 and maximum', () => {
    for (const statistic of ['p50', 'p90', 'Maximum']) expect(dashboardBody).toMatch(new RegExp(`"TimeToAccept","service","dutyline",\\{[^}]*"stat":"${statistic}"`));
  });

  it('charts every dead-letter queue, queue age, and every function’s errors and throttles', () => {
    expect(dashboardBody).toContain('"title":"Dead-letter queues (messages)"');
    expect(dashboardBody.match(/"AWS\/SQS","ApproximateNumberOfMessagesVisible"/g)).toHaveLength(Object.keys(definition.queues).length);
    expect(dashboardBody.match(/"AWS\/SQS","ApproximateAgeOfOldestMessage"/g)).toHaveLength(Object.keys(definition.queues).length);
    expect(dashboardBody.match(/"AWS\/Lambda","Errors"/g)).toHaveLength(Object.keys(definition.functions).length);
    expect(dashboardBody.match(/"AWS\/Lambda","Throttles"/g)).toHaveLength(Object.keys(definition.functions).length);
  });

  it('shows the state of every alarm', () => {
    expect(dashboardBody).toContain('"type":"alarm"');
    const alarmRefs = dashboardBody.match(/Fn::GetAtt[^\]]*Arn/g) ?? [];
    expect(alarmRefs.length).toBe(alarms().length);
  });
});

describe('the metrics the functions write', () => {
  it('are EMF in the namespace and with the only dimension the alarms and dashboard read', () => {
    const metrics = new PowertoolsMetrics();
    metrics.count('SmsFailures');
    metrics.duration('TimeToAccept', 312);
    const emf = metrics.client.serializeMetrics() as Json;
    expect(emf._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: METRICS_NAMESPACE,
        Dimensions: [['service']],
        Metrics: [
          { Name: 'SmsFailures', Unit: 'Count' },
          { Name: 'TimeToAccept', Unit: 'Seconds' },
        ],
      },
    ]);
    expect(emf).toMatchObject({ service: METRICS_SERVICE, SmsFailures: 1, TimeToAccept: 312 });
    metrics.client.clearMetrics();
  });
});
