/**
 * The EDT managers' pages, in the web pages' GOV.UK layout (functions/commons/pages/layout.ts): the live
 * board, response times with charts, rota coverage, a referral's audit trail, and the form that
 * records a referral's outcome. No page shows personal data of the subject: references, postcode
 * districts, legal status and staff names only.
 */
import { countdownText, type BoardRow, type ClockLevel } from '../../shared/domain/board.ts';
import type { AuditLine } from '../../shared/domain/audit.ts';
import { assessmentResults, closeOutcomes, outcomeLabel, resultLabel, type Closure } from '../../shared/domain/outcomes.ts';
import type { DurationSummary, GroupStatistics, ResponseTimeReport } from '../../shared/domain/response-times.ts';
import type { ReportLabels } from '../../shared/domain/response-times-csv.ts';
import type { DetailsRetention } from '../../shared/domain/retention.ts';
import { legalStatusLabel } from '../../shared/domain/sms.ts';
import type { Position, StatutoryClock } from '../../shared/domain/types.ts';
import type { BoardEntry, ManagerBoard, TeamCoverage } from '../../shared/app/manager-views.ts';
import type { Referral } from '../../shared/ports.ts';
import type { HttpResult } from '../commons/http.ts';
import type { WebAssets } from '../web/assets.ts';
import { button, errorSummary, notificationBanner, panel, radios, summaryList, tag, warningText, type SummaryError, type TagColour } from '../commons/pages/govuk.ts';
import { attributes, html, type SafeHtml } from '../commons/pages/html.ts';
import { layout, pageHeaders, type NavigationItem } from '../commons/pages/layout.ts';
import type { Session } from '../web/session.ts';
import { barChart, chartColours } from './charts.ts';
import type { ReportWindow } from './window.ts';
import { whenText } from '../web/pages.ts';
import { declinesOfPages, gapsInCover, stepsSkippedOnReferrals } from '../../shared/domain/wording.ts';
import { referralStatusTag, under18Marker } from '../commons/pages/status-words.ts';
import { delayReasonText, stageLabel } from '../../shared/domain/stage-words.ts';
import { overrunWords } from '../../shared/domain/overruns.ts';
import type { DelayReason } from '../../shared/domain/referral-events/delays.ts';

export type ManagerSection = 'board' | 'handover' | 'response-times' | 'coverage' | null;

/** How often the board asks for itself again (functions/web/client/dutyline.js swaps the region in). */
export const BOARD_REFRESH_SECONDS = 15;

const navigation = (section: ManagerSection, managing: boolean): NavigationItem[] =>
  managing
    ? [
        { href: '/manage/board', text: 'Live board', current: section === 'board' },
        { href: '/manage/handover', text: 'Handover', current: section === 'handover' },
        { href: '/manage/response-times', text: 'Response times', current: section === 'response-times' },
        { href: '/manage/coverage', text: 'Rota coverage', current: section === 'coverage' },
      ]
    : [];

export interface ManagerPageResponse {
  status: number;
  title: string;
  body: SafeHtml;
  session: Session | null;
  section?: ManagerSection;
  /** Show the managers' navigation (not to an AMHP recording an outcome). */
  managing?: boolean;
  announcer?: boolean;
  hasErrors?: boolean;
  formActionOrigins?: string[];
}

export function managerPage(assets: WebAssets, page: ManagerPageResponse): HttpResult {
  return {
    statusCode: page.status,
    headers: pageHeaders({ formActionOrigins: page.formActionOrigins ?? [] }),
    body: layout({
      title: page.title,
      body: page.body,
      assets,
      navigation: navigation(page.section ?? null, page.managing ?? true),
      signedIn: page.session !== null,
      announcer: page.announcer ?? false,
      hasErrors: page.hasErrors ?? false,
    }),
  };
}

export const messageBody = (title: string, lines: (string | SafeHtml)[]) =>
  html`<h1 class="govuk-heading-l">${title}</h1>${lines.map((line) => html`<p class="govuk-body">${line}</p>`)}`;

// --- formatting ---------------------------------------------------------------------------------

const time = (instant: string) => html`<time datetime="${instant}">${whenText(instant)}</time>`;

/** `45 s`, `12 min`, `2 h 05 min`: minutes to the nearest. */
export function durationText(seconds: number | null): string {
  if (seconds === null) return '–';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

const minutesText = (minutes: number | null) => (minutes === null ? '–' : minutes < 1 ? 'under 1 min' : durationText(minutes * 60));
export const percentText = (rate: number | null) => (rate === null ? '–' : `${Math.round(rate * 1000) / 10}%`);

const clockColour: Record<ClockLevel, TagColour> = { running: 'green', warning: 'orange', critical: 'red', expired: 'red' };
const clockName: Record<StatutoryClock['kind'], string> = { s136: 's136', s135: 's135', s5_2: 's5(2)', s5_4: 's5(4)', s135_2: 's135(2)', s4: 's4', s2: 's2', cto_recall: 'CTO recall' };

// --- board --------------------------------------------------------------------------------------

export function clockCell(row: BoardRow): SafeHtml {
  if (!row.clock) return html`<span class="govuk-hint">No statutory clock</span>`;
  const { clock } = row;
  return html`<span data-clock-level="${clock.level}">${tag(`${clockName[clock.kind]}: ${countdownText(clock.secondsLeft)}`, clockColour[clock.level])}</span><br><span class="govuk-body-s">ends ${time(clock.expiresAt)}${clock.extended ? ' (extended)' : ''}</span>`;
}

export function holderCell(row: BoardRow & { holderName: string | null }): SafeHtml | string {
  if (!row.holder) return html`<span class="govuk-hint">Nobody</span>`;
  return row.holder.how === 'accepted' ? (row.holderName ?? '') : html`Paging ${row.holderName ?? ''}`;
}

/** The assessment's stage and how long it has been there, the open delay, and any stage past its time. */
export function stageCell(row: BoardRow): SafeHtml {
  const delay = row.openDelay ? html`<br><span class="govuk-body-s">Delayed: ${delayReasonText[row.openDelay.reason as DelayReason] ?? row.openDelay.reason}</span>` : '';
  const overruns = row.overruns.map((overrun) => html`<br>${tag(overrunWords[overrun.kind], 'red')}`);
  return html`${stageLabel[row.stage]} <span class="govuk-body-s">(${minutesText(row.minutesInStage)})</span>${delay}${overruns}`;
}

function boardRowHtml(row: BoardEntry, showTeam: boolean): SafeHtml {
  const [text, colour] = referralStatusTag[row.status];
  return html`<tr class="govuk-table__row" data-referral="${row.reference}"${attributes({ 'data-overdue': row.overdue ? 'true' : undefined })}>
<th scope="row" class="govuk-table__header"><a class="govuk-link" href="/manage/referrals/${row.id}">${row.reference}</a></th>
${showTeam ? html`<td class="govuk-table__cell" data-label="Team">${row.teamName ?? html`<span class="govuk-hint">No team yet</span>`}</td>` : ''}
<td class="govuk-table__cell" data-label="Area">${row.district}</td>
<td class="govuk-table__cell" data-label="Legal status">${legalStatusLabel[row.legalStatus]}${under18Marker(row.under18)}</td>
<td class="govuk-table__cell" data-label="Statutory clock">${clockCell(row)}</td>
<td class="govuk-table__cell" data-label="State">${tag(text, colour)}${row.overdue ? html` ${tag('Overdue', 'red')}` : ''}</td>
<td class="govuk-table__cell" data-label="Stage">${stageCell(row)}</td>
<td class="govuk-table__cell" data-label="Held by">${holderCell(row)}</td>
<td class="govuk-table__cell govuk-table__cell--numeric" data-label="Since received">${minutesText(row.minutesSinceReceived)}</td>
<td class="govuk-table__cell govuk-table__cell--numeric" data-label="Since last page">${minutesText(row.minutesSinceLastPage)}</td>
</tr>`;
}

/** The region the page refreshes in place: its id, refresh interval and announcement are what dutyline.js reads. */
export function boardRegion(board: ManagerBoard): SafeHtml {
  const showTeam = board.teams.length !== 1 || board.rows.some((row) => row.teamId !== board.teams[0]?.id);
  const count = board.rows.length;
  const expiring = board.rows.filter((row) => row.clock && row.clock.level !== 'running').length;
  const announce = `${count} open ${count === 1 ? 'referral' : 'referrals'}${expiring > 0 ? `, ${expiring} with a clock near or past expiry` : ''}`;
  return html`<div id="board"${attributes({ 'data-refresh-seconds': BOARD_REFRESH_SECONDS, 'data-announce': announce })}>
<p class="govuk-body" id="board-summary">${announce}. Updated <time datetime="${board.generatedAt}">${whenText(board.generatedAt)}</time>.</p>
${
  count === 0
    ? html`<p class="govuk-body">${tag('No open referrals', 'green')}</p>`
    : html`<table class="govuk-table dutyline-stacked-table" id="board-table"><caption class="govuk-table__caption govuk-table__caption--m">Open referrals, soonest statutory expiry first</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row">
<th scope="col" class="govuk-table__header">Reference</th>
${showTeam ? html`<th scope="col" class="govuk-table__header">Team</th>` : ''}
<th scope="col" class="govuk-table__header">Area</th>
<th scope="col" class="govuk-table__header">Legal status</th>
<th scope="col" class="govuk-table__header">Statutory clock</th>
<th scope="col" class="govuk-table__header">State</th>
<th scope="col" class="govuk-table__header">Stage</th>
<th scope="col" class="govuk-table__header">Held by</th>
<th scope="col" class="govuk-table__header govuk-table__header--numeric">Since received</th>
<th scope="col" class="govuk-table__header govuk-table__header--numeric">Since last page</th>
</tr></thead>
<tbody class="govuk-table__body">${board.rows.map((row) => boardRowHtml(row, showTeam))}</tbody></table>`
}
</div>`;
}

/** `serviceFallbackSet: false`: no service fallback phone is set, which the board says first. */
export function boardPage(board: ManagerBoard, options: { serviceFallbackSet?: boolean } = {}): SafeHtml {
  const names = board.teams.map((team) => team.name).join(', ');
  return html`<span class="govuk-caption-l">${names || 'No teams'}</span>
<h1 class="govuk-heading-l">Live board</h1>
${
  options.serviceFallbackSet === false
    ? html`<div id="no-service-fallback">${warningText('No service fallback phone is set: a referral no team covers, or with nobody on duty to page, reaches nobody. An administrator sets one with PUT /api/service {"fallbackPhone"}.')}</div>`
    : ''
}
${
  board.phoneGaps.length > 0
    ? html`<div id="unverified-phones">${warningText(`In the next 24 hours, ${board.phoneGaps.length === 1 ? 'a rota slot is' : `${board.phoneGaps.length} rota slots are`} held by someone whose phone is not verified; pages may not reach them. See Rota coverage.`)}<ul class="govuk-list govuk-list--bullet">${board.phoneGaps.map(
        (gap) => html`<li data-position="${gap.position}">${gap.teamName}: ${positionName[gap.position]} ${time(gap.start)} to ${time(gap.end)}</li>`,
      )}</ul></div>`
    : ''
}
<p class="govuk-body">Every open referral of your ${board.teams.length === 1 ? 'team' : 'teams'}, and any that no team holds yet. It updates by itself every ${BOARD_REFRESH_SECONDS} seconds. Clocks turn orange 6 hours and red 2 hours before they expire.</p>
${boardRegion(board)}`;
}

// --- response times -------------------------------------------------------------------------------

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

// --- coverage -----------------------------------------------------------------------------------

const positionName: Record<Position, string> = { primary: 'Primary AMHP', secondary: 'Secondary AMHP', manager: 'Manager', additional: 'Additional AMHP' };

export function coveragePage(coverages: readonly TeamCoverage[]): SafeHtml {
  return html`<h1 class="govuk-heading-l">Rota coverage: the next 14 days</h1>
<p class="govuk-body">Out-of-hours time that nobody on the rota holds, per position. Managers rostered in the next 24 hours are texted each morning when there is a gap in that time.</p>
${coverages.map(
  (c) => html`<section class="govuk-!-margin-bottom-8" id="coverage-${c.team.id}" data-gaps="${c.gaps.length}"><h2 class="govuk-heading-m">${c.team.name}</h2>
${c.gaps.length === 0 ? html`<p class="govuk-body">${tag('No gaps', 'green')}</p>` : warningText(gapsInCover(c.gaps.length))}
${c.positions.map(
  (p) => html`<table class="govuk-table" data-position="${p.position}"><caption class="govuk-table__caption govuk-table__caption--s">${positionName[p.position]}: ${durationText(p.uncoveredMinutes * 60)} uncovered</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">From</th><th scope="col" class="govuk-table__header">To</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Length</th><th scope="col" class="govuk-table__header">Why</th></tr></thead>
<tbody class="govuk-table__body">${p.gaps.map(
    (gap) => html`<tr class="govuk-table__row" data-reason="${gap.reason ?? 'unheld'}"><td class="govuk-table__cell">${time(gap.start)}</td><td class="govuk-table__cell">${time(gap.end)}</td><td class="govuk-table__cell govuk-table__cell--numeric">${durationText((Date.parse(gap.end) - Date.parse(gap.start)) / 1000)}</td><td class="govuk-table__cell">${gap.reason === 'unverified-phone' ? 'Held, but the phone is not verified' : 'Nobody on the rota'}</td></tr>`,
  )}</tbody></table>`,
)}
<p class="govuk-body"><a class="govuk-link" href="/teams/${c.team.id}/rota">See the ${c.team.name} rota day by day</a></p></section>`,
)}`;
}

// --- audit and close ----------------------------------------------------------------------------

function closureText(closure: Closure): string {
  return `${outcomeLabel[closure.outcome]}${closure.result ? `: ${resultLabel[closure.result]}` : ''}`;
}

/** The person's details are kept apart from the audit trail, which outlives them. */
function retentionText(retention: DetailsRetention): SafeHtml {
  if (retention.status === 'held') return html`Kept until ${time(retention.removeAt)} under the retention policy`;
  return html`Removed${retention.removedAt ? html` ${time(retention.removedAt)}` : ''} under the retention policy; this audit trail is kept`;
}

export function auditPage(input: {
  referral: Referral;
  lines: readonly AuditLine[];
  teamName: string | null;
  holderName: string | null;
  legalStatus: keyof typeof legalStatusLabel;
  retention: DetailsRetention;
  canClose: boolean;
  notice?: string;
}): SafeHtml {
  const { referral } = input;
  const [text, colour] = referralStatusTag[referral.status];
  return html`${input.notice ? notificationBanner('Done', html`<p class="govuk-notification-banner__heading">${input.notice}</p>`, { success: true }) : ''}
<span class="govuk-caption-l">Audit trail</span>
<h1 class="govuk-heading-l">Referral ${referral.reference}</h1>
${summaryList([
  { key: 'Team', value: input.teamName ?? 'No team yet' },
  { key: 'Area', value: referral.district },
  { key: 'Legal status', value: legalStatusLabel[input.legalStatus] },
  { key: 'State', value: tag(text, colour), id: 'referral-state' },
  { key: 'Held by', value: input.holderName ?? 'Nobody' },
  { key: 'Received', value: time(referral.createdAt) },
  ...referral.clocks.map((clock) => ({ key: `${clockName[clock.kind]} clock`, value: html`from ${time(clock.startedAt)} to ${time(clock.expiresAt)}${clock.extension ? ' (extended)' : ''}` })),
  ...(referral.closure ? [{ key: 'Outcome', value: closureText(referral.closure), id: 'referral-outcome' }] : []),
  { key: 'Personal details', value: retentionText(input.retention), id: 'personal-details' },
])}
${input.canClose ? html`<a class="govuk-button" data-module="govuk-button" href="/manage/referrals/${referral.id}/close" role="button" draggable="false">Record the outcome</a>` : ''}
<h2 class="govuk-heading-m">Timeline</h2>
<p class="govuk-body">Everything that happened to this referral, oldest first, in UK time. <a class="govuk-link" href="/manage/referrals/${referral.id}?format=csv" download>Download as CSV</a> or <a class="govuk-link" href="/manage/referrals/${referral.id}?format=json" download>as JSON</a>.</p>
<table class="govuk-table dutyline-timeline" id="audit-timeline"><thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">When</th><th scope="col" class="govuk-table__header">What happened</th><th scope="col" class="govuk-table__header">Who</th></tr></thead>
<tbody class="govuk-table__body">${input.lines.map(
    (line) => html`<tr class="govuk-table__row" data-type="${line.type}"><td class="govuk-table__cell">${time(line.at)}</td><td class="govuk-table__cell">${line.text}</td><td class="govuk-table__cell">${line.who ?? ''}</td></tr>`,
  )}</tbody></table>`;
}

export interface CloseFormValues {
  outcome?: string;
  result?: string;
}

export function closeFormPage(input: { referral: Referral; values: CloseFormValues; errors: { outcome?: string; result?: string } }): SafeHtml {
  const { referral, values, errors } = input;
  const summary: SummaryError[] = [
    ...(errors.outcome ? [{ text: errors.outcome, href: '#outcome' }] : []),
    ...(errors.result ? [{ text: errors.result, href: '#result' }] : []),
  ];
  const resultRadios = radios({
    id: 'result',
    name: 'result',
    legend: 'What did the assessment decide?',
    error: errors.result,
    value: values.result,
    small: true,
    items: assessmentResults.map((result) => ({ value: result, text: resultLabel[result] })),
  });
  return html`${errorSummary(summary)}<span class="govuk-caption-l">Referral ${referral.reference}, ${referral.district}</span>
<form method="post" action="/manage/referrals/${referral.id}/close" novalidate>
${radios({
  id: 'outcome',
  name: 'outcome',
  legend: 'What was the outcome?',
  labelSize: 'l',
  hint: 'The referral leaves the live board once its outcome is recorded. Do not write anything about the person here.',
  error: errors.outcome,
  value: values.outcome,
  items: closeOutcomes.map((outcome) => ({
    value: outcome,
    text: outcomeLabel[outcome],
    ...(outcome === 'assessed' ? { conditional: resultRadios } : {}),
  })),
})}
${button('Record the outcome')}
</form>`;
}

export function closedPanel(referral: Referral, managing: boolean): SafeHtml {
  return html`${panel('Referral closed', html`${referral.reference}<br><strong>${referral.closure ? closureText(referral.closure) : ''}</strong>`)}
<p class="govuk-body">It has left the live board${referral.assignedTo ? ', and the AMHP who held it can be paged first again' : ''}.</p>
${managing ? html`<p class="govuk-body"><a class="govuk-link" href="/manage/board">Back to the live board</a></p><p class="govuk-body"><a class="govuk-link" href="/manage/referrals/${referral.id}">See its audit trail</a></p>` : ''}`;
}
