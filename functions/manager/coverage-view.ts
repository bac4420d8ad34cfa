/** The Rota coverage page (/manage/coverage): each team's gaps in the required positions. */
import type { TeamCoverage } from '../../shared/app/manager-views.ts';
import { tag, warningText } from '../commons/pages/govuk.ts';
import { html, type SafeHtml } from '../commons/pages/html.ts';
import { gapsInCover } from '../../shared/domain/wording.ts';
import { positionName, time, durationText } from './views.ts';


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
