import type { ReferrerStage } from '../../shared/domain/referrer-progress.ts';
import type { ReferralStatus } from '../../shared/domain/types.ts';
import type { TagColour } from './govuk.ts';

/**
 * The words (and tag colour) for a referral's status, in one place for every page: the staff's
 * (the board, the manager's referral page, the AMHP's referral page) and the referrer's, whose
 * stages say what is being done for them rather than the team's state.
 */
export const referralStatusTag: Record<ReferralStatus, [string, TagColour]> = {
  received: ['Received', 'blue'],
  paging: ['Paging', 'light-blue'],
  accepted: ['Accepted', 'green'],
  exhausted: ['Not accepted: chain exhausted', 'red'],
  unrouted: ['No team for the area', 'red'],
  closed: ['Closed', 'grey'],
};

export const referrerStageTag: Record<ReferrerStage, [string, TagColour]> = {
  received: ['Received', 'blue'],
  paging: ['Asking the AMHP on duty', 'light-blue'],
  escalated: ['Escalated', 'orange'],
  accepted: ['Accepted', 'green'],
  exhausted: ['Not accepted yet', 'red'],
  unreachable: ['Nobody on duty to ask', 'red'],
  unrouted: ['No team for this area', 'red'],
  closed: ['Closed', 'grey'],
};
