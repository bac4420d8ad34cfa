/**
 * A submission in two parts. The referral keeps the facts that routing, paging, statutory clocks,
 * the board and statistics need and that identify nobody; the person's details (and the
 * referrer's name and phone) are kept apart, so that the retention policy can remove them and
 * keep the referral, its timeline and its outcome.
 */
import type { PoliceForce } from './police-forces.ts';
import { isUnder18, type ReferralLegal, type ReferralSubmission } from './referral-schema.ts';
import type { LocationKind, ReferrerKind, Urgency } from './types.ts';

type WebSubmission = Extract<ReferralSubmission, { channel: 'web' }>;
type PhoneSubmission = Extract<ReferralSubmission, { channel: 'phone' }>;
type Subject = WebSubmission['subject'];

/** The legal facts as stored: as submitted, then as legal events change them (`releasedAt` by a release). */
export type StoredLegal = ReferralLegal & { releasedAt?: string };

/** What the referrer told us that identifies nobody. */
export interface ReferralFacts {
  channel: ReferralSubmission['channel'];
  urgency: Urgency;
  /** Legal status and the events its clock runs from: the statutory clocks run from them. */
  legal: StoredLegal;
  /** Web referrals: who referred, by role and organisation, never by name or phone. */
  referrer?: { kind: ReferrerKind; organisation: string; policeForce?: PoliceForce };
  /** Web referrals: the kind of place where the person is now (the postcode district is on the referral). */
  locationKind?: LocationKind;
  /** The AMHP who knows the person, for the team's continuity policy: a staff id. */
  careCoordinatorStaffId?: string;
  /**
   * Under 18 on the day of intake, from the date of birth (which stays with the details): a fact
   * that identifies nobody, for s136A (no police station) and the pages' "U18" marker. Absent
   * when no date of birth was given (a phone referral).
   */
  subjectUnder18?: boolean;
  /** Sent by the canary or the smoke test (shared/domain/synthetic.ts): kept off boards and statistics. */
  synthetic?: true;
}

/** The person, the referrer's name and phone, and all free text: removed under the retention policy. */
export interface WebReferralDetails {
  channel: 'web';
  referrer: { name: string; phone: string; collarNumber?: string };
  subject: Omit<Subject, 'currentLocation' | 'careCoordinatorStaffId'> & {
    currentLocation: Omit<Subject['currentLocation'], 'kind'>;
  };
  reason: string;
  risks: string[];
  nearestRelative?: WebSubmission['nearestRelative'];
}

/** A phone referral's number to call back and full postcode. */
export type PhoneReferralDetails = Pick<PhoneSubmission, 'channel' | 'callbackPhone' | 'currentLocation'>;

export type ReferralDetails = WebReferralDetails | PhoneReferralDetails;

const defined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

/** `today` (London, `YYYY-MM-DD`): when given, the facts say whether the person is under 18. */
export function splitSubmission(submission: ReferralSubmission, today?: string): { facts: ReferralFacts; details: ReferralDetails } {
  if (submission.channel === 'phone') {
    const { channel, callbackPhone, currentLocation, legal, urgency } = submission;
    return { facts: { channel, urgency, legal }, details: { channel, callbackPhone, currentLocation } };
  }
  const { referrer, subject, legal, urgency, reason, risks, nearestRelative } = submission;
  const { kind, organisation, policeForce, name, phone, collarNumber } = referrer;
  const { currentLocation, careCoordinatorStaffId, ...person } = subject;
  const { kind: locationKind, ...place } = currentLocation;
  return {
    facts: defined({
      channel: 'web' as const,
      urgency,
      legal,
      referrer: defined({ kind, organisation, policeForce }),
      locationKind,
      careCoordinatorStaffId,
      subjectUnder18: today ? isUnder18(subject.dateOfBirth, today) : undefined,
    }),
    details: defined({
      channel: 'web' as const,
      referrer: defined({ name, phone, collarNumber }),
      subject: { ...person, currentLocation: place },
      reason,
      risks,
      nearestRelative,
    }),
  };
}

/** The submission as the referrer gave it (contract v1), from its two parts. */
export function joinSubmission(facts: ReferralFacts, details: ReferralDetails): ReferralSubmission {
  if (details.channel === 'phone') {
    return { channel: 'phone', callbackPhone: details.callbackPhone, currentLocation: details.currentLocation, legal: facts.legal, urgency: facts.urgency };
  }
  const { referrer, subject, ...rest } = details;
  return defined({
    ...rest,
    channel: 'web' as const,
    referrer: defined({ ...referrer, kind: facts.referrer?.kind ?? 'other_professional', organisation: facts.referrer?.organisation ?? '', policeForce: facts.referrer?.policeForce }),
    subject: defined({
      ...subject,
      currentLocation: { ...subject.currentLocation, kind: facts.locationKind ?? 'other' },
      careCoordinatorStaffId: facts.careCoordinatorStaffId,
    }),
    legal: facts.legal,
    urgency: facts.urgency,
  }) as ReferralSubmission;
}

/** Who the AMHP calls back, and who is told by SMS when one accepts: the referrer, or the caller of a phone referral. */
export const callbackPhoneOf = (details: ReferralDetails): string =>
  details.channel === 'phone' ? details.callbackPhone : details.referrer.phone;
