/** The referrer's pages, apart from the form itself. None shows personal data of the subject. */
import type { ReferrerStatusView } from '../../shared/app/referrer-status.ts';
import { formatUkPhone } from '../../shared/domain/phone.ts';
import { legalStatusLabel } from '../../shared/domain/sms.ts';
import type { Urgency } from '../../shared/domain/types.ts';
import { button, errorSummary, input, insetText, panel, radios, summaryList, tag, warningText, type SummaryError } from '../commons/pages/govuk.ts';
import { html, type SafeHtml } from '../commons/pages/html.ts';
import { inspectorQuestion, placeOfSafetyKindChoices } from './referral-form.ts';
import { referrerStageTag } from '../commons/pages/status-words.ts';

const londonDateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const londonClock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** `Wed 26 Nov, 21:40`, on the clock in England and Wales. */
export const whenText = (instant: string) => londonDateTime.format(new Date(instant)).replace(/ at /, ', ');
const timeElement = (instant: string, format: (instant: string) => string = whenText) =>
  html`<time datetime="${instant}">${format(instant)}</time>`;

const urgencyText: Record<Urgency, string> = {
  immediate: 'Immediately',
  within_4_hours: 'Within 4 hours',
  within_24_hours: 'Within 24 hours',
};

export function startPage(signedIn: boolean): SafeHtml {
  return html`<h1 class="govuk-heading-xl">Refer for an urgent Mental Health Act assessment</h1>
<p class="govuk-body-l">For GPs, police officers, emergency departments and crisis teams who need an Approved Mental Health Professional (AMHP) out of hours.</p>
<p class="govuk-body">The AMHP on duty where the person is now is asked to accept straight away; if they do not answer, the next AMHP on duty is asked. You get a reference at once, a page that shows who accepted, and a text message when an AMHP accepts.</p>
<p class="govuk-body">It takes about 3 minutes. You will need the person's name, date of birth, where they are now and their legal status.</p>
${warningText('If someone is in immediate danger, call 999.')}
<a href="/referrals/new" role="button" draggable="false" class="govuk-button govuk-button--start" data-module="govuk-button">Start now<svg class="govuk-button__start-icon" xmlns="http://www.w3.org/2000/svg" width="17.5" height="19" viewBox="0 0 33 40" aria-hidden="true" focusable="false"><path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z"/></svg></a>
${signedIn ? html`<p class="govuk-body"><a class="govuk-link" href="/referrals">See your referrals</a></p>` : ''}`;
}

/** The number given, or (once the details are removed under the retention policy) no number. */
const callbackText = (view: ReferrerStatusView) => (view.callbackPhone ? formatUkPhone(view.callbackPhone) : 'the number you gave');

/** The emergency duty team's number, wherever a page tells the referrer to call it. */
export const dutyTeamPhone = (phone: string | null | undefined) =>
  phone ? html` on <a class="govuk-link" id="edt-phone" href="tel:${phone}">${formatUkPhone(phone)}</a>` : '';

/**
 * "the emergency duty team on 0113 496 0190": the number the page's handler found for the team
 * (before routing, the team whose areas hold the district), else the one progress carries.
 */
const theTeamToCall = (view: ReferrerStatusView, edtPhone?: string | null) =>
  html`the emergency duty team${dutyTeamPhone(edtPhone ?? view.progress.callPhone)}`;

/**
 * What happens next, by what really happened so far (never "the AMHP is being asked" when nobody
 * is): refreshed while the referral is still being routed, which takes a moment after sending.
 */
function nextSteps(view: ReferrerStatusView): SafeHtml {
  const { progress } = view;
  const stillRouting = progress.stage === 'received';
  const now: SafeHtml | string = stillRouting
    ? `dutyline is finding the emergency duty team that covers ${view.district} and who is on duty there. This page says who has been asked as soon as that is known.`
    : progress.headline;
  const after =
    progress.stage === 'paging' || progress.stage === 'escalated'
      ? ' If nobody answers in time, the next AMHP on duty is asked, then the duty manager.'
      : '';
  const failed = progress.stage === 'exhausted' || progress.stage === 'unreachable' || progress.stage === 'unrouted';
  return html`<div id="referral-next"${stillRouting ? html` data-refresh-seconds="2"` : ''} data-announce="${progress.headline}">
${failed ? warningText(progress.headline) : html`<p class="govuk-body" id="next-now">${now}${after}</p>`}
${
  progress.stage === 'closed'
    ? ''
    : html`<p class="govuk-body">When an AMHP accepts, they will call you back on ${callbackText(view)}${
        view.callbackPhone && /^\+447/.test(view.callbackPhone) ? ', and you will get a text message saying who it is' : ''
      }.</p>`
}
</div>`;
}

export function confirmationPage(view: ReferrerStatusView, edtPhone?: string | null): SafeHtml {
  return html`${panel('Referral sent', html`Your reference<br><strong>${view.reference}</strong>`)}
<p class="govuk-body">Give this reference if you call ${theTeamToCall(view, edtPhone)} about this referral.</p>
${view.clockExpiresAt ? clockExpiryText(view) : ''}
<h2 class="govuk-heading-m">What happens next</h2>
${nextSteps(view)}
<p class="govuk-body"><a class="govuk-link" href="/referrals/${view.id}">Follow this referral as it happens</a></p>
<p class="govuk-body"><a class="govuk-link" href="/referrals/new">Make another referral</a></p>`;
}

/** The part of the status page that keeps itself up to date (dutyline.js fetches the page again). */
export function statusRegion(view: ReferrerStatusView, edtPhone?: string | null): SafeHtml {
  const { progress } = view;
  const [tagText, colour] = referrerStageTag[progress.stage];
  const rows: { key: string; value: SafeHtml | string; id?: string }[] = [
    { key: 'Status', value: tag(tagText, colour), id: 'referral-stage' },
    { key: 'Team', value: view.teamName ?? (progress.stage === 'unrouted' ? 'No team covers this area' : 'Being found') },
  ];
  if (progress.callPhone) rows.push({ key: 'Number to call', value: formatUkPhone(progress.callPhone), id: 'call-phone' });
  if (progress.stage === 'accepted') {
    rows.push({ key: 'Accepted by', value: view.amhp?.name ?? 'An AMHP', id: 'accepted-by' });
    if (progress.acceptedAt) rows.push({ key: 'Accepted at', value: timeElement(progress.acceptedAt) });
    if (view.amhp?.phone) rows.push({ key: 'AMHP phone', value: formatUkPhone(view.amhp.phone) });
    if (progress.callBackBy) {
      rows.push({ key: 'Expect the call by', value: timeElement(progress.callBackBy), id: 'call-back-by' });
    }
  }
  return html`<div id="referral-status"${progress.settled ? '' : html` data-refresh-seconds="5"`} data-announce="${progress.headline}">
<p class="govuk-body-l" id="referral-headline">${progress.headline}</p>
${summaryList(rows)}
${
  // Once the assessment is under way the headline says where it has got to; the call-back is behind them.
  progress.stage === 'accepted' && !progress.assessment
    ? insetText(html`They will call you on ${callbackText(view)}. If you have not heard by ${timeElement(progress.callBackBy ?? progress.acceptedAt ?? view.createdAt, (t) => londonClock.format(new Date(t)))}, call ${theTeamToCall(view, edtPhone)} and give the reference.`)
    : ''
}
${edtPhone && progress.stage !== 'accepted' ? html`<p class="govuk-body" id="edt-call">To talk to someone about it, call the emergency duty team${dutyTeamPhone(edtPhone)} and give the reference.</p>` : ''}
<h2 class="govuk-heading-m">What has happened</h2>
<ol class="govuk-list dutyline-timeline">${progress.events.map((event) => html`<li>${timeElement(event.at, (t) => londonClock.format(new Date(t)))} ${event.text}</li>`)}</ol>
</div>`;
}

/** What the referrer typed into the arrival or transfer form, and what was wrong with it, when it is shown again. */
export interface PlaceReport {
  fields: Record<string, string>;
  errors: SummaryError[];
  byField: Map<string, string>;
}

/** When the statutory clock runs out, or, once it has, that it has and that the team has been told. */
function clockExpiryText(view: Pick<ReferrerStatusView, 'clockExpiresAt' | 'clockExpired'>): SafeHtml {
  const at = timeElement(view.clockExpiresAt ?? '');
  return view.clockExpired
    ? warningText(html`The statutory clock ran out at ${at}: the power to detain has ended. The emergency duty team has been told.`)
    : html`<p class="govuk-body" id="clock-expires">The statutory clock expires ${at}.</p>`;
}

/** The place of safety clock in words: not started until the arrival, then when it started and ends. */
function placeOfSafetyClockText(place: NonNullable<ReferrerStatusView['placeOfSafety']>): SafeHtml | string {
  if (place.state === 'pending') return 'Not started: the 24 hours start when the person arrives at the place of safety';
  const span = place.startedAt && place.expiresAt ? html`started ${timeElement(place.startedAt)}, ends ${timeElement(place.expiresAt)}` : '';
  const words: Record<string, string> = { running: 'Running', extended: 'Extended', expired: 'Run out', ended: 'Ended' };
  return html`${words[place.state] ?? place.state}: ${span}`;
}

/**
 * The referrer reports the arrival at the place of safety (which starts the 24 hours, s136(2A))
 * or a move to another one (which does not restart them, s136(3)). A plain form: it posts and
 * comes back to this page; the "Now" button only fills the time in.
 */
function placeReportForm(view: ReferrerStatusView, report?: PlaceReport): SafeHtml | '' {
  const place = view.placeOfSafety;
  if (!place?.open || !(place.state === 'pending' || place.state === 'running' || place.state === 'extended')) return '';
  const arriving = place.state === 'pending';
  const v = (name: string) => report?.fields[name] ?? '';
  const e = (id: string) => report?.byField.get(id);
  return html`<h2 class="govuk-heading-m" id="place-report-heading">${arriving ? 'Have they arrived at the place of safety?' : 'Have they been moved to another place of safety?'}</h2>
${report ? errorSummary(report.errors) : ''}
<form method="post" action="/referrals/${view.id}/events" novalidate id="place-report">
<input type="hidden" name="type" value="${arriving ? 'arrived_at_place_of_safety' : 'transferred'}">
<p class="govuk-body">${arriving ? 'Tell us when they arrive: the 24 hours start then, and the team is reminded before they end.' : 'A move does not restart the 24 hours.'}</p>
${radios({ id: 'placeKind', name: 'placeKind', legend: arriving ? 'Which kind of place of safety?' : 'Which kind of place are they at now?', value: v('placeKind'), error: e('placeKind'), small: true, items: placeOfSafetyKindChoices.map((choice) => (choice.value === 'police_station' ? { ...choice, conditional: inspectorQuestion(v('policeStationAuthorisedBy'), e('policeStationAuthorisedBy'), 'report-policeStationAuthorisedBy') } : choice)) })}
${input({ id: 'report-postcode', name: 'postcode', label: 'Postcode of the place', value: v('postcode'), error: e('report-postcode'), classes: 'govuk-input--width-10', autocomplete: 'off', spellcheck: false })}
<div class="govuk-form-group${e('report-time') ? ' govuk-form-group--error' : ''}" id="report-when">
${input({ id: 'report-time', name: 'time', label: arriving ? 'When? Time they arrived (24-hour clock)' : 'When? Time they arrived there (24-hour clock)', hint: 'Leave it blank if it is now. For example, 02:40.', value: v('time'), error: e('report-time'), classes: 'govuk-input--width-5', autocomplete: 'off', inputmode: 'numeric' })}
<button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0 dutyline-now" data-now-for="report" hidden>Now<span class="govuk-visually-hidden">: fill in the time now</span></button>
</div>
${button(arriving ? 'Report the arrival' : 'Report the move')}
</form>`;
}

export function statusPage(view: ReferrerStatusView, edtPhone?: string | null, report?: PlaceReport): SafeHtml {
  return html`<span class="govuk-caption-l">Referral</span>
<h1 class="govuk-heading-l">${view.reference}</h1>
${statusRegion(view, edtPhone)}
<p class="govuk-body"><a class="govuk-link" href="/referrals/${view.id}">Check again</a> (this page also updates by itself)</p>
<h2 class="govuk-heading-m">The referral</h2>
${summaryList([
  { key: 'Sent', value: timeElement(view.createdAt) },
  { key: 'Area', value: view.district },
  { key: 'Urgency', value: urgencyText[view.urgency] },
  { key: 'Legal status', value: legalStatusLabel[view.legalStatus] },
  ...(view.placeOfSafety ? [{ key: 'Place of safety clock (24 hours)', value: placeOfSafetyClockText(view.placeOfSafety), id: 'place-of-safety-clock' }] : []),
  ...(view.clockExpiresAt ? [{ key: view.clockExpired ? 'Statutory clock ran out' : 'Statutory clock expires', value: timeElement(view.clockExpiresAt), id: 'clock-expires' }] : []),
])}
${placeReportForm(view, report)}
${
  view.detailsRemovedAt
    ? html`<p class="govuk-body" id="details-removed">The personal details in this referral, and your name and number, were removed ${timeElement(view.detailsRemovedAt)} under the retention policy. The record of what happened is kept.</p>`
    : ''
}`;
}

export function historyPage(views: readonly ReferrerStatusView[]): SafeHtml {
  if (views.length === 0) {
    return html`<h1 class="govuk-heading-l">Your referrals</h1><p class="govuk-body">You have not made any referrals.</p><p class="govuk-body"><a class="govuk-link" href="/referrals/new">Make a referral</a></p>`;
  }
  return html`<h1 class="govuk-heading-l">Your referrals</h1>
<table class="govuk-table"><caption class="govuk-table__caption govuk-visually-hidden">Your referrals, newest first</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Reference</th><th scope="col" class="govuk-table__header">Sent</th><th scope="col" class="govuk-table__header">Area</th><th scope="col" class="govuk-table__header">Status</th></tr></thead>
<tbody class="govuk-table__body">${views.map((view) => {
    const [tagText, colour] = referrerStageTag[view.progress.stage];
    return html`<tr class="govuk-table__row"><td class="govuk-table__cell"><a class="govuk-link" href="/referrals/${view.id}">${view.reference}</a></td><td class="govuk-table__cell">${timeElement(view.createdAt)}</td><td class="govuk-table__cell">${view.district}</td><td class="govuk-table__cell">${tag(tagText, colour)}</td></tr>`;
  })}</tbody></table>
<p class="govuk-body"><a class="govuk-link" href="/referrals/new">Make another referral</a></p>`;
}

export function messagePage(heading: string, paragraphs: readonly (string | SafeHtml)[]): SafeHtml {
  return html`<h1 class="govuk-heading-l">${heading}</h1>${paragraphs.map((p) => html`<p class="govuk-body">${p}</p>`)}`;
}
