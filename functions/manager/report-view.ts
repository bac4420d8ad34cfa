/** The Response times page (/manage/response-times): the times to page, accept and close, with charts, by day, week, hour, team and AMHP. */
import type { DurationSummary, GroupStatistics, ResponseTimeReport } from '../../shared/domain/response-times.ts';
import type { ReportLabels } from '../../shared/domain/response-times-csv.ts';
import { button, errorSummary, summaryList, type SummaryError } from '../commons/pages/govuk.ts';
import { html, type SafeHtml } from '../commons/pages/html.ts';
import { barChart, chartColours } from './charts.ts';
import type { ReportWindow } from './window.ts';
import { declinesOfPages, stepsSkippedOnReferrals } from '../../shared/domain/wording.ts';
import { durationText, percentText } from './views.ts';

function timesTable(subset: 'all' | 's136', group: GroupStatistics): SafeHtml {
  const rows: [string, string, DurationSummary][] = [
    ['first-page', 'Received to first page', group.timeToFirstPage],
    ['accept', 'Received to acceptance', group.timeToAccept],
    ['close', 'Received to close', group.timeToClose],
    ['page-to-accept', 'Page to acceptance', group.pageToAccept],
  ];
  const cell = (id: string, value: string) => html`<td class="govuk-table__cell govuk-table__cell--numeric" id="${id}">${value}</td>`;
  return html`<table class="govuk-table" id="${subset}-times"><caption class="govuk-table__caption govuk-table__caption--m">How long it took</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">From and to</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Median (p50)</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">90th percentile (p90)</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Longest</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Referrals counted</th></tr></thead>
<tbody class="govuk-table__body">${rows.map(
    ([id, name, summary]) =>
      html`<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">${name}</th>${cell(`${subset}-${id}-p50`, durationText(summary.p50))}${cell(`${subset}-${id}-p90`, durationText(summary.p90))}${cell(`${subset}-${id}-max`, durationText(summary.max))}${cell(`${subset}-${id}-count`, String(summary.count))}</tr>`,
  )}</tbody></table>`;
}

function headline(subset: 'all' | 's136', group: GroupStatistics): SafeHtml {
  return html`${timesTable(subset, group)}
${summaryList([
  { key: 'Referrals received', value: String(group.referrals), id: `${subset}-referrals` },
  { key: 'Escalation rate', value: html`${percentText(group.escalationRate)} <span class="govuk-hint">(${group.escalated} of ${group.referrals} needed more than their first page)</span>`, id: `${subset}-escalation-rate` },
  { key: 'Decline rate', value: html`${percentText(group.declineRate)} <span class="govuk-hint">(${declinesOfPages(group.declines, group.pages)})</span>`, id: `${subset}-decline-rate` },
  { key: 'Chains exhausted', value: String(group.exhausted), id: `${subset}-exhausted` },
  { key: '"No one on duty"', value: stepsSkippedOnReferrals(group.noOneOnDuty.incidents, group.noOneOnDuty.referrals), id: `${subset}-no-one-on-duty` },
  { key: 'Awaiting acceptance', value: String(group.awaitingAcceptance), id: `${subset}-awaiting` },
])}`;
}

function groupTable(id: string, caption: string, keyHeading: string, groups: readonly GroupStatistics[], label: (key: string) => string): SafeHtml {
  const cell = (value: string) => html`<td class="govuk-table__cell govuk-table__cell--numeric">${value}</td>`;
  return html`<table class="govuk-table" id="${id}"><caption class="govuk-table__caption govuk-table__caption--s">${caption}</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">${keyHeading}</th>
<th scope="col" class="govuk-table__header govuk-table__header--numeric">Referrals</th>
<th scope="col" class="govuk-table__header govuk-table__header--numeric">First page p50 / p90</th>
<th scope="col" class="govuk-table__header govuk-table__header--numeric">Acceptance p50 / p90 / max</th>
<th scope="col" class="govuk-table__header govuk-table__header--numeric">Close p50 / p90</th>
<th scope="col" class="govuk-table__header govuk-table__header--numeric">Escalated</th>
<th scope="col" class="govuk-table__header govuk-table__header--numeric">Declined</th>
<th scope="col" class="govuk-table__header govuk-table__header--numeric">No one on duty</th></tr></thead>
<tbody class="govuk-table__body">${groups.map(
    (g) => html`<tr class="govuk-table__row" data-key="${g.key}"><th scope="row" class="govuk-table__header">${label(g.key)}</th>${cell(String(g.referrals))}${cell(
      `${durationText(g.timeToFirstPage.p50)} / ${durationText(g.timeToFirstPage.p90)}`,
    )}${cell(`${durationText(g.timeToAccept.p50)} / ${durationText(g.timeToAccept.p90)} / ${durationText(g.timeToAccept.max)}`)}${cell(
      `${durationText(g.timeToClose.p50)} / ${durationText(g.timeToClose.p90)}`,
    )}${cell(percentText(g.escalationRate))}${cell(percentText(g.declineRate))}${cell(String(g.noOneOnDuty.incidents))}</tr>`,
  )}</tbody></table>`;
}

const toMinutes = (seconds: number | null) => (seconds === null ? null : Math.round((seconds / 60) * 10) / 10);
const shortDay = (date: string) => `${date.slice(8, 10)}/${date.slice(5, 7)}`;

function charts(report: ResponseTimeReport): SafeHtml {
  const days = report.all.byDay;
  return html`${barChart({
    id: 'chart-accept-by-day',
    title: 'Time to acceptance by day (minutes)',
    description: `Bar chart of the median and 90th percentile time to acceptance for each day from ${days[0]?.key ?? ''} to ${days.at(-1)?.key ?? ''}. The figures are in the table "By day" below.`,
    categories: days.map((g) => shortDay(g.key)),
    series: [
      { name: 'Median (p50)', values: days.map((g) => toMinutes(g.timeToAccept.p50)), colour: chartColours.blue },
      { name: '90th percentile (p90)', values: days.map((g) => toMinutes(g.timeToAccept.p90)), colour: chartColours.orange },
    ],
    unit: 'minutes',
    labelEvery: days.length > 31 ? 7 : days.length > 14 ? 2 : 1,
  })}
${barChart({
  id: 'chart-by-hour',
  title: 'Referrals by hour of day received (UK time)',
  description: 'Bar chart of how many referrals, and how many s136 referrals, were received in each hour of the day. The figures are in the table "By hour of day" below.',
  categories: report.all.byHour.map((g) => g.key),
  series: [
    { name: 'All referrals', values: report.all.byHour.map((g) => g.referrals), colour: chartColours.blue },
    { name: 's136', values: report.s136.byHour.map((g) => g.referrals), colour: chartColours.darkBlue },
  ],
  unit: 'referrals',
})}
${barChart({
  id: 'chart-escalation-by-week',
  title: 'Escalation and decline rates by week (%)',
  description: 'Bar chart of the share of referrals escalated and the share of pages declined in each ISO week. The figures are in the table "By week" below.',
  categories: report.all.byWeek.map((g) => g.key),
  series: [
    { name: 'Escalated', values: report.all.byWeek.map((g) => (g.escalationRate === null ? null : Math.round(g.escalationRate * 1000) / 10)), colour: chartColours.orange },
    { name: 'Declined', values: report.all.byWeek.map((g) => (g.declineRate === null ? null : Math.round(g.declineRate * 1000) / 10)), colour: chartColours.red },
  ],
  unit: 'per cent',
})}`;
}

export function reportPage(input: { report: ResponseTimeReport; labels: ReportLabels; window: ReportWindow; teamsText: string; query: string; errors?: SummaryError[] }): SafeHtml {
  const { report, labels, window } = input;
  const team = (key: string) => labels.teams[key] ?? key;
  const amhp = (key: string) => labels.amhps[key] ?? key;
  const section = (subset: 'all' | 's136', title: string) => {
    const b = report[subset];
    return html`<h2 class="govuk-heading-l" id="${subset}-heading">${title}</h2>
${headline(subset, b.overall)}
${groupTable(`${subset}-by-week`, 'By week', 'ISO week', b.byWeek, (k) => k)}
${groupTable(`${subset}-by-team`, 'By team', 'Team', b.byTeam, team)}
${groupTable(`${subset}-by-amhp`, 'By AMHP who accepted', 'AMHP', b.byAmhp, amhp)}
<details class="govuk-details"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">By day</span></summary><div class="govuk-details__text">${groupTable(`${subset}-by-day`, 'By day', 'Day', b.byDay, (k) => k)}</div></details>
<details class="govuk-details"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">By hour of day</span></summary><div class="govuk-details__text">${groupTable(`${subset}-by-hour`, 'By hour of day (UK time)', 'Hour', b.byHour, (k) => `${k}:00`)}</div></details>`;
  };
  return html`${errorSummary(input.errors ?? [])}<span class="govuk-caption-l">${input.teamsText}</span>
<h1 class="govuk-heading-l">Response times</h1>
<form method="get" action="/manage/response-times" class="govuk-!-margin-bottom-6" novalidate>
<div class="govuk-grid-row"><div class="govuk-grid-column-one-quarter"><div class="govuk-form-group"><label class="govuk-label" for="from">From (YYYY-MM-DD)</label><input class="govuk-input" id="from" name="from" type="text" inputmode="numeric" value="${window.fromDate}"></div></div>
<div class="govuk-grid-column-one-quarter"><div class="govuk-form-group"><label class="govuk-label" for="to">To (YYYY-MM-DD)</label><input class="govuk-input" id="to" name="to" type="text" inputmode="numeric" value="${window.toDate}"></div></div></div>
${button('Show', { secondary: true })}
</form>
<p class="govuk-body">Referrals received from ${window.fromDate} to ${window.toDate} (UK dates), timed from when each was received. Percentiles are nearest-rank: the median is a time that really happened. <a class="govuk-link" id="csv-export" href="/manage/response-times?${input.query}${input.query ? '&' : ''}format=csv" download>Download as CSV</a></p>
${charts(report)}
${section('all', 'All referrals')}
${section('s136', 'Section 136 referrals')}`;
}
