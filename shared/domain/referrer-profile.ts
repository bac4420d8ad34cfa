/**
 * A signed-in referrer's own details, remembered per account so the next form is filled in for
 * them: who they are, never anything about the person referred. Kept in the referrals table as
 * `USER#<userId>` / `REFERRER_PROFILE`, with a TTL of `PROFILE_KEEP_DAYS` after the referrer last
 * sent a referral. How long it is kept is a service decision still to be made (README).
 */
import { findPoliceForce, type PoliceForce } from './police-forces.ts';
import { referrerKinds, type ReferrerKind } from './types.ts';

export interface ReferrerProfile {
  name: string;
  kind: ReferrerKind;
  organisation: string;
  /** As the referrer wrote it; the form shows it back the same way. */
  phone: string;
  /** Police only. */
  policeForce?: PoliceForce;
  collarNumber?: string;
}

/** Until a retention decision is made: a year after the last referral, then forgotten. */
export const PROFILE_KEEP_DAYS = 365;

/**
 * The profile from a referral body the schema accepted, or null when it is not a web referral by
 * a person who could be asked again (a nearest relative's own details are not kept).
 */
export function profileFromReferrer(referrer: Record<string, unknown> | undefined): ReferrerProfile | null {
  if (!referrer) return null;
  const text = (name: string) => (typeof referrer[name] === 'string' ? (referrer[name] as string).trim() : '');
  const kind = text('kind') as ReferrerKind;
  if (!(referrerKinds as readonly string[]).includes(kind) || kind === 'nearest_relative') return null;
  const [name, organisation, phone] = [text('name'), text('organisation'), text('phone')];
  if (!name || !organisation || !phone) return null;
  const force = kind === 'police' ? findPoliceForce(text('policeForce')) : null;
  return {
    name,
    kind,
    organisation,
    phone,
    ...(force ? { policeForce: force } : {}),
    ...(kind === 'police' && text('collarNumber') ? { collarNumber: text('collarNumber') } : {}),
  };
}
