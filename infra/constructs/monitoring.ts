import { Duration } from 'aws-cdk-lib';
import {
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  SingleValueWidget,
  TextWidget,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FunctionName, QueueName } from '../definition.ts';
import { METRICS_NAMESPACE, METRICS_SERVICE } from '../../shared/adapters/powertools-metrics.ts';
import type { CountMetric, DurationMetric } from '../../shared/ports.ts';
import type { OperationalAlarms } from './alarms.ts';

export interface MonitoringProps {
  /** The operators' alarms and SNS topic: dead letters and function errors are already there. */
  alarms: OperationalAlarms;
  functions: Record<FunctionName, IFunction>;
  queues: Record<QueueName, IQueue>;
  deadLetterQueues: Record<QueueName, IQueue>;
}

/** dutyline's own metrics, as the Powertools adapter writes them (shared/adapters/powertools-metrics.ts). */
export function dutylineMetric(name: CountMetric | DurationMetric, statistic: string, period = Duration.minutes(5)): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { service: METRICS_SERVICE },
    statistic,
    period,
  });
}

/** The same, labelled for a graph (an alarm's metric stays unlabelled, so it is a plain metric alarm). */
const charted = (name: CountMetric | DurationMetric, statistic: string, period?: Duration) =>
  dutylineMetric(name, statistic, period).with({ label: `${name} (${statistic})` });

/**
 * What operators watch: a CloudWatch dashboard of referrals received, pages, escalations, time to
 * accept, SMS failures, queues and function errors; and, beside the dead-letter and error alarms
 * that OperationalAlarms already raises, alarms for any SMS that could not be delivered and for a
 * referral left unaccepted past its team's limit (its escalation chain ran out). All alarms go to
 * the operators' SNS topic.
 */
export class Monitoring extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { alarms } = props;

    alarms.metricAlarm('SmsFailuresAlarm', {
      description: 'An SMS (a page, a reply, an alert) could not be delivered after retries: check the SMS provider and the phone numbers.',
      metric: dutylineMetric('SmsFailures', 'Sum', Duration.minutes(5)),
    });
    alarms.metricAlarm('EffectsSetAsideAlarm', {
      description:
        'An effect (a text, a page, a timer) was given up after failing (an opted-out or invalid number, or too many attempts): the manager or fallback was texted; check the referral and the phone numbers.',
      metric: dutylineMetric('EffectsSetAside', 'Sum', Duration.minutes(1)),
    });
    alarms.metricAlarm('UnacceptedPastLimitAlarm', {
      description:
        "A referral was not accepted within its team's limit: every AMHP in its escalation chain was paged, and the manager and fallback number alerted. Open the managers' live board.",
      metric: dutylineMetric('ReferralsUnacceptedPastLimit', 'Sum', Duration.minutes(1)),
    });
    // Nothing ends in silence (SPEC): each path that leaves a referral with nobody working on it.
    alarms.metricAlarm('ReferralsUnroutedAlarm', {
      description:
        'A referral came from a postcode district no team covers, and no default team is set: it is unrouted and the service fallback phone was texted. Add the area to a team or set a default team, then route it again.',
      metric: dutylineMetric('ReferralsUnrouted', 'Sum', Duration.minutes(1)),
    });
    alarms.metricAlarm('ClockExpiriesAlarm', {
      description:
        'A statutory clock ran out on an open referral: detention past it is unlawful. The manager on duty, the accepting AMHP and the fallback were texted; open the referral on the live board.',
      metric: dutylineMetric('ClockExpiries', 'Sum', Duration.minutes(1)),
    });
    alarms.metricAlarm('NobodyToPageAlarm', {
      description: "A referral's team had nobody on duty to page: its manager, its fallback phone or the service fallback was texted. Check the team's rota.",
      metric: dutylineMetric('NobodyToPage', 'Sum', Duration.minutes(1)),
    });
    alarms.metricAlarm('ServiceFallbackAlertsAlarm', {
      description: 'The service fallback phone was texted about a referral, since no team contact could be: someone must find an AMHP now.',
      metric: dutylineMetric('ServiceFallbackAlerts', 'Sum', Duration.minutes(1)),
    });
    alarms.metricAlarm('NobodyToldAlarm', {
      description:
        'A referral reached nobody and nobody could be told: no team contact and no service fallback phone is set (PUT /api/service). Open the managers\' live board now.',
      metric: dutylineMetric('NobodyTold', 'Sum', Duration.minutes(1)),
    });
    alarms.metricAlarm('HandoversUnacknowledgedAlarm', {
      description:
        "A referral on a team's morning handover list was not marked received by the day service in time: the manager on duty or fallback (and later the service fallback) was texted. Open the Handover page.",
      metric: dutylineMetric('HandoversUnacknowledged', 'Sum', Duration.minutes(1)),
    });
    alarms.metricAlarm('TimersRearmedAlarm', {
      description:
        'The reconciler found a referral whose escalation timer, clock warning or routing was overdue (its SQS message lost or dead-lettered) and armed it again: check the timer and referral queues and their dead letters.',
      metric: dutylineMetric('TimersRearmed', 'Sum', Duration.minutes(5)),
    });
    alarms.metricAlarm('RollupsNotMarkedStaleAlarm', {
      description:
        "A change to a referral could not mark its day's statistics roll-up stale: that team's figures for the day may be out of date until the day next changes. The log line 'statistics roll-up not marked stale' names the team and day.",
      metric: dutylineMetric('RollupsNotMarkedStale', 'Sum', Duration.minutes(5)),
    });

    const count = (name: CountMetric, period?: Duration) => charted(name, 'Sum', period);
    const functionNames = Object.keys(props.functions).sort() as FunctionName[];
    const queueNames = Object.keys(props.queues).sort() as QueueName[];
    const day = Duration.hours(24);

    this.dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(24),
      widgets: [
        [
          new TextWidget({
            markdown:
              '# dutyline\nReferrals, pages and escalations from the functions\' own metrics (CloudWatch EMF, namespace `dutyline`). ' +
              "Per-team and per-AMHP response times are on the managers' Response times page.",
            width: 24,
            height: 2,
          }),
        ],
        [
          new SingleValueWidget({
            title: 'Last 24 hours',
            metrics: [
              count('ReferralsReceived', day),
              count('ReferralsAccepted', day),
              count('Escalations', day),
              count('ReferralsUnacceptedPastLimit', day),
              count('NoOneOnDuty', day),
              count('SmsFailures', day),
            ],
            width: 24,
            height: 4,
          }),
        ],
        [
          new GraphWidget({
            title: 'Referrals',
            left: [count('ReferralsReceived'), count('ReferralsAccepted'), count('ReferralsClosed'), count('PagesSent'), count('VoiceCallsPlaced'), count('ShiftNoticesSent')],
            width: 8,
          }),
          new GraphWidget({
            title: 'Time to accept (seconds)',
            left: ['p50', 'p90', 'Maximum'].map((statistic) => charted('TimeToAccept', statistic, Duration.hours(1))),
            width: 8,
          }),
          new GraphWidget({
            title: 'Time to first page (seconds)',
            left: ['p50', 'p90', 'Maximum'].map((statistic) => charted('TimeToFirstPage', statistic, Duration.hours(1))),
            width: 8,
          }),
        ],
        [
          new GraphWidget({
            title: 'Escalations and failures',
            left: [
              count('Escalations'),
              count('NoOneOnDuty'),
              count('ReferralsUnacceptedPastLimit'),
              count('SmsFailures'),
              count('VoiceCallFailures'),
              count('CoverageGapAlerts'),
              count('EmptyPositionAlerts'),
              count('UnverifiedPhonePaged'),
              count('HandoversUnacknowledged'),
              count('ReferralsUnrouted'),
              count('NobodyToPage'),
              count('ServiceFallbackAlerts'),
              count('NobodyTold'),
              count('TimersRearmed'),
            ],
            width: 12,
          }),
          new GraphWidget({
            title: 'Escalation rate (%)',
            left: [
              new MathExpression({
                expression: 'IF(received > 0, 100 * escalations / received, 0)',
                usingMetrics: { escalations: count('Escalations', Duration.hours(1)), received: count('ReferralsReceived', Duration.hours(1)) },
                label: 'Escalations per 100 referrals received',
                period: Duration.hours(1),
              }),
            ],
            width: 12,
          }),
        ],
        [
          new GraphWidget({
            title: 'Dead-letter queues (messages)',
            left: queueNames.map((name) =>
              props.deadLetterQueues[name].metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(1), label: name }),
            ),
            width: 12,
          }),
          new GraphWidget({
            title: 'Oldest message waiting (seconds)',
            left: queueNames.map((name) => props.queues[name].metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: Duration.minutes(1), label: name })),
            width: 12,
          }),
        ],
        [
          new GraphWidget({
            title: 'Lambda errors',
            left: functionNames.map((name): IMetric => props.functions[name].metricErrors({ statistic: 'Sum', period: Duration.minutes(5), label: name })),
            width: 12,
            height: 8,
          }),
          new GraphWidget({
            title: 'Lambda throttles',
            left: functionNames.map((name): IMetric => props.functions[name].metricThrottles({ statistic: 'Sum', period: Duration.minutes(5), label: name })),
            width: 12,
            height: 8,
          }),
        ],
        [
          // The canary's synthetic referrals (shared/app/canary.ts): whether each run passed, and how long its steps took.
          new GraphWidget({
            title: 'Canary: runs passed (1) or failed (0)',
            left: [charted('CanarySucceeded', 'Minimum', Duration.minutes(15))],
            leftYAxis: { min: 0, max: 1 },
            width: 12,
          }),
          new GraphWidget({
            title: 'Canary: step times (seconds)',
            left: (['CanaryDuration', 'CanarySubmitDuration', 'CanaryRoutedAndPagedDuration', 'CanaryAcceptDuration', 'CanaryCloseDuration'] as const).map((name) =>
              charted(name, 'Maximum', Duration.minutes(15)),
            ),
            width: 12,
          }),
        ],
        [new AlarmStatusWidget({ title: 'Alarms', alarms: alarms.alarms, width: 24, height: 6 })],
      ],
    });
  }
}
