/**
 * The response-time report as CSV, one row per group: which referrals (all or s136), how they are
 * grouped, the group, and every figure. Durations in seconds; rates as fractions (0.25 is 25%).
 */
import { csvRow } from './audit.ts';
import type { Breakdown, DurationSummary, GroupStatistics, ResponseTimeReport } from './response-times.ts';

export interface ReportLabels {
  teams: Readonly<Record<string, string>>;
  amhps: Readonly<Record<string, string>>;
}

const durations = ['timeToFirstPage', 'timeToAccept', 'timeToClose', 'pageToAccept'] as const;
const durationColumns = {
  timeToFirstPage: 'first_page',
  timeToAccept: 'accept',
  timeToClose: 'close',
  pageToAccept: 'page_to_accept',
} as const;

export const responseTimeColumns = [
  'referrals_in',
  'grouping',
  'key',
  'label',
  'referrals',
  'accepted',
  'closed',
  'awaiting_acceptance',
  ...durations.flatMap((d) => [`${durationColumns[d]}_count`, `${durationColumns[d]}_p50_s`, `${durationColumns[d]}_p90_s`, `${durationColumns[d]}_max_s`]),
  'escalated',
  'escalation_rate',
  'pages',
  'declines',
  'decline_rate',
  'exhausted',
  'no_one_on_duty_incidents',
  'no_one_on_duty_referrals',
];

const summaryCells = (s: DurationSummary) => [s.count, s.p50, s.p90, s.max];

function groupRow(subset: string, grouping: string, label: string, group: GroupStatistics): string {
  return csvRow([
    subset,
    grouping,
    group.key,
    label,
    group.referrals,
    group.accepted,
    group.closed,
    group.awaitingAcceptance,
    ...durations.flatMap((d) => summaryCells(group[d])),
    group.escalated,
    group.escalationRate,
    group.pages,
    group.declines,
    group.declineRate,
    group.exhausted,
    group.noOneOnDuty.incidents,
    group.noOneOnDuty.referrals,
  ]);
}

function breakdownRows(subset: string, breakdown: Breakdown, labels: ReportLabels): string[] {
  return [
    groupRow(subset, 'all', 'All referrals', breakdown.overall),
    ...breakdown.byDay.map((g) => groupRow(subset, 'day', g.key, g)),
    ...breakdown.byWeek.map((g) => groupRow(subset, 'week', g.key, g)),
    ...breakdown.byHour.map((g) => groupRow(subset, 'hour', `${g.key}:00`, g)),
    ...breakdown.byTeam.map((g) => groupRow(subset, 'team', labels.teams[g.key] ?? g.key, g)),
    ...breakdown.byAmhp.map((g) => groupRow(subset, 'amhp', labels.amhps[g.key] ?? g.key, g)),
  ];
}

export function responseTimesCsv(report: ResponseTimeReport, labels: ReportLabels): string {
  return (
    [
      csvRow(responseTimeColumns),
      ...breakdownRows('all', report.all, labels),
      ...breakdownRows('s136', report.s136, labels),
    ].join('\r\n') + '\r\n'
  );
}
