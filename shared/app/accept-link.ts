import type { Dependencies } from '../ports.ts';
import { answerPage } from './escalate.ts';

export type LinkView =
  | { kind: 'valid'; reference: string }
  | { kind: 'invalid' }
  | { kind: 'used' }
  | { kind: 'expired' };

async function findLink(deps: Dependencies, token: string) {
  const linkId = await deps.linkSigner.verify(token);
  return linkId ? deps.referrals.getAcceptLink(linkId) : null;
}

/** What the AMHP sees on opening the link: the reference only, and a button to accept. */
export async function viewAcceptLink(deps: Dependencies, token: string): Promise<LinkView> {
  const link = await findLink(deps, token);
  if (!link) return { kind: 'invalid' };
  if (Date.parse(link.expiresAt) <= deps.clock.now().getTime()) return { kind: 'expired' };
  const referral = await deps.referrals.get(link.referralId);
  return referral ? { kind: 'valid', reference: referral.reference } : { kind: 'invalid' };
}

export type LinkAcceptResult =
  | { kind: 'accepted'; reference: string }
  | { kind: 'refused'; reason: 'invalid' | 'used' | 'expired' | 'not-paged' | 'declined' | 'already-accepted' | 'closed' };

export async function acceptByLink(deps: Dependencies, token: string): Promise<LinkAcceptResult> {
  const linkId = await deps.linkSigner.verify(token);
  if (!linkId) return { kind: 'refused', reason: 'invalid' };
  const link = await deps.referrals.useAcceptLink(linkId, deps.clock.now());
  if (link === null) return { kind: 'refused', reason: 'invalid' };
  if (link === 'used' || link === 'expired') return { kind: 'refused', reason: link };
  const result = await answerPage(deps, { referralId: link.referralId, staffId: link.staffId, answer: 'accept', via: 'link' });
  if (result.kind === 'done') return { kind: 'accepted', reference: result.referral.reference };
  if (result.kind === 'not-found') return { kind: 'refused', reason: 'invalid' };
  return { kind: 'refused', reason: result.reason as 'not-paged' };
}
