/**
 * The AMHP's referral page and the accept-link pages, drawn with the web pages' GOV.UK components.
 * Every referral page leads with its statutory clock. Only the signed-in referral page shows
 * personal details; the link pages show the reference and the clock, as the SMS does.
 */
import type { AmhpReferralView } from '../../shared/app/amhp-referral.ts';
import { earliestExpiry } from '../../shared/domain/clocks.ts';
import { formatNhsNumber } from '../../shared/domain/nhs-number.ts';
import { formatUkPhone } from '../../shared/domain/phone.ts';
import type { PhoneReferralDetails, WebReferralDetails } from '../../shared/domain/referral-details.ts';
import type { Referral } from '../../shared/ports.ts';
import { legalStatusLabel } from '../../shared/domain/sms.ts';
import type { LocationKind, ReferrerKind, StatutoryClock, StatutoryClockKind, Urgency } from '../../shared/domain/types.ts';
import { insetText, notificationBanner, summaryList, tag, warningText } from '../commons/pages/govuk.ts';
import { html, type SafeHtml } from '../commons/pages/html.ts';
import { whenText } from '../web/pages.ts';
import { referralStatusTag, under18Marker } from '../commons/pages/status-words.ts';

export const clockName: Record<StatutoryClockKind, string> = {
  s136: 'Section 136',
  s135: 'Section 135',
  s5_2: 'Section 5(2)',
  s5_4: 'Section 5(4)',
  s135_2: 'Section 135(2)',
  s4: 'Section 4',
  s2: 'Section 2',
  cto_recall: 'CTO recall',
};

const urgencyText: Record<Urgency, string> = {
  immediate: 'Immediately',
  within_4_hours: 'Within 4 hours',
  within_24_hours: 'Within 24 hours',
};

const referrerKindText: Record<ReferrerKind, string> = {
  gp: 'GP',
  police: 'Police officer',
  ambulance: 'Ambulance service',
  emergency_department: 'Emergency department',
  crisis_team: 'Crisis team',
  nearest_relative: 'Nearest relative',
  other_professional: 'Another professional',
};

export const locationText: Record<LocationKind, string> = {
  home: 'At home',
  police_station: 'Police station',
  place_of_safety: 'Health-based place of safety',
  emergency_department: 'Emergency department',
  hospital_ward: 'Hospital ward',
  public_place: 'Public place',
  other: 'Somewhere else',
};

const time = (instant: string) => html`<time datetime="${instant}">${whenText(instant)}</time>`;

const longDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const londonToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** `14 March 1987 (aged 39)`: the age on today's date in England and Wales. */
export function dateOfBirthText(dateOfBirth: string, now: Date): SafeHtml {
  const today = londonToday.format(now);
  const age = Number(today.slice(0, 4)) - Number(dateOfBirth.slice(0, 4)) - (today.slice(5) < dateOfBirth.slice(5) ? 1 : 0);
  return html`<time datetime="${dateOfBirth}">${longDate.format(new Date(`${dateOfBirth}T00:00:00Z`))}</time> (aged ${age})`;
}

/** `3 hours 20 minutes`, rounded down to the minute. */
export function durationText(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const part = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (hours === 0) return part(rest, 'minute');
  return rest === 0 ? part(hours, 'hour') : `${part(hours, 'hour')} ${part(rest, 'minute')}`;
}

/** The statutory clock that runs out first, as the first thing on the page. */
export function clockBanner(clocks: readonly StatutoryClock[], now: Date): SafeHtml {
  const expiry = earliestExpiry(clocks);
  const clock = clocks.find((c) => c.expiresAt === expiry);
  if (!expiry || !clock) {
    return insetText(html`<span id="clock-expiry">No statutory clock runs for this referral's legal status.</span>`);
  }
  const left = Date.parse(expiry) - now.getTime();
  const when = left > 0 ? `That is ${durationText(left)} from now.` : `It ran out ${durationText(-left)} ago.`;
  return notificationBanner(
    'Statutory time limit',
    html`<p class="govuk-notification-banner__heading" id="clock-expiry">${clockName[clock.kind]} ${left > 0 ? 'expires' : 'expired'} ${time(expiry)}</p>
<p class="govuk-body">${when} Detention started ${time(clock.startedAt)}.${
      clock.extension ? ` Extended by ${clock.extension.hours} hours under s136B.` : ''
    }</p>`,
  );
}

const row = (key: string, value: SafeHtml | string | undefined | null, id?: string) =>
  value === undefined || value === null || value === '' ? [] : [{ key, value, ...(id ? { id } : {}) }];

/** Free text as the referrer typed it, line breaks kept. */
const paragraphs = (text: string) => html`${text.split(/\n+/).map((line) => html`<p class="govuk-body">${line}</p>`)}`;

function webDetails(referral: Referral, details: WebReferralDetails, careCoordinator: string | null, now: Date): SafeHtml {
  const { subject, referrer, nearestRelative } = details;
  return html`<h2 class="govuk-heading-m">The person</h2>
${summaryList([
  ...row('Name', `${subject.givenName} ${subject.familyName}`, 'subject-name'),
  ...row('Date of birth', dateOfBirthText(subject.dateOfBirth, now)),
  ...row('NHS number', subject.nhsNumber ? formatNhsNumber(subject.nhsNumber) : undefined),
  ...row('NHS number not known because', subject.nhsNumber ? undefined : subject.nhsNumberUnknownReason),
  ...row('Home address', subject.homeAddress),
  ...row('Where they are now', referral.locationKind ? locationText[referral.locationKind] : undefined),
  ...row('Details of where they are', subject.currentLocation.description),
  ...row('Postcode where they are', subject.currentLocation.postcode),
  ...row('Care co-ordinator', careCoordinator),
  ...row('Interpreter needed', subject.interpreterLanguage),
])}
${legalStatus(referral)}
<h2 class="govuk-heading-m">Why they are referred</h2>
${paragraphs(details.reason)}
<h3 class="govuk-heading-s">Risks</h3>
${details.risks.length > 0 ? html`<ul class="govuk-list govuk-list--bullet">${details.risks.map((risk) => html`<li>${risk}</li>`)}</ul>` : html`<p class="govuk-body">None given.</p>`}
<h2 class="govuk-heading-m">Referrer</h2>
${summaryList([
  ...row('Name', referrer.name),
  ...referrerRole(referral),
  ...row('Phone', formatUkPhone(referrer.phone), 'referrer-phone'),
  ...row('Collar number', referrer.collarNumber),
])}
${
  nearestRelative
    ? html`<h2 class="govuk-heading-m">Nearest relative</h2>
${summaryList([...row('Name', nearestRelative.name), ...row('Relationship', nearestRelative.relationship), ...row('Phone', nearestRelative.phone ? formatUkPhone(nearestRelative.phone) : undefined)])}`
    : ''
}`;
}

/** The legal status, with the U18 marker the board and the AMHP's home show. */
const heldUnder = (referral: Referral) => html`${legalStatusLabel[referral.legal.status]}${under18Marker(referral.subjectUnder18)}`;

const legalStatus = (referral: Referral) => html`<h2 class="govuk-heading-m">Legal status</h2>
${summaryList([...row('Held under', heldUnder(referral), 'held-under'), ...row('Detention started', referral.legal.detentionStart ? time(referral.legal.detentionStart) : undefined)])}`;

/** Who referred, by role: kept on the referral, so still shown once the details are removed. */
const referrerRole = (referral: Referral) => [
  ...row('Who they are', referral.referrer ? referrerKindText[referral.referrer.kind] : undefined),
  ...row('Organisation', referral.referrer?.organisation),
  ...row('Police force', referral.referrer?.policeForce),
];

function phoneDetails(referral: Referral, details: PhoneReferralDetails): SafeHtml {
  return html`${warningText('This referral came by phone with the minimum details. Call back for the rest.')}
<h2 class="govuk-heading-m">What the caller gave</h2>
${summaryList([
  ...row('Call back on', formatUkPhone(details.callbackPhone), 'referrer-phone'),
  ...row('Postcode where the person is', details.currentLocation.postcode),
  ...row('Held under', heldUnder(referral), 'held-under'),
  ...row('Detention started', referral.legal.detentionStart ? time(referral.legal.detentionStart) : undefined),
])}`;
}

/** After the retention period: what identifies nobody is still shown, and when the rest went. */
function detailsRemoved(view: AmhpReferralView): SafeHtml {
  const { referral, personal } = view;
  const removedAt = personal.status === 'removed' ? personal.removedAt : null;
  const referrer = referrerRole(referral);
  const place = [...row('Where they were', referral.locationKind ? locationText[referral.locationKind] : undefined), ...row('Care co-ordinator', view.careCoordinator)];
  return html`${insetText(
    html`<span id="details-removed">The person's details, the referrer's name and number and everything written about the person were removed${
      removedAt ? html` on ${time(removedAt)}` : ''
    } under the retention policy. The referral's record of what happened (its timeline and outcome) is kept.</span>`,
  )}
${legalStatus(referral)}
${place.length > 0 ? summaryList(place) : ''}
${referrer.length > 0 ? html`<h2 class="govuk-heading-m">Referrer</h2>
${summaryList(referrer)}` : ''}`;
}

/** Everything the referrer gave, for a signed-in AMHP or manager who may see it. */
export function referralDetailsPage(view: AmhpReferralView, now: Date): SafeHtml {
  const { referral, personal } = view;
  const [statusText, colour] = referralStatusTag[referral.status];
  return html`<span class="govuk-caption-l">Referral</span>
<h1 class="govuk-heading-l">${referral.reference}</h1>
${clockBanner(referral.clocks, now)}
${view.canAnswer ? insetText('To accept, reply 1 to the text message, or open its link. To decline, reply 2 (2 CONFLICT if you have a conflict of interest).') : ''}
${summaryList([
  ...row('Status', tag(statusText, colour), 'referral-status'),
  ...row('Accepted by', view.acceptedBy),
  ...row('Team', view.teamName),
  ...row('Urgency', urgencyText[referral.urgency]),
  ...row('Received', time(referral.createdAt)),
  ...row('Area', referral.district),
])}
${
  personal.status === 'removed'
    ? detailsRemoved(view)
    : html`${personal.details.channel === 'web' ? webDetails(referral, personal.details, view.careCoordinator, now) : phoneDetails(referral, personal.details)}
<p class="govuk-body-s" id="details-kept-until">Each time these details are shown, who saw them and when is kept in the referral's audit trail. They are kept until ${time(personal.removeAt)} under the retention policy.</p>`
}`;
}

/** The accept link's pages: reference and clock only, and the way to the details after signing in. */
export function linkPage(input: {
  reference: string;
  referralId: string;
  clocks: { expiresAt: string | null };
  now: Date;
  heading: SafeHtml;
  body: SafeHtml | string;
  /** After accepting, reading the details is the next thing to do. */
  detailsFirst?: boolean;
}): SafeHtml {
  const expiry = input.clocks.expiresAt;
  const left = expiry ? Date.parse(expiry) - input.now.getTime() : 0;
  return html`${input.heading}
${
  expiry
    ? html`<p class="govuk-body-l" id="clock-expiry">Statutory clock ${left > 0 ? 'expires' : 'expired'} <strong>${time(expiry)}</strong>${
        left > 0 ? html` (in ${durationText(left)})` : ''
      }.</p>`
    : html`<p class="govuk-body" id="clock-expiry">No statutory clock runs for this referral.</p>`
}
${input.body}
${
  input.detailsFirst
    ? html`<a href="/amhp/referrals/${input.referralId}" role="button" draggable="false" class="govuk-button" data-module="govuk-button" id="view-details">View referral details</a>
<p class="govuk-body">You will be asked to sign in first. Each time the details are shown, it is recorded.</p>`
    : html`<p class="govuk-body"><a class="govuk-link" href="/amhp/referrals/${input.referralId}" id="view-details">View referral details</a> (you will be asked to sign in)</p>`
}`;
}
