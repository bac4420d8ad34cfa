/** The live board (/manage/board): each open referral's clock, state, stage and holder, soonest expiry first; the region the page refreshes in place. */
import { countdownText, type BoardRow } from '../../shared/domain/board.ts';
import { legalStatusLabel } from '../../shared/domain/sms.ts';
import type { BoardEntry, ManagerBoard } from '../../shared/app/manager-views.ts';
import { tag, warningText } from '../commons/pages/govuk.ts';
import { attributes, html, type SafeHtml } from '../commons/pages/html.ts';
import { whenText } from '../web/pages.ts';
import { referralStatusTag, under18Marker } from '../commons/pages/status-words.ts';
import { delayReasonText, stageLabel } from '../../shared/domain/stage-words.ts';
import { overrunWords } from '../../shared/domain/overruns.ts';
import type { DelayReason } from '../../shared/domain/referral-events/delays.ts';
import { BOARD_REFRESH_SECONDS, positionName, time, minutesText, clockColour, clockName } from './views.ts';

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
