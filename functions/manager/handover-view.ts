/**
 * The Handover page (/manage/handover): for each team, the referrals on the last morning handover
 * list, each marked received by the day service with one button, and what is open now for the
 * next list. References, districts, legal status, clocks and stages only: never the person.
 */
import type { HandoverRow, TeamHandover } from '../../shared/app/handover.ts';
import { isHandoverOverrun } from '../../shared/domain/overruns.ts';
import type { Team } from '../../shared/domain/types.ts';
import { formatUkPhone } from '../../shared/domain/phone.ts';
import { legalStatusLabel } from '../../shared/domain/sms.ts';
import { button, notificationBanner, tag, warningText } from '../commons/pages/govuk.ts';
import { html, type SafeHtml } from '../commons/pages/html.ts';
import { whenText } from '../web/pages.ts';
import { clockCell, holderCell, stageCell } from './board-view.ts';

const time = (instant: string) => html`<time datetime="${instant}">${whenText(instant)}</time>`;

function receivedCell(row: HandoverRow): SafeHtml {
  const { handover } = row;
  if (handover.state === 'received') return html`${tag('Received', 'green')}<br><span class="govuk-body-s">${time(handover.at)}, ${handover.byName}</span>`;
  if (handover.state === 'next') return html`<span class="govuk-hint">On the next list</span>`;
  const due = handover.ackBy ? html`<br><span class="govuk-body-s">due by ${time(handover.ackBy)}</span>` : '';
  const overdue = handover.ackBy && row.overruns.some((overrun) => isHandoverOverrun(overrun.kind)) ? html` ${tag('Overdue', 'red')}` : '';
  return html`${tag('Awaiting the day service', 'orange')}${overdue}${due}
<form method="post" action="/manage/handover" class="govuk-!-margin-top-2"><input type="hidden" name="referralId" value="${row.id}">${button(`Mark ${row.reference} received`, { secondary: true })}</form>`;
}

function rowHtml(row: HandoverRow): SafeHtml {
  return html`<tr class="govuk-table__row" data-referral="${row.reference}" data-handover="${row.handover.state}">
<th scope="row" class="govuk-table__header"><a class="govuk-link" href="/manage/referrals/${row.id}">${row.reference}</a></th>
<td class="govuk-table__cell" data-label="Area">${row.district}</td>
<td class="govuk-table__cell" data-label="Legal status">${legalStatusLabel[row.legalStatus]}${row.under18 ? html` ${tag('U18', 'purple')}` : ''}</td>
<td class="govuk-table__cell" data-label="Statutory clock">${clockCell(row)}</td>
<td class="govuk-table__cell" data-label="Stage">${stageCell(row)}</td>
<td class="govuk-table__cell" data-label="Held by">${holderCell(row)}</td>
<td class="govuk-table__cell" data-label="Day service">${receivedCell(row)}</td>
</tr>`;
}

function table(id: string, caption: string, rows: readonly HandoverRow[]): SafeHtml {
  return html`<table class="govuk-table dutyline-stacked-table" id="${id}"><caption class="govuk-table__caption govuk-table__caption--s">${caption}</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row">
<th scope="col" class="govuk-table__header">Reference</th>
<th scope="col" class="govuk-table__header">Area</th>
<th scope="col" class="govuk-table__header">Legal status</th>
<th scope="col" class="govuk-table__header">Statutory clock</th>
<th scope="col" class="govuk-table__header">Stage</th>
<th scope="col" class="govuk-table__header">Held by</th>
<th scope="col" class="govuk-table__header">Day service</th>
</tr></thead>
<tbody class="govuk-table__body">${rows.map(rowHtml)}</tbody></table>`;
}

function contactOf(team: Team | null): SafeHtml {
  if (!team) {
    return html`<p class="govuk-body">No team covers these referrals' areas and there is no default team. At the end of the out-of-hours period (by the service's default hours) their list is texted to the service fallback phone. Route each to a team from the live board, or mark it received here once a day service has it.</p>`;
  }
  return team.handover?.dayServicePhone
    ? html`<p class="govuk-body">The list is texted to ${team.handover.dayServiceName ?? 'the day service'} on <a class="govuk-link" href="tel:${team.handover.dayServicePhone}">${formatUkPhone(team.handover.dayServicePhone)}</a> when the out-of-hours period ends.</p>`
    : warningText("No day-service contact is set for this team: the list is texted to the team's fallback phone, asking for it to be passed on. An administrator sets one with PUT /api/teams/{teamId} {\"handover\": {\"dayServicePhone\"}}.");
}

function teamSection(entry: TeamHandover): SafeHtml {
  const { team, period, nextAt } = entry;
  const key = team?.id ?? 'no-team';
  const listed = entry.rows.filter((row) => row.handover.state !== 'next');
  const next = entry.rows.filter((row) => row.handover.state === 'next');
  const contact = contactOf(team);
  const last = period
    ? listed.length === 0
      ? html`<p class="govuk-body">${tag('Nothing open', 'green')} from the handover at ${time(period.end)}.</p>`
      : table(`handover-${key}`, `Handed over at ${whenText(period.end)}`, listed)
    : '';
  const upcoming =
    next.length > 0
      ? table(`next-${key}`, nextAt ? `Open now, for the handover at ${whenText(nextAt)}` : 'Open now, for the next handover', next)
      : nextAt
        ? html`<p class="govuk-body">The next handover is at ${time(nextAt)}.</p>`
        : '';
  return html`<section class="govuk-!-margin-bottom-8" id="team-${key}" data-awaiting="${listed.filter((row) => row.handover.state === 'awaiting').length}">
<h2 class="govuk-heading-m">${team?.name ?? 'No team holds these'}</h2>${contact}${last}${upcoming}</section>`;
}

export function handoverPage(teams: readonly TeamHandover[], options: { marked?: string | null } = {}): SafeHtml {
  const banner = options.marked ? notificationBanner('Marked received', html`<p class="govuk-notification-banner__heading">${options.marked} is marked received by the day service.</p>`, { success: true }) : '';
  return html`${banner}<h1 class="govuk-heading-l">Morning handover</h1>
<p class="govuk-body">When a team's out-of-hours period ends, every referral it still has open is listed here for the day service, and texted to it. Mark each one received when the day service has taken it on: one not received in time is escalated to the duty manager, then to the service fallback. The day service can also reply RECEIVED and the reference to the text.</p>
${teams.some((entry) => entry.team) ? '' : html`<p class="govuk-body">You do not manage any team.</p>`}${teams.map(teamSection)}`;
}
