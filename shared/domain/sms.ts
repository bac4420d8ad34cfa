/**
 * SMS wording. Texts carry only what is passed in here: reference, urgency, legal status,
 * postcode district, clock expiry, reply codes and a link. Never the subject's name, date of
 * birth, NHS number, address or the free-text reason: an SMS sits on a phone's lock screen.
 * Each text aims for two segments at most (306 GSM characters).
 */
import { formatUkPhone } from './phone.ts';
import { shortReference } from './reference.ts';
import type { ClockWarningWords, SmsPurpose } from '../ports.ts';
import type { PageStanding } from './page-standing.ts';
import type { LegalStatus, Position, StatutoryClockKind, Urgency } from './types.ts';
import type { OverrunKind } from './overruns.ts';

export const legalStatusLabel: Record<LegalStatus, string> = {
  none: 'not detained',
  s136: 's136',
  s135_1: 's135(1)',
  s135_2: 's135(2)',
  s5_2: 's5(2)',
  s5_4: 's5(4)',
  s2: 's2',
  s3: 's3',
  other: 'other legal status',
  s4: 's4',
  cto_recall: 'CTO recall',
};

const assessment: Record<Urgency, string> = {
  immediate: 'URGENT (immediate) MHA assessment',
  within_4_hours: 'MHA assessment within 4 hours',
  within_24_hours: 'MHA assessment within 24 hours',
};

const londonClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  day: 'numeric',
  month: 'short',
});

/** `2025-11-26T03:40:00Z` → `03:40 26 Nov`: the wall-clock time in England and Wales, BST or GMT. */
export function londonTime(instant: string): string {
  const parts = londonClock.formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('hour')}:${part('minute')} ${part('day')} ${part('month')}`;
}

/** A rota position in words, as every text and page says it. */
export const positionLabel: Record<Position, string> = {
  primary: 'primary AMHP',
  secondary: 'secondary AMHP',
  manager: 'manager',
  additional: 'additional AMHP',
};

const londonDayAndTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
});

/** `2026-12-04T17:00:00Z` → `17:00 Fri 4 Dec`: a shift's start or end on the London clock, BST or GMT. */
export function londonShiftTime(instant: string): string {
  const parts = londonDayAndTime.formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('hour')}:${part('minute')} ${part('weekday')} ${part('day')} ${part('month')}`;
}

const hours = (shift: { start: string; end: string }) => `${londonShiftTime(shift.start)} to ${londonShiftTime(shift.end)}`;
const STOP_NOTICES = ' Reply NOTICES OFF to stop these.';

/**
 * Before a shift (and, where the team sets one, the evening before): the position, the team and
 * the hours on the London clock. Staff and rota facts only, never anything of a referral.
 */
export function shiftNoticeText(input: { position: Position; teamName: string; start: string; end: string }): string {
  return `dutyline: you are ${positionLabel[input.position]} for ${input.teamName} ${hours(input)}.${STOP_NOTICES}`;
}

/** To the manager on duty (else a fallback): a rota position starts with nobody in it. */
export function emptyPositionText(input: { position: Position; teamName: string; start: string; end: string }): string {
  return `dutyline: ${input.teamName} has NO ${positionLabel[input.position]} from ${hours(input)}. Please arrange cover.`;
}

/** To the person an override or swap puts on the rota, at once. */
export function rotaCoverText(input: { position: Position; teamName: string; start: string; end: string; coversName: string | null }): string {
  const instead = input.coversName ? ` instead of ${input.coversName}` : '';
  return `dutyline: rota change: you are now ${positionLabel[input.position]} for ${input.teamName} ${hours(input)}${instead}.${STOP_NOTICES}`;
}

/** To the person an override or swap takes off the rota, at once. */
export function rotaCoveredText(input: { position: Position; teamName: string; start: string; end: string; coverName: string }): string {
  return `dutyline: rota change: ${input.coverName} is now ${positionLabel[input.position]} for ${input.teamName} ${hours(input)} instead of you.${STOP_NOTICES}`;
}

/** The answer to NOTICES OFF / NOTICES ON. */
export function shiftNoticesSetText(on: boolean): string {
  return on
    ? 'dutyline: shift notices are on: you will be texted before each shift. Reply NOTICES OFF to stop them.'
    : 'dutyline: shift notices are off. Pages still come as before. Reply NOTICES ON to have them again.';
}

/**
 * To the manager on duty (else the team's fallback) when a page went to a phone never proven by a
 * code: it was tried all the same. The staff member's name only; nothing of the person referred.
 */
export function unverifiedPhonePagedText(input: { reference: string; staffName: string }): string {
  const who = input.staffName.trim() || 'an AMHP';
  return `dutyline ${input.reference}: paged ${who}, whose phone is not verified, so the page may not reach them. Please check they have it.`;
}

/**
 * `U18`: the person is under 18 (a fact computed at intake; the date of birth never leaves the
 * details). It says nobody's name or age, and tells the AMHP at once that a police station is no
 * place of safety (MHA 1983 s136A) and children's services may need to be involved.
 */
const summary = (urgency: Urgency, legalStatus: LegalStatus, district: string, under18?: boolean) =>
  `${assessment[urgency]}, ${legalStatusLabel[legalStatus]}${under18 ? ', U18' : ''}, ${district}.`;

export function pageText(input: {
  reference: string;
  urgency: Urgency;
  legalStatus: LegalStatus;
  district: string;
  clockExpiresAt?: string | null;
  link: string;
  /** The second page to the same person (the team's `repageOnce`). */
  reminder?: boolean;
  under18?: boolean;
}): string {
  const clock = input.clockExpiresAt ? ` Clock expires ${londonTime(input.clockExpiresAt)}.` : '';
  return (
    `dutyline ${input.reference}${input.reminder ? ' (reminder)' : ''}: ${summary(input.urgency, input.legalStatus, input.district, input.under18)}${clock}` +
    ` Reply 1 to accept, 2 to decline (code ${shortReference(input.reference)}). Details: ${input.link}`
  );
}

export function referrerAcceptedText(input: { reference: string; amhpName: string; amhpPhone: string }): string {
  const who = input.amhpName.trim() || 'an AMHP';
  const from = input.amhpPhone ? ` from ${formatUkPhone(input.amhpPhone)}` : '';
  return `dutyline ${input.reference}: your referral has been accepted by ${who}, who will call you back${from}.`;
}

export function fallbackAlertText(input: { reference: string; district: string; urgency: Urgency; legalStatus: LegalStatus; under18?: boolean }): string {
  return (
    `dutyline ${input.reference}: NOBODY HAS ACCEPTED. ${summary(input.urgency, input.legalStatus, input.district, input.under18)}` +
    ' Everyone on the duty chain has been paged. Please arrange cover now.'
  );
}

/**
 * To the team's fallback phone at a fallback-phone step of its policy: the chain is still being
 * walked, so this asks for help rather than saying everyone has been paged.
 */
export function fallbackStepText(input: { reference: string; district: string; urgency: Urgency; legalStatus: LegalStatus; clockExpiresAt?: string | null; under18?: boolean }): string {
  const clock = input.clockExpiresAt ? ` Clock expires ${londonTime(input.clockExpiresAt)}.` : '';
  return (
    `dutyline ${input.reference}: NOT YET ACCEPTED. ${summary(input.urgency, input.legalStatus, input.district, input.under18)}${clock}` +
    ' The duty chain is still being paged. Please help find an AMHP.'
  );
}

type AlertFacts = { reference: string; district: string; urgency: Urgency; legalStatus: LegalStatus };

/** To the service fallback: no team lists the district and no default team is set. */
export function unroutedText(input: AlertFacts): string {
  return (
    `dutyline ${input.reference}: NO TEAM COVERS ${input.district}. ${summary(input.urgency, input.legalStatus, input.district)}` +
    ' Nobody has been paged. Please find an AMHP, or set the area or a default team and route it again.'
  );
}

/** To the manager on duty, the team's fallback or the service fallback: the rota has nobody to page now. */
export function nobodyToPageText(input: AlertFacts & { teamName: string }): string {
  return (
    `dutyline ${input.reference}: NOBODY ON DUTY TO PAGE in ${input.teamName}. ${summary(input.urgency, input.legalStatus, input.district)}` +
    ' Nobody has been paged. Please find an AMHP now.'
  );
}

export function helpText(): string {
  return (
    'dutyline: reply 1 or ACCEPT to accept a page, 2 or DECLINE to decline (a reason may follow, e.g. 2 on leave;' +
    ' 2 CONFLICT declares a conflict of interest). With several pages open, add the code, e.g. ACCEPT 4F7K.' +
    ' Details are behind the link in each page. NOTICES OFF or ON: shift notices.'
  );
}

/**
 * The stage commands, sent with the help text: the AMHP who accepted records the night's steps by
 * text (shared/domain/reply.ts reads them). The code may be left out with one referral open.
 */
export function stageHelpText(): string {
  return (
    'dutyline stages, e.g. ATTENDING 4F7K 30 (on the way, about 30 min): CALLED (referrer called back), ATTENDING [min],' +
    ' ARRIVED (assessment starts), DOCTOR or DOCTORHERE S12/SECOND/RC, DECISION S2/S3/S4/INFORMAL/COMMUNITY/NFA,' +
    ' BED, BEDFOUND, CONVEY AMBULANCE/POLICE/OTHER, CONVEYED, ADMITTED.'
  );
}

/** A stage recorded by text: what was recorded, in the pages' words (shared/domain/stage-words.ts). */
export function stageRecordedText(reference: string, what: string): string {
  return `dutyline ${reference}: recorded: ${what}.`;
}

/** A stage that could not be recorded, and why (the refusal's words carry nothing of the person). */
export function stageRefusedText(reference: string, why: string): string {
  return `dutyline ${reference}: not recorded: ${why}.`;
}

/** A stage command from an AMHP who holds no accepted, open referral (or none with that code). */
export function noAcceptedReferralText(code?: string): string {
  return code
    ? `dutyline: you hold no open referral with the code ${code}. Nothing recorded. Reply HELP for the commands.`
    : 'dutyline: you hold no open referral to record a stage on. Nothing recorded. Reply HELP for the commands.';
}

/** Several accepted referrals are open and the command did not say which. */
export function chooseStageReferenceText(keyword: string, references: readonly string[]): string {
  const codes = references.slice(0, 10).map(shortReference);
  return `dutyline: you hold ${references.length} open referrals: ${codes.join(', ')}. Nothing recorded. Add the code, e.g. ${keyword} ${codes[0] ?? '4F7K'}.`;
}

export function acceptConfirmText(reference: string): string {
  return `dutyline ${reference}: accepted. The referrer has been told you will call them back.`;
}

export function declineConfirmText(reference: string, options: { conflict?: boolean } = {}): string {
  const conflict = options.conflict ? ' Your conflict of interest is recorded.' : '';
  return `dutyline ${reference}: declined.${conflict} You will not be paged for it again.`;
}

export function alreadyHandledText(reference: string): string {
  return `dutyline ${reference}: this referral is no longer open to you (already accepted or declined). No action needed.`;
}

const londonHourMinute = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const londonDay = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** `02:14` on the London day of `now`, else `02:14 26 Nov`: a late reply comes the same night. */
export function londonTimeSince(instant: string, now: Date): string {
  const sameDay = londonDay.format(new Date(instant)) === londonDay.format(now);
  return sameDay ? londonHourMinute.format(new Date(instant)) : londonTime(instant);
}

/**
 * A reply or link that met a page no longer open: what happened to it. The accepting AMHP's name
 * is said, as the referrer's text says it; nothing of the person.
 */
export function pageStandingText(
  reference: string,
  standing: Exclude<PageStanding, { kind: 'open' }>,
  context: { acceptedByName?: string | undefined; now: Date },
): string {
  switch (standing.kind) {
    case 'accepted': {
      const at = standing.at ? ` at ${londonTimeSince(standing.at, context.now)}` : '';
      if (standing.byThem) return `dutyline ${reference}: you accepted it${at}. No action needed.`;
      const who = context.acceptedByName?.trim() || 'another AMHP';
      return `dutyline ${reference} was accepted by ${who}${at}. No action needed.`;
    }
    case 'closed':
      return `dutyline ${reference}: this referral was closed${standing.at ? ` at ${londonTimeSince(standing.at, context.now)}` : ''}. No action needed.`;
    case 'declined':
      return `dutyline ${reference}: you declined this referral. No action needed.`;
    case 'superseded':
      return `dutyline ${reference}: this page is no longer current (the referral has been routed again). No action needed.`;
  }
}

/** An accept with no page open to accept, and none closed lately to tell of. */
export function noOpenPageText(): string {
  return 'dutyline: you have no open page to accept. No action needed. Reply HELP for the reply codes.';
}

/** Several pages are open and the reply did not say which; list their codes (at most ten, to stay short). */
export function chooseReferenceText(references: readonly string[]): string {
  const codes = references.slice(0, 10).map(shortReference);
  const example = codes[0] ?? '4F7K';
  const more = references.length > codes.length ? ` and ${references.length - codes.length} more` : '';
  return (
    `dutyline: you have ${references.length} open pages: ${codes.join(', ')}${more}.` +
    ` Reply with the code, e.g. ACCEPT ${example} or DECLINE ${example}.`
  );
}

const clockLabel: Record<StatutoryClockKind, string> = { s136: 's136', s135: 's135', s5_2: 's5(2)', s5_4: 's5(4)', s135_2: 's135(2)', s4: 's4', s2: 's2', cto_recall: 'CTO recall' };

/** `1 h 35 min`, `40 min`, `under 1 min`: a span in words, rounded down to the minute. */
export function spanText(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (minutes < 1) return 'under 1 min';
  const hours = Math.floor(minutes / 60);
  return hours > 0 ? `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''}` : `${minutes} min`;
}

/**
 * A statutory clock warning, worded when it is sent: the time left is the time left `now`, and
 * once the clock has run out it says so, and how long ago, whatever the warning was planned as.
 */
export function clockWarningText(input: ClockWarningWords & { now: Date }): string {
  const left = Date.parse(input.expiresAt) - input.now.getTime();
  const clock = `dutyline ${input.reference}: ${clockLabel[input.clockKind]} clock`;
  const state = input.status === 'accepted' ? 'accepted, assessment pending' : 'NOT YET ACCEPTED';
  if (left <= 0) {
    return `${clock} EXPIRED at ${londonTime(input.expiresAt)} (${spanText(left)} ago). Detention past it is unlawful: act now. Referral ${state}.`;
  }
  const ask = input.audience === 'amhp' ? ' You accepted it: complete the assessment or end the detention before then.' : ` Referral ${state}.`;
  return `${clock} expires ${londonTime(input.expiresAt)} (${spanText(left)} left).${ask}`;
}

/** To the manager when a page could not be delivered: the chain has moved on, the phone needs looking at. */
export function pageNotDeliveredText(input: { reference: string; position: string }): string {
  return (
    `dutyline ${input.reference}: the page to the ${input.position} AMHP could not be delivered;` +
    ' the next person on the chain has been paged. Please check that phone.'
  );
}

/** To the manager when an AMHP replies STOP: the provider will block every page to them until START. */
export function optedOutText(staffName: string): string {
  return `dutyline: ${staffName} replied STOP, so pages cannot reach them by SMS until they reply START. Please check the rota.`;
}

/** To someone paged for a referral another AMHP has accepted (or a fallback that was asked to help). */
export function standDownText(reference: string): string {
  return `dutyline ${reference}: accepted by another AMHP. No action needed.`;
}

/** To whoever holds a page for a referral handed over before anyone accepted (the morning handover, or another team). */
export function handedOverStandDownText(reference: string, to: 'day_service' | 'team'): string {
  return `dutyline ${reference}: handed over to ${to === 'day_service' ? 'the day service' : 'another team'}. No action needed.`;
}

/** To the manager and fallback alerted that nobody had accepted, when someone accepts after all. */
export function acceptedAfterAllText(input: { reference: string; amhpName: string }): string {
  const who = input.amhpName.trim() || 'an AMHP';
  return `dutyline ${input.reference}: accepted after all by ${who}. No further cover needed.`;
}

/**
 * To the manager on duty (else a fallback) when an effect was given up: a text that could not be
 * sent (an opted-out or invalid number, or one that kept failing), or a step that kept failing.
 */
export function effectSetAsideText(input: { reference: string; purpose: string }): string {
  return `dutyline ${input.reference}: ${input.purpose} could not be carried out and has been given up. Please check the referral on the board.`;
}

/** A stage overran (shared/domain/overruns.ts): the reference, the stage and since when, in London time; never the person. */
export function overrunText(input: { reference: string; overrun: OverrunKind; since: string; legalStatus: string }): string {
  const since = londonTime(input.since);
  const what: Record<OverrunKind, string> = {
    assessment_not_started: `${legalStatusLabel[input.legalStatus as LegalStatus] ?? input.legalStatus} assessment not started 3 h after arrival at the place of safety (arrived ${since})`,
    no_bed: `no bed identified since the decision to admit at ${since}`,
    conveyance_not_done: `conveyance requested at ${since} and not done`,
    handover_unacknowledged: `not yet marked received by the day service from the ${since} handover`,
    handover_unanswered: `still not marked received by the day service from the ${since} handover. Nobody has taken it on`,
  };
  return `dutyline ${input.reference}: ${what[input.overrun]}. Please check the referral on the board.`;
}

/**
 * The morning handover list (shared/domain/handover.ts), to the day service: the team, when its
 * out-of-hours period ended and the references still open; never the people.
 */
export function handoverListText(input: { teamName: string; periodEnd: string; references: string; count: number; noDayService?: boolean }): string {
  const open = input.count === 1 ? '1 referral still open' : `${input.count} referrals still open`;
  const who = input.noDayService ? ' No day-service contact is set for this team: please pass this on.' : '';
  return `dutyline: ${input.teamName} handover at ${londonShiftTime(input.periodEnd)}, ${open}: ${input.references}. Mark each received on the dutyline Handover page, or reply RECEIVED and its reference.${who}`;
}

/** The handover list of the referrals no team holds, to the service fallback: they need a team, or the day service. */
export function unroutedHandoverListText(input: { periodEnd: string; references: string; count: number }): string {
  const open = input.count === 1 ? '1 referral no team holds is still open' : `${input.count} referrals no team holds are still open`;
  return `dutyline: handover at ${londonShiftTime(input.periodEnd)}, ${open}: ${input.references}. Route each to a team from the dutyline board, or mark it received on the Handover page once a day service has it.`;
}

/** A reminder to the day service that a listed referral is not marked received. */
export function handoverReminderText(input: { reference: string; teamName: string; periodEnd: string }): string {
  return `dutyline ${input.reference}: from the ${input.teamName} handover at ${londonTime(input.periodEnd)}, not yet marked received. Mark it on the Handover page, or reply RECEIVED ${input.reference}.`;
}

/** The day service's RECEIVED reply, answered: the references it marked. */
export function handoverReceivedText(references: string): string {
  return `dutyline ${references}: marked received by the day service. Thank you.`;
}

/** RECEIVED with no reference while several wait, or one that matches several. */
export function handoverChooseText(references: readonly string[]): string {
  return `dutyline: ${references.length} handover referrals await the day service: ${references.join(', ')}. Reply RECEIVED and one reference, or RECEIVED ALL.`;
}

export function handoverNothingAwaitingText(code?: string): string {
  return code ? `dutyline: no referral ${code} awaits the day service from a handover. Check the reference on the Handover page.` : 'dutyline: no handover referral awaits the day service now.';
}

/** What each kind of text is for, in words for a manager (no number, no name). */
export const smsPurposeWords: Record<SmsPurpose, string> = {
  'referrer-accepted': 'the text telling the referrer who accepted',
  'fallback-alert': 'an alert to the manager or fallback phone',
  reply: 'a reply to an AMHP',
  'clock-warning': 'a statutory clock warning',
  'stand-down': 'a stand-down text to an AMHP',
  'set-aside-alert': 'an alert about a failed step',
  'overrun-alert': 'an alert that a stage overran',
};
