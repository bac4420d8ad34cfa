/**
 * The assessment figures as CSV, one figure a row (`grouping`, `key`, `label`, `measure`, `value`),
 * so that new measures add rows, never columns: a spreadsheet built on it keeps working. Durations
 * in seconds, hours lost in hours, shares as fractions (0.25 is 25%). A download of its own beside
 * the response-time CSV, whose columns stay as they were.
 */
import { csvRow } from './audit.ts';
import type { AssessmentFiguresReport, AssessmentGroup } from './assessment-figures.ts';
import { delayReasons } from './referral-events/delays.ts';
import type { DurationSummary } from './response-times.ts';
import type { ReportLabels } from './response-times-csv.ts';

export const assessmentFigureColumns = ['grouping', 'key', 'label', 'measure', 'value'] as const;

type Row = [string, string, string, string, number | string | null];

const summaryRows = (prefix: string, s: DurationSummary): [string, number | null][] => [
  [`${prefix}_count`, s.count],
  [`${prefix}_p50_s`, s.p50],
  [`${prefix}_p90_s`, s.p90],
  [`${prefix}_max_s`, s.max],
];

function groupRows(grouping: string, label: string, g: AssessmentGroup): Row[] {
  const measures: [string, number | null][] = [
    ['referrals', g.referrals],
    ['arrived_at_place_of_safety', g.arrived],
    ...summaryRows('arrival_to_assessment', g.arrivalToAssessment),
    ['assessment_within_3h', g.withinStandard.met],
    ['assessment_within_3h_counted', g.withinStandard.counted],
    ['assessment_within_3h_share', g.withinStandard.share],
    ...summaryRows('arrival_to_decision', g.arrivalToDecision),
    ...summaryRows('arrival_to_admission', g.arrivalToAdmission),
    ...delayReasons.map((reason): [string, number] => [`hours_lost_${reason}`, g.hoursLost[reason]]),
    ['delayed_referrals', g.delayedReferrals],
    ['breached_clocks', g.breaches.clocks],
    ['breached_referrals', g.breaches.referrals],
    ['breached_before_referral', g.breaches.beforeReferral],
    ...Object.entries(g.breaches.byKind).map(([kind, n]): [string, number] => [`breached_${kind}`, n]),
    ['s136b_extensions', g.s136bExtensions.count],
    ['s136b_extension_hours', g.s136bExtensions.hours],
    ['s136b_extensions_at_police_station', g.s136bExtensions.atPoliceStation],
    ['police_station_referrals', g.policeStation.referrals],
    ['police_station_first_place', g.policeStation.firstPlace],
    ['under_18_referrals', g.under18.referrals],
    ['under_18_at_police_station', g.under18.atPoliceStation],
    ...Object.entries(g.outcomes).map(([outcome, n]): [string, number] => [`outcome_${outcome}`, n]),
    ['admitted', g.admitted],
  ];
  return measures.map(([measure, value]) => [grouping, g.key, label, measure, value]);
}

export function assessmentFiguresCsv(report: AssessmentFiguresReport, labels: ReportLabels): string {
  const rows: Row[] = [
    ...groupRows('all', 'All referrals', report.overall),
    ...report.byTeam.flatMap((g) => groupRows('team', labels.teams[g.key] ?? g.key, g)),
    ...report.byAmhp.flatMap((g) => groupRows('amhp', labels.amhps[g.key] ?? g.key, g)),
    ...report.byHour.flatMap((g) => groupRows('hour', `${g.key}:00`, g)),
    ...report.byLegalStatus.flatMap((s): Row[] => [
      ['legal_status', s.legalStatus, s.legalStatus, 'referrals', s.referrals],
      ...Object.entries(s.outcomes).map(([outcome, n]): Row => ['legal_status', s.legalStatus, s.legalStatus, `outcome_${outcome}`, n]),
      ['legal_status', s.legalStatus, s.legalStatus, 'admitted', s.admitted],
    ]),
    ['home_office_s136', 'all', 'All s136 detentions', 'detentions', report.policePowers.detentions],
    ...report.policePowers.rows.flatMap((row): Row[] => [
      ['home_office_s136', row.place, row.place, 'under_18', row.under18],
      ['home_office_s136', row.place, row.place, '18_and_over', row.adult],
      ['home_office_s136', row.place, row.place, 'age_not_known', row.notKnown],
      ['home_office_s136', row.place, row.place, 'total', row.total],
    ]),
    ...Object.entries(report.headline).flatMap(([measure, value]): Row[] =>
      typeof value === 'object' && value !== null
        ? Object.entries(value).map(([part, n]): Row => ['headline', 'all', 'Headline measures', `${measure}_${part}`, n as number])
        : [['headline', 'all', 'Headline measures', measure, value as number | null]],
    ),
  ];
  return [csvRow([...assessmentFigureColumns]), ...rows.map((row) => csvRow(row))].join('\r\n') + '\r\n';
}
