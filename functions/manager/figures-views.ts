/**
 * The "From arrival at the place of safety" part of /manage/response-times (issue 13 part 6): the
 * times that matter to the person detained, hours lost waiting, clocks run out, s136B extensions,
 * police-station and under-18 use, outcomes by legal status, the Home Office s136 layout and the
 * AMHP survey measures. Every chart's figures are also in a table. Nothing about any person: counts,
 * durations, team and staff names only.
 */
import { ageColumns, outcomeKeys, type AssessmentFiguresReport, type AssessmentGroup, type OutcomeKey, type PolicePlaceRow } from '../../shared/domain/assessment-figures.ts';
import { delayReasons } from '../../shared/domain/referral-events/delays.ts';
import type { DurationSummary } from '../../shared/domain/response-times.ts';
import type { ReportLabels } from '../../shared/domain/response-times-csv.ts';
import { legalStatusLabel } from '../../shared/domain/sms.ts';
import { delayReasonText, outcomeText } from '../../shared/domain/stage-words.ts';
import { summaryList } from '../commons/pages/govuk.ts';
import { html, type SafeHtml } from '../commons/pages/html.ts';
import { barChart, chartColours } from './charts.ts';
import { durationText, percentText } from './views.ts';

export const policePlaceText: Record<PolicePlaceRow, string> = {
  health_based: 'Health-based place of safety',
  emergency_department: 'Emergency department (A&E)',
  police_station: 'Police station',
  other: 'Other place (including a private home)',
  not_known: 'Arrival not recorded',
};

const ageText = { under18: 'Under 18', adult: '18 and over', notKnown: 'Age not known' } as const;
const outcomeName = (key: OutcomeKey) => (key === 'none' ? 'No decision recorded' : outcomeText[key]);

const numeric = (value: string, id?: string) => html`<td class="govuk-table__cell govuk-table__cell--numeric"${id ? html` id="${id}"` : ''}>${value}</td>`;
const header = (text: string) => html`<th scope="col" class="govuk-table__header govuk-table__header--numeric">${text}</th>`;

function timesTable(overall: AssessmentGroup): SafeHtml {
  const rows: [string, string, DurationSummary][] = [
    ['assessment', 'Arrival to assessment started', overall.arrivalToAssessment],
    ['decision', 'Arrival to decision', overall.arrivalToDecision],
    ['admission', 'Arrival to admission', overall.arrivalToAdmission],
  ];
  return html`<table class="govuk-table" id="arrival-times"><caption class="govuk-table__caption govuk-table__caption--m">How long from arrival at the place of safety</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">From and to</th>${header('Median (p50)')}${header('90th percentile (p90)')}${header('Longest')}${header('Referrals counted')}</tr></thead>
<tbody class="govuk-table__body">${rows.map(
    ([id, name, s]) =>
      html`<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">${name}</th>${numeric(durationText(s.p50), `arrival-${id}-p50`)}${numeric(durationText(s.p90), `arrival-${id}-p90`)}${numeric(durationText(s.max), `arrival-${id}-max`)}${numeric(String(s.count), `arrival-${id}-count`)}</tr>`,
  )}</tbody></table>`;
}

const hoursText = (hours: number) => `${Math.round(hours * 10) / 10} h`;

function headlineList(figures: AssessmentFiguresReport): SafeHtml {
  const g = figures.overall;
  const kinds = Object.entries(g.breaches.byKind).map(([kind, n]) => `${kind} ${n}`).join(', ');
  return summaryList([
    { key: 'Assessments started within 3 hours of arrival', value: html`${percentText(g.withinStandard.share)} <span class="govuk-hint">(${g.withinStandard.met} of ${g.withinStandard.counted} whose 3 hours are over)</span>`, id: 'within-3h' },
    { key: 'Clocks that ran out before a lawful end', value: html`${String(g.breaches.clocks)} <span class="govuk-hint">(on ${g.breaches.referrals} referrals${kinds ? `: ${kinds}` : ''}; ${g.breaches.beforeReferral} had run out before the referral came)</span>`, id: 'breaches' },
    { key: 's136B extensions', value: `${g.s136bExtensions.count} (${g.s136bExtensions.hours} hours; ${g.s136bExtensions.atPoliceStation} at a police station)`, id: 's136b' },
    { key: 'Police station used as a place of safety', value: `${g.policeStation.referrals} referrals (${g.policeStation.firstPlace} taken there first)`, id: 'police-station' },
    { key: 'Under 18', value: `${g.under18.referrals} referrals (${g.under18.atPoliceStation} at a police station)`, id: 'under-18' },
  ]);
}

function hoursLostPart(g: AssessmentGroup, asAt: string): SafeHtml {
  return html`${barChart({
    id: 'chart-hours-lost',
    title: 'Hours lost waiting, by what was waited for',
    description: 'Bar chart of the hours spent waiting for each reason. The figures are in the table "Hours lost waiting" below.',
    categories: delayReasons.map((r) => delayReasonText[r]),
    series: [{ name: 'Hours', values: delayReasons.map((r) => g.hoursLost[r]), colour: chartColours.orange }],
    unit: 'hours',
  })}
<table class="govuk-table" id="hours-lost"><caption class="govuk-table__caption govuk-table__caption--s">Hours lost waiting (open delays counted to ${asAt})</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Waiting for</th>${header('Hours')}</tr></thead>
<tbody class="govuk-table__body">${delayReasons.map((r) => html`<tr class="govuk-table__row" data-key="${r}"><th scope="row" class="govuk-table__header">${delayReasonText[r]}</th>${numeric(hoursText(g.hoursLost[r]))}</tr>`)}</tbody></table>`;
}

function policePowersPart(figures: AssessmentFiguresReport): SafeHtml {
  const table = figures.policePowers;
  return html`<h3 class="govuk-heading-m" id="home-office-heading">Section 136 detentions, as the Home Office return counts them</h3>
<p class="govuk-body">One for each use of the power, by the place of safety the person was first taken to. The return covers a financial year (April to March): choose those dates to match it.</p>
${barChart({
  id: 'chart-home-office',
  title: 's136 detentions by first place of safety',
  description: 'Bar chart of s136 detentions by the place of safety first used, under 18 and 18 and over. The figures are in the table below.',
  categories: table.rows.map((row) => policePlaceText[row.place]),
  series: [
    { name: 'Under 18', values: table.rows.map((row) => row.under18), colour: chartColours.darkBlue },
    { name: '18 and over', values: table.rows.map((row) => row.adult), colour: chartColours.blue },
    { name: 'Age not known', values: table.rows.map((row) => row.notKnown), colour: chartColours.green },
  ],
  unit: 'detentions',
})}
<table class="govuk-table" id="home-office-s136"><caption class="govuk-table__caption govuk-table__caption--s">s136 detentions by first place of safety and age group (${table.detentions} in all)</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Place of safety</th>${ageColumns.map((age) => header(ageText[age]))}${header('Total')}</tr></thead>
<tbody class="govuk-table__body">${table.rows.map(
    (row) => html`<tr class="govuk-table__row" data-key="${row.place}"><th scope="row" class="govuk-table__header">${policePlaceText[row.place]}</th>${ageColumns.map((age) => numeric(String(row[age])))}${numeric(String(row.total))}</tr>`,
  )}<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">Total</th>${ageColumns.map((age) => numeric(String(table.totals[age])))}${numeric(String(table.detentions))}</tr></tbody></table>`;
}

function outcomesPart(figures: AssessmentFiguresReport): SafeHtml {
  return html`<table class="govuk-table" id="outcomes-by-status"><caption class="govuk-table__caption govuk-table__caption--s">Decisions by the legal status the referral was made under</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Legal status</th>${header('Referrals')}${outcomeKeys.map((key) => header(outcomeName(key)))}${header('Admitted')}</tr></thead>
<tbody class="govuk-table__body">${figures.byLegalStatus.map(
    (row) => html`<tr class="govuk-table__row" data-key="${row.legalStatus}"><th scope="row" class="govuk-table__header">${legalStatusLabel[row.legalStatus]}</th>${numeric(String(row.referrals))}${outcomeKeys.map((key) => numeric(String(row.outcomes[key])))}${numeric(String(row.admitted))}</tr>`,
  )}</tbody></table>`;
}

function groupTable(id: string, caption: string, keyHeading: string, groups: readonly AssessmentGroup[], label: (key: string) => string): SafeHtml {
  const lost = (g: AssessmentGroup) => delayReasons.reduce((sum, r) => sum + g.hoursLost[r], 0);
  return html`<table class="govuk-table" id="${id}"><caption class="govuk-table__caption govuk-table__caption--s">${caption}</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">${keyHeading}</th>${header('Referrals')}${header('Arrival to assessment p50 / p90')}${header('Within 3 h')}${header('Arrival to decision p50')}${header('Hours lost')}${header('Clocks run out')}${header('s136B')}${header('Police station')}${header('Under 18')}</tr></thead>
<tbody class="govuk-table__body">${groups.map(
    (g) =>
      html`<tr class="govuk-table__row" data-key="${g.key}"><th scope="row" class="govuk-table__header">${label(g.key)}</th>${numeric(String(g.referrals))}${numeric(
        `${durationText(g.arrivalToAssessment.p50)} / ${durationText(g.arrivalToAssessment.p90)}`,
      )}${numeric(percentText(g.withinStandard.share))}${numeric(durationText(g.arrivalToDecision.p50))}${numeric(hoursText(lost(g)))}${numeric(String(g.breaches.clocks))}${numeric(String(g.s136bExtensions.count))}${numeric(
        String(g.policeStation.referrals),
      )}${numeric(String(g.under18.referrals))}</tr>`,
  )}</tbody></table>`;
}

function surveyPart(figures: AssessmentFiguresReport): SafeHtml {
  const h = figures.headline;
  return html`<h3 class="govuk-heading-m" id="survey-heading">AMHP survey measures</h3>
<p class="govuk-body">The measures the ADASS and LGA AMHP surveys report that this line's own records can give. No national definition of them has been published; see the README.</p>
${summaryList([
  { key: 'Referrals', value: String(h.referrals), id: 'survey-referrals' },
  { key: 'Mental Health Act assessments started', value: String(h.assessments), id: 'survey-assessments' },
  { key: 'Applications for detention', value: `${h.applications.total} (s2 ${h.applications.s2}, s3 ${h.applications.s3}, s4 ${h.applications.s4})`, id: 'survey-applications' },
  { key: 'Applications per decision', value: percentText(h.applicationRate), id: 'survey-application-rate' },
  { key: 'Informal admissions', value: String(h.informalAdmissions), id: 'survey-informal' },
  { key: 'Not admitted (plan in the community, or no further action)', value: String(h.notAdmitted), id: 'survey-not-admitted' },
  { key: 'Referrals that waited for a bed', value: String(h.delayedForBed), id: 'survey-bed' },
  { key: 'Referrals that waited for a doctor', value: String(h.delayedForDoctor), id: 'survey-doctor' },
])}`;
}

export function figuresSection(figures: AssessmentFiguresReport, labels: ReportLabels, query: string, asAt: string): SafeHtml {
  const team = (key: string) => labels.teams[key] ?? key;
  const amhp = (key: string) => labels.amhps[key] ?? key;
  return html`<h2 class="govuk-heading-l" id="arrival-heading">From arrival at the place of safety</h2>
<p class="govuk-body">Timed from when the place-of-safety period began (the arrival, or the decision to keep the person where they were: MHA 1983 s136(2A), s135(3ZA)), for the same referrals. <a class="govuk-link" id="figures-csv-export" href="/manage/response-times?${query}${query ? '&' : ''}format=figures-csv" download>Download these figures as CSV</a></p>
${timesTable(figures.overall)}
${headlineList(figures)}
${hoursLostPart(figures.overall, asAt)}
${outcomesPart(figures)}
${policePowersPart(figures)}
${surveyPart(figures)}
${groupTable('arrival-by-team', 'By team', 'Team', figures.byTeam, team)}
${groupTable('arrival-by-amhp', 'By AMHP who accepted', 'AMHP', figures.byAmhp, amhp)}
<details class="govuk-details"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">By hour of day received</span></summary><div class="govuk-details__text">${groupTable('arrival-by-hour', 'By hour of day received (UK time)', 'Hour', figures.byHour, (k) => `${k}:00`)}</div></details>`;
}
