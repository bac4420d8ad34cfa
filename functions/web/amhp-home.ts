/**
 * The AMHP's home on their phone (`GET /amhp`): the open referrals they accepted, each with the
 * number to call back and where the person is first (tap to call), where it has got to, one button
 * per next step, its delays (to start and end) and the relative consulted. Every form posts
 * `POST /amhp/referrals/{id}/events`, the same use case as the API's events endpoint. Words for
 * stages and steps come from shared/domain/stage-words.ts, as the texts and the referrer's page do.
 */
import type { HeldReferral } from '../../shared/app/amhp-home.ts';
import type { RelativeRole } from '../../shared/domain/mha-2025.ts';
import { earliestExpiry } from '../../shared/domain/clocks.ts';
import type { NextStep } from '../../shared/domain/next-steps.ts';
import { formatUkPhone } from '../../shared/domain/phone.ts';
import { conveyors, decisionOutcomes } from '../../shared/domain/referral-events/assessment.ts';
import { delayReasons, openDelay } from '../../shared/domain/referral-events/delays.ts';
import { relativeActions } from '../../shared/domain/referral-events/relatives.ts';
import { legalStatusLabel } from '../../shared/domain/sms.ts';
import { conveyorText, delayReasonText, eventText, outcomeText, relativeActionText, relativeRoleText, stepButtonText } from '../../shared/domain/stage-words.ts';
import { clockName, durationText, locationText } from '../acknowledge/referral-details.ts';
import { errorSummary, insetText, type SummaryError } from '../commons/pages/govuk.ts';
import { html, type SafeHtml } from '../commons/pages/html.ts';
import { whenText } from './pages.ts';
import { stageTag, under18Marker } from '../commons/pages/status-words.ts';

const londonClock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const clockTime = (instant: string) => html`<time datetime="${instant}" title="${whenText(instant)}">${londonClock.format(new Date(instant))}</time>`;

/** A button that names its referral to screen readers: several cards carry the same steps. */
const stepButton = (text: string, reference: string, secondary = false) =>
  html`<button type="submit" class="govuk-button${secondary ? ' govuk-button--secondary' : ''} dutyline-step-button" data-module="govuk-button" data-prevent-double-click="true">${text}<span class="govuk-visually-hidden"> (${reference})</span></button>`;

const hidden = (fields: Record<string, string>) => html`${Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}`;

function stepForm(held: HeldReferral, step: NextStep): SafeHtml {
  const { referral } = held;
  const id = (field: string) => `${referral.id}-${field}`;
  const action = `/amhp/referrals/${referral.id}/events`;
  const { type, ...fields } = step.body;
  const chosen = step.choose ? Object.fromEntries(Object.entries(fields).filter(([name]) => name !== step.choose)) : fields;
  const choice = (() => {
    switch (step.choose) {
      case 'etaMinutes':
        return html`<div class="govuk-form-group"><label class="govuk-label" for="${id('eta')}">Minutes until you arrive (optional)</label><input class="govuk-input govuk-input--width-3" id="${id('eta')}" name="etaMinutes" type="text" inputmode="numeric" pattern="[0-9]*" autocomplete="off" spellcheck="false"></div>`;
      case 'outcome':
        return html`<div class="govuk-form-group"><label class="govuk-label" for="${id('outcome')}">Decision</label><select class="govuk-select" id="${id('outcome')}" name="outcome">${decisionOutcomes.map((outcome) => html`<option value="${outcome}">${outcomeText[outcome]}</option>`)}</select></div>`;
      case 'by':
        return html`<div class="govuk-form-group"><label class="govuk-label" for="${id('by')}">Conveyed by</label><select class="govuk-select" id="${id('by')}" name="by">${conveyors.map((by) => html`<option value="${by}">${conveyorText[by].charAt(0).toUpperCase()}${conveyorText[by].slice(1)}</option>`)}</select></div>`;
      default:
        return '';
    }
  })();
  return html`<form method="post" action="${action}" class="dutyline-step" novalidate>${hidden({ type, ...chosen })}${choice}${stepButton(stepButtonText(step.body), referral.reference)}</form>`;
}

function delaysBlock(held: HeldReferral): SafeHtml {
  const { referral } = held;
  const open = held.delays.filter((delay) => delay.until === null);
  const action = `/amhp/referrals/${referral.id}/events`;
  const free = delayReasons.filter((reason) => !openDelay(referral.timeline, reason));
  return html`<h3 class="govuk-heading-s">Delays</h3>
${open.length === 0 ? html`<p class="govuk-body">Nothing is holding it up.</p>` : ''}
${open.map(
  (delay) => html`<form method="post" action="${action}" class="dutyline-step">${hidden({ type: 'delay_ended', reason: delay.reason })}<p class="govuk-body">Waiting for ${(delayReasonText[delay.reason as keyof typeof delayReasonText] ?? delay.reason).toLowerCase()} since ${clockTime(delay.since)}</p>${stepButton('No longer waiting', referral.reference, true)}</form>`,
)}
<form method="post" action="${action}" class="dutyline-step">${hidden({ type: 'delay_started' })}<div class="govuk-form-group"><label class="govuk-label" for="${referral.id}-delay">Waiting for</label><select class="govuk-select" id="${referral.id}-delay" name="reason">${free.map((reason) => html`<option value="${reason}">${delayReasonText[reason]}</option>`)}</select></div>${stepButton('Start the delay', referral.reference, true)}</form>`;
}

/**
 * Whom the AMHP informed or consulted, and how it went: the role is the one the Acts give the
 * person today (the service's `nominatedPersonFrom`), so only the action is chosen. Role and action
 * only, never who the relative is.
 */
function relativesBlock(held: HeldReferral, relative: RelativeRole): SafeHtml {
  const { referral } = held;
  const recorded = referral.timeline.filter((entry) => entry.type === 'relative_consulted');
  const id = `${referral.id}-relative`;
  return html`<h3 class="govuk-heading-s">${relativeRoleText[relative]}</h3>
${
  recorded.length === 0
    ? html`<p class="govuk-body">Nothing recorded yet.</p>`
    : html`<ul class="govuk-list" id="${id}-recorded">${recorded.map(
        (entry) =>
          html`<li>${eventText(entry)} at ${clockTime(String(entry.eventAt ?? entry.at))}</li>`,
      )}</ul>`
}
<form method="post" action="/amhp/referrals/${referral.id}/events" class="dutyline-step">${hidden({ type: 'relative_consulted', role: relative })}<div class="govuk-form-group"><label class="govuk-label" for="${id}">What happened with the ${relativeRoleText[relative].toLowerCase()}</label><select class="govuk-select" id="${id}" name="action">${relativeActions.map(
    (action) => html`<option value="${action}">${capitalised(relativeActionText[action])}</option>`,
  )}</select></div>${stepButton(`Record ${relativeRoleText[relative].toLowerCase()}`, referral.reference, true)}</form>`;
}

const capitalised = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

function placeText(held: HeldReferral): SafeHtml | string {
  const { place } = held;
  if (!place) return 'Removed under the retention policy';
  const kind = place.kind ? locationText[place.kind] : null;
  return html`${[kind, place.description].filter(Boolean).join(', ')}${kind || place.description ? html`<br>` : ''}${place.postcode}`;
}

function clockLine(held: HeldReferral, now: Date): SafeHtml | '' {
  const expiry = earliestExpiry(held.referral.clocks);
  const clock = held.referral.clocks.find((c) => c.expiresAt === expiry && !c.endedAt);
  if (!expiry || !clock) return '';
  const left = Date.parse(expiry) - now.getTime();
  return html`<p class="govuk-body govuk-!-font-weight-bold" id="${held.referral.id}-clock">${clockName[clock.kind]} ${left > 0 ? 'expires' : 'expired'} ${clockTime(expiry)}${left > 0 ? ` (in ${durationText(left)})` : ''}</p>`;
}

function card(held: HeldReferral, now: Date, relative: RelativeRole): SafeHtml {
  const { referral, stage } = held;
  const [label, colour] = stageTag[stage.stage];
  const heading = `${referral.id}-heading`;
  return html`<section class="dutyline-card" aria-labelledby="${heading}" id="referral-${referral.id}">
<h2 class="govuk-heading-m" id="${heading}">${referral.reference}</h2>
<dl class="govuk-summary-list dutyline-first">
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Call back</dt><dd class="govuk-summary-list__value">${
    held.callbackPhone ? html`<a class="govuk-link dutyline-tel" href="tel:${held.callbackPhone}" id="${referral.id}-call">${formatUkPhone(held.callbackPhone)}</a>` : 'Removed under the retention policy'
  }</dd></div>
<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Where the person is</dt><dd class="govuk-summary-list__value" id="${referral.id}-place">${placeText(held)}</dd></div>
</dl>
${clockLine(held, now)}
<p class="govuk-body" id="${referral.id}-stage"><strong class="govuk-tag govuk-tag--${colour}">${label}</strong>${stage.since ? html` since ${clockTime(stage.since)}` : ''}</p>
<p class="govuk-body-s" id="${referral.id}-legal">${legalStatusLabel[referral.legal.status]}${under18Marker(referral.subjectUnder18)}, ${referral.district}</p>
<h3 class="govuk-heading-s">Next</h3>
${held.nextSteps.length > 0 ? held.nextSteps.map((step) => stepForm(held, step)) : html`<p class="govuk-body">Nothing more to record here: record the outcome when it is done.</p>`}
${delaysBlock(held)}
${relativesBlock(held, relative)}
<p class="govuk-body"><a class="govuk-link" href="/amhp/referrals/${referral.id}">All the details<span class="govuk-visually-hidden"> of ${referral.reference}</span></a></p>
</section>`;
}

export function amhpHomePage(referrals: readonly HeldReferral[], now: Date, errors: readonly SummaryError[] = [], relative: RelativeRole = 'nearest_relative'): SafeHtml {
  return html`${errorSummary(errors)}
<h1 class="govuk-heading-l">Your open referrals</h1>
${
  referrals.length === 0
    ? insetText('You hold no open referrals. When you accept one, it is listed here with the number to call back.')
    : referrals.map((held) => card(held, now, relative))
}
<p class="govuk-body-s">Each time this page shows a callback number and where the person is, who saw it and when is kept in the referral's audit trail. You can also text stages, for example ATTENDING and the code; reply HELP for the list.</p>`;
}
