/**
 * `GET /teams/{teamId}/rota?from=YYYY-MM-DD`: the manager's rota page. The next 14 days, day by
 * day, who holds each position, with every out-of-hours stretch nobody holds marked as a gap and
 * anyone booked twice at once called out. Server-rendered in the web pages' GOV.UK layout and
 * signed in by their session cookie (functions/web/session.ts); the route is `auth: 'none'`
 * because API Gateway's JWT authorizer reads only the Authorization header.
 */
import { rotaView, rotaWindowQuery, type RotaView } from '../../shared/app/directory-admin.ts';
import { isBankHoliday } from '../../shared/domain/bank-holidays.ts';
import { addDays, instantToLocal, startOfLocalDay } from '../../shared/domain/rota-time.ts';
import type { RotaGap, RotaSegment } from '../../shared/domain/rota.ts';
import type { Position } from '../../shared/domain/types.ts';
import type { Dependencies } from '../../shared/ports.ts';
import type { HttpEvent, HttpResult } from '../commons/http.ts';
import { lambdaEntry } from '../commons/wiring.ts';
import { webAssets } from '../web/assets.ts';
import { loginPath } from '../web/auth.ts';
import { tag, warningText } from '../commons/pages/govuk.ts';
import { html, type SafeHtml } from '../commons/pages/html.ts';
import { messagePage } from '../web/pages.ts';
import { pageResult, redirect } from '../web/respond.ts';
import { currentSession } from '../web/session.ts';
import { canSeeRota } from './rota-http.ts';

const DAYS = 14;
const positionNames: [Position, string][] = [
  ['primary', 'Primary AMHP'],
  ['secondary', 'Secondary AMHP'],
  ['additional', 'Additional AMHPs'],
  ['manager', 'Manager'],
];
const longDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
/** `Saturday 31 October 2026`, as GOV.UK writes dates. */
const dayHeading = { format: (at: Date) => longDate.format(at).replace(',', '') };

const clock = (instant: string) => instantToLocal(new Date(instant));

/** `17:00 to 09:00 Sunday`: the end names its day when it is not the start's. */
function stretch(start: string, end: string): string {
  const [from, to] = [clock(start), clock(end)];
  const endDay = from.date === to.date ? '' : ` ${dayName(to.weekday)}`;
  return `${from.time} to ${to.time}${endDay}`;
}
const dayName = (weekday: string) =>
  ({ mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' })[weekday] ?? weekday;

const overlapsDay = (item: { start: string; end: string }, from: number, to: number) => Date.parse(item.start) < to && Date.parse(item.end) > from;
const clip = (item: { start: string; end: string }, from: number, to: number) => ({
  start: new Date(Math.max(Date.parse(item.start), from)).toISOString(),
  end: new Date(Math.min(Date.parse(item.end), to)).toISOString(),
});

function holderCell(segments: RotaSegment[], names: RotaView['staffNames'], from: number): SafeHtml {
  if (segments.length === 0) return html`<span class="govuk-hint">Nobody</span>`;
  return html`<ul class="govuk-list">${segments.map(
    (segment) =>
      html`<li>${names[segment.staffId] ?? segment.staffId}, ${Date.parse(segment.start) < from ? 'until ' : ''}${
        Date.parse(segment.start) < from ? clock(segment.end).time : stretch(segment.start, segment.end)
      } ${segment.kind === 'base' ? '' : tag(segment.kind === 'swap' ? 'Swap' : 'Cover', 'blue')}</li>`,
  )}</ul>`;
}

function gapCell(gaps: RotaGap[], from: number, to: number): SafeHtml {
  if (gaps.length === 0) return html``;
  return html`<ul class="govuk-list">${gaps.map((gap) => {
    const part = clip(gap, from, to);
    return html`<li>${tag('Gap', 'red')} ${clock(part.start).time} to ${Date.parse(part.end) === to ? 'midnight' : clock(part.end).time}</li>`;
  })}</ul>`;
}

function dayTable(view: RotaView, date: string): SafeHtml {
  const from = startOfLocalDay(date).getTime();
  const to = startOfLocalDay(addDays(date, 1)).getTime();
  const required = view.team.requiredPositions ?? ['primary', 'secondary', 'manager'];
  const rows = positionNames.filter(([position]) => required.includes(position) || view.segments.some((s) => s.position === position && overlapsDay(s, from, to)));
  const gapsToday = view.check.gaps.filter((gap) => overlapsDay(gap, from, to));
  const title = dayHeading.format(new Date(from));
  return html`<table class="govuk-table dutyline-rota-day" id="day-${date}">
<caption class="govuk-table__caption govuk-table__caption--m">${title} ${isBankHoliday(date) ? tag('Bank holiday', 'purple') : ''} ${gapsToday.length > 0 ? tag(`${gapsToday.length} ${gapsToday.length === 1 ? 'gap' : 'gaps'}`, 'red') : ''}</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Position</th><th scope="col" class="govuk-table__header">On duty</th><th scope="col" class="govuk-table__header">Not covered</th></tr></thead>
<tbody class="govuk-table__body">${rows.map(([position, name]) => {
    const segments = view.segments.filter((s) => s.position === position && overlapsDay(s, from, to));
    const gaps = gapsToday.filter((gap) => gap.position === position);
    return html`<tr class="govuk-table__row${gaps.length > 0 ? ' dutyline-rota-gap' : ''}"><th scope="row" class="govuk-table__header">${name}</th><td class="govuk-table__cell">${holderCell(segments, view.staffNames, from)}</td><td class="govuk-table__cell">${gapCell(gaps, from, to)}</td></tr>`;
  })}</tbody>
</table>`;
}

export function rotaPage(view: RotaView): SafeHtml {
  const first = view.dates[0] ?? '';
  const gapCount = view.check.gaps.length;
  return html`<span class="govuk-caption-l">${view.team.name}</span>
<h1 class="govuk-heading-l">Rota for the next ${DAYS} days</h1>
<p class="govuk-body">From ${dayHeading.format(new Date(view.from))}. Times are in UK time. A gap is out-of-hours time nobody holds the position for.</p>
${gapCount > 0 ? warningText(`${gapCount} ${gapCount === 1 ? 'gap' : 'gaps'} in the out-of-hours cover`) : html`<p class="govuk-body">${tag('No gaps', 'green')}</p>`}
${
  view.check.overlaps.length > 0
    ? html`<div class="govuk-inset-text"><h2 class="govuk-heading-s">Booked twice at once</h2><ul class="govuk-list govuk-list--bullet">${view.check.overlaps.map(
        (overlap) => html`<li>${view.staffNames[overlap.staffId] ?? overlap.staffId}: ${dayHeading.format(new Date(overlap.start))}, ${stretch(overlap.start, overlap.end)}</li>`,
      )}</ul></div>`
    : ''
}
<nav class="govuk-pagination govuk-pagination--block" aria-label="Fortnights"><div class="govuk-pagination__prev"><a class="govuk-link govuk-pagination__link" href="?from=${addDays(first, -DAYS)}" rel="prev"><span class="govuk-pagination__link-title">Previous ${DAYS} days</span></a></div><div class="govuk-pagination__next"><a class="govuk-link govuk-pagination__link" href="?from=${addDays(first, DAYS)}" rel="next"><span class="govuk-pagination__link-title">Next ${DAYS} days</span></a></div></nav>
${view.dates.map((date) => dayTable(view, date))}`;
}

export const makeHandler = (deps: Dependencies) => async (event: HttpEvent): Promise<HttpResult> => {
  const assets = await webAssets();
  const session = await currentSession(deps, event);
  if (!session) return redirect(loginPath(event.rawPath));
  const message = (status: number, title: string, text: string) => pageResult(deps, assets, { status, title, session, body: messagePage(title, [text]) });
  const teamId = event.pathParameters?.teamId ?? '';
  if (!(await canSeeRota(deps, session.caller, teamId))) return message(403, 'You cannot see this rota', "Only the team's staff and administrators can see its rota.");
  const query = rotaWindowQuery.safeParse({ from: event.queryStringParameters?.from });
  if (!query.success) return message(400, 'Check the date', 'The date to start from must be written like 2026-10-24.');
  const view = await rotaView(deps, teamId, query.data.from, DAYS);
  if (!view) return message(404, 'Team not found', 'Check the address.');
  return pageResult(deps, assets, { status: 200, title: `Rota: ${view.team.name}`, session, body: rotaPage(view) });
};

export const handler = lambdaEntry(makeHandler);
