import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { constructId } from './definition-keys.ts';

export interface OperationalAlarmsProps {
  key: IKey;
  /** Who is told; without it the alarms still show in CloudWatch and on the topic. */
  email?: string;
}

/**
 * A referral that got a 2xx must never be lost, so anything in a dead-letter queue, and any
 * function error, wakes someone up.
 */
export class OperationalAlarms extends Construct {
  readonly topic: Topic;
  /** Every alarm made here, for the dashboard's alarm status widget (infra/constructs/monitoring.ts). */
  readonly alarms: Alarm[] = [];
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: OperationalAlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { masterKey: props.key, enforceSSL: true });
    // CloudWatch publishes to the encrypted topic as a service, so the key must let it encrypt.
    props.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsEncryptNotifications',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
      }),
    );
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
    this.action = new SnsAction(this.topic);
  }

  deadLetters(name: string, queue: IQueue): void {
    this.alarm(constructId(name, 'DeadLettersAlarm'), {
      description: `Messages are waiting in the ${name} dead-letter queue: a referral step failed every retry.`,
      metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
    });
  }

  functionErrors(name: string, handler: IFunction): void {
    this.alarm(constructId(name, 'ErrorsAlarm'), {
      description: `The ${name} function failed.`,
      metric: handler.metricErrors({ period: Duration.minutes(1), statistic: 'Sum' }),
    });
  }

  /** Any other metric that must tell the operators when it reaches one in a period (SMS failures, overdue referrals). */
  metricAlarm(id: string, props: { description: string; metric: IMetric }): Alarm {
    return this.alarm(id, props);
  }

  /** A metric that must keep reporting 1 (the canary's `CanarySucceeded`): a 0, or no figure at all, alarms. */
  heartbeatAlarm(id: string, props: { description: string; metric: IMetric }): Alarm {
    return this.alarm(id, props, { comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD, treatMissingData: TreatMissingData.BREACHING });
  }

  private alarm(
    id: string,
    props: { description: string; metric: IMetric },
    when = { comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, treatMissingData: TreatMissingData.NOT_BREACHING },
  ): Alarm {
    const alarm = new Alarm(this, id, {
      alarmDescription: props.description,
      metric: props.metric,
      threshold: 1,
      evaluationPeriods: 1,
      ...when,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }
}
