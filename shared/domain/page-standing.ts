/**
 * Where one person's page for a referral stands now, so that a reply or a link answers the state
 * it meets rather than the state the text was sent in. Pure: the referral's state is passed in.
 */
import type { EscalationState, ReferralStatus } from './types.ts';

export interface PagedReferral {
  status: ReferralStatus;
  escalation?: EscalationState | undefined;
  closure?: { closedAt: string } | undefined;
}

export type PageStanding =
  /** Paged, not declined, nobody has accepted and it is not closed: it may still be accepted. */
  | { kind: 'open' }
  | { kind: 'accepted'; byStaffId: string; at: string | null; byThem: boolean }
  | { kind: 'closed'; at: string | null }
  | { kind: 'declined' }
  /** No page to them stands in the referral's escalation now (it was routed again, or never paged them). */
  | { kind: 'superseded' };

export function pageStanding(referral: PagedReferral, staffId: string): PageStanding {
  const state = referral.escalation;
  // An acceptance is what people ask about, even once the referral is closed.
  if (state?.status === 'accepted' && state.acceptedBy) {
    return { kind: 'accepted', byStaffId: state.acceptedBy, at: state.acceptedAt ?? null, byThem: state.acceptedBy === staffId };
  }
  if (referral.status === 'closed') return { kind: 'closed', at: referral.closure?.closedAt ?? null };
  if (!state || !state.pages.some((page) => page.staffId === staffId)) return { kind: 'superseded' };
  if (state.declinedBy.includes(staffId)) return { kind: 'declined' };
  return { kind: 'open' };
}

/** Only an open page can still be accepted: what "you have N open pages" counts. */
export const canStillAccept = (referral: PagedReferral, staffId: string) => pageStanding(referral, staffId).kind === 'open';
