/**
 * The voice call that follows a page nobody answered: when it is due, and what it says. Like a
 * text, a call carries only the reference, urgency, legal status and postcode district, and how to
 * accept: never a name, date of birth, NHS number or address (a call may go to voicemail or be
 * heard on a loudspeaker). The SSML spells the reference and district out, letter by letter.
 */
import type { LegalStatus, Urgency } from './types.ts';

/** A team that says nothing about calls gets one two minutes into an unanswered page. */
export const DEFAULT_CALL_AFTER_SECONDS = 120;

/**
 * Seconds after a page that its voice call is due, or `null` for no call. The person's own
 * setting (`null`: never call me) wins over the team's; absent on both, the default. A call due
 * at or after the page's acknowledgement timeout is not made: the chain has moved on by then.
 * `answerWithinSeconds` absent (a page by hand after the chain ran out): nothing bounds it.
 */
export function callAfterSeconds(input: { team?: number | null; person?: number | null; answerWithinSeconds?: number }): number | null {
  const seconds = input.person !== undefined ? input.person : input.team !== undefined ? input.team : DEFAULT_CALL_AFTER_SECONDS;
  if (seconds === null) return null;
  if (input.answerWithinSeconds !== undefined && seconds >= input.answerWithinSeconds) return null;
  return seconds;
}

/** Urgency as it is said aloud. */
const spokenUrgency: Record<Urgency, string> = {
  immediate: 'an urgent Mental Health Act assessment, needed immediately',
  within_4_hours: 'a Mental Health Act assessment, needed within 4 hours',
  within_24_hours: 'a Mental Health Act assessment, needed within 24 hours',
};

/** Legal status as it is said aloud ("s135(1)" read out would be nonsense). */
const spokenLegalStatus: Record<LegalStatus, string> = {
  none: 'The person is not detained.',
  s136: 'Section 136.',
  s135_1: 'Section 135, subsection 1.',
  s135_2: 'Section 135, subsection 2.',
  s5_2: 'Section 5, subsection 2.',
  s5_4: 'Section 5, subsection 4.',
  s2: 'Section 2.',
  s3: 'Section 3.',
  s4: 'Section 4.',
  cto_recall: 'Community treatment order recall.',
  other: 'Another legal status.',
};

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Letter by letter, each group of `EDT-4F7K-2Q9M` with a pause between, so it can be written down. */
const spelt = (value: string) =>
  value
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((group) => `<say-as interpret-as="characters">${escapeXml(group)}</say-as>`)
    .join('<break time="400ms"/>');

export interface CallFacts {
  reference: string;
  urgency: Urgency;
  legalStatus: LegalStatus;
  district: string;
  under18?: boolean;
}

/** The SSML of the call (Amazon Polly, through End User Messaging SMS and Voice): said twice, in case the first is missed. */
export function callSsml(facts: CallFacts): string {
  const message =
    `This is dutyline, the out of hours A M H P line. A page to you has not been answered.<break time="300ms"/>` +
    ` Referral ${spelt(facts.reference)}.<break time="300ms"/>` +
    ` ${spokenUrgency[facts.urgency]}. ${spokenLegalStatus[facts.legalStatus]}${facts.under18 ? ' The person is under 18.' : ''}` +
    ` Postcode district ${spelt(facts.district)}.<break time="300ms"/>` +
    ` To accept, reply 1 to the text message we sent you, or open the link in it.`;
  return `<speak>${message}<break time="1s"/> Again. ${message}</speak>`;
}

const unescapeXml = (text: string) => text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/** What the call says, as plain text (the local call outbox and phone page show this). */
export function ssmlToWords(ssml: string): string {
  return unescapeXml(
    ssml
      .replace(/<\/say-as><break[^>]*\/><say-as/g, '</say-as>, <say-as')
      .replace(/<say-as interpret-as="characters">([^<]*)<\/say-as>/g, (_, chars: string) => [...unescapeXml(chars)].join(' '))
      .replace(/<break[^>]*\/>/g, ' ')
      .replace(/<[^>]+>/g, ''),
  )
    .replace(/\s+/g, ' ')
    .replace(/\s+([.,])/g, '$1')
    .trim();
}
