import { earliestExpiry } from '../domain/clocks.ts';
import { pageStanding } from '../domain/page-standing.ts';
import type { Dependencies, Referral } from '../ports.ts';
import { answerPage } from './escalate.ts';

/**
 * What the link pages may show before anyone signs in: the reference, the referral's id (for the
 * "View referral details" link, which asks for sign-in) and when its statutory clock runs out.
 * No personal details: the link travels by SMS and may be opened on a shared screen.
 */
export interface LinkReferral {
  referralId: string;
  reference: string;
  /** The earliest statutory clock expiry, or null when no clock runs. */
  clockExpiresAt: string | null;
}

/** What became of the page the link was sent for, when it can no longer be accepted. */
export type LinkOutcome = ({ kind: 'accepted'; byName: string | null; byThem: boolean; at: string | null } | { kind: 'closed'; at: string | null } | { kind: 'declined' } | { kind: 'superseded' }) & { reference: string };

export type LinkView = ({ kind: 'valid' } & LinkReferral) | { kind: 'invalid' } | { kind: 'used' } | { kind: 'expired' } | { kind: 'settled'; outcome: LinkOutcome };

/** Null while the page is open; else what happened to it, with the accepting AMHP's name (never the person's). */
export async function linkOutcome(deps: Dependencies, referral: Referral, staffId: string): Promise<LinkOutcome | null> {
  const standing = pageStanding(referral, staffId);
  if (standing.kind === 'open') return null;
  if (standing.kind !== 'accepted') return { ...standing, reference: referral.reference };
  const by = standing.byThem ? null : await deps.directory.getStaff(standing.byStaffId);
  return { kind: 'accepted', byName: by?.name ?? null, byThem: standing.byThem, at: standing.at, reference: referral.reference };
}

const linkReferral = (referral: Referral): LinkReferral => ({
  referralId: referral.id,
  reference: referral.reference,
  clockExpiresAt: earliestExpiry(referral.clocks),
});

async function findLink(deps: Dependencies, token: string) {
  const linkId = await deps.linkSigner.verify(token);
  return linkId ? deps.referrals.getAcceptLink(linkId) : null;
}

/** What the AMHP sees on opening the link: the reference and clock only, and a button to accept. */
export async function viewAcceptLink(deps: Dependencies, token: string): Promise<LinkView> {
  const link = await findLink(deps, token);
  if (!link) return { kind: 'invalid' };
  const referral = await deps.referrals.get(link.referralId);
  if (!referral) return { kind: 'invalid' };
  // What happened is worth saying even on a used or expired link: the AMHP wants to know it is in hand.
  const outcome = await linkOutcome(deps, referral, link.staffId);
  if (outcome) return { kind: 'settled', outcome };
  if (link.usedAt) return { kind: 'used' };
  if (Date.parse(link.expiresAt) <= deps.clock.now().getTime()) return { kind: 'expired' };
  return { kind: 'valid', ...linkReferral(referral) };
}

export type LinkAcceptResult =
  | ({ kind: 'accepted' } & LinkReferral)
  | { kind: 'refused'; reason: 'invalid' | 'used' | 'expired' | 'not-paged' | 'declined' | 'already-accepted' | 'closed'; outcome?: LinkOutcome };

export async function acceptByLink(deps: Dependencies, token: string): Promise<LinkAcceptResult> {
  const linkId = await deps.linkSigner.verify(token);
  if (!linkId) return { kind: 'refused', reason: 'invalid' };
  const link = await deps.referrals.getAcceptLink(linkId);
  if (link === null) return { kind: 'refused', reason: 'invalid' };
  if (link.usedAt) return { kind: 'refused', reason: 'used' };
  if (Date.parse(link.expiresAt) <= deps.clock.now().getTime()) return { kind: 'refused', reason: 'expired' };
  // The accept is stored before the link is burnt, so a crash between the two never loses an accept:
  // the link still works, and pressing it again finds the accept already there (same AMHP: done).
  const result = await answerPage(deps, { referralId: link.referralId, staffId: link.staffId, answer: 'accept', via: 'link' });
  await deps.referrals.useAcceptLink(linkId, deps.clock.now());
  if (result.kind === 'done') return { kind: 'accepted', ...linkReferral(result.referral) };
  if (result.kind === 'not-found') return { kind: 'refused', reason: 'invalid' };
  const now = await deps.referrals.get(link.referralId);
  const outcome = now ? await linkOutcome(deps, now, link.staffId) : null;
  return { kind: 'refused', reason: result.reason as 'not-paged', ...(outcome ? { outcome } : {}) };
}
