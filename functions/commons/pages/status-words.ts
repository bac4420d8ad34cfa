import type { ReferrerStage } from '../../../shared/domain/referrer-progress.ts';
import type { Stage } from '../../../shared/domain/stage.ts';
import { stageLabel } from '../../../shared/domain/stage-words.ts';
import type { ReferralStatus } from '../../../shared/domain/types.ts';
import { tag, type TagColour } from './govuk.ts';
import { html, type SafeHtml } from './html.ts';

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

/** The stage of the assessment on the team's pages: its words from shared/domain/stage-words.ts, with a colour. */
const stageColour: Record<Stage, TagColour> = {
  not_accepted: 'grey',
  accepted: 'blue',
  referrer_contacted: 'blue',
  attending: 'light-blue',
  assessment_started: 'purple',
  decision: 'turquoise',
  bed_requested: 'orange',
  bed_identified: 'turquoise',
  conveyance_requested: 'orange',
  conveyed: 'turquoise',
  admitted: 'green',
  released: 'green',
  handed_over: 'grey',
  closed: 'grey',
};

export const stageTag = Object.fromEntries(Object.entries(stageColour).map(([stage, colour]) => [stage, [stageLabel[stage as Stage], colour]])) as Record<Stage, [string, TagColour]>;

/**
 * The non-identifying under-18 marker shown beside the legal status (the board, the AMHP's home and
 * referral page), the same word the page SMS carries: a child may never be held at a police station
 * (MHA 1983 s136A), and the age itself stays with the personal details.
 */
export const under18Marker = (under18: boolean | undefined): SafeHtml | '' => (under18 ? html` ${tag('U18', 'purple')}` : '');
