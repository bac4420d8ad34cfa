/**
 * A small Leeds data set, stored as the DynamoDB adapters store it: one team covering LS1, LS2
 * and LS6, its night-shift rota (Asha primary, Ben secondary, Dev manager) and referrals about
 * one person in the states the flow passes through. Items are built with the same keys as
 * shared/adapters/dynamo-*-store.ts, so a changed key layout shows up here as a failing test.
 */
import { statutoryClocks } from '../../shared/domain/clocks.ts';
import { splitSubmission, type ReferralDetails } from '../../shared/domain/referral-details.ts';
import { validateReferral, type ReferralSubmission } from '../../shared/domain/referral-schema.ts';
import type { EscalationChain, EscalationState, Shift, Staff, Team } from '../../shared/domain/types.ts';
import type { Referral } from '../../shared/ports.ts';
import type { StoredItem } from './aws.ts';
import { NOW } from './dependencies.ts';
import { httpBody, loadEvent } from './events.ts';
import type { HttpEvent } from '../../functions/commons/http.ts';

export const TEAM_ID = 'leeds-edt';

export const team: Team = {
  id: TEAM_ID,
  name: 'Leeds Emergency Duty Team',
  areas: ['LS1', 'LS2', 'LS6'],
  escalation: { ackTimeoutSeconds: 600, repeat: 1 },
  continuity: 'ignore',
  fallbackPhone: '+447700900199',
};

/** Each phone proven by a code, as a working team's are (a page to an unverified one also tells the manager). */
const member = (id: string, name: string, phone: string, roles: Staff['roles']): Staff => ({
  id,
  name,
  phone,
  teamIds: [TEAM_ID],
  roles,
  phoneVerification: { phone, at: '2026-11-01T09:00:00.000Z' },
});
export const asha = member('amhp-asha', 'Asha Patel', '+447700900101', ['amhp']);
export const ben = member('amhp-ben', 'Ben Okafor', '+447700900102', ['amhp']);
export const chloe = member('amhp-chloe', 'Chloe Evans', '+447700900103', ['amhp']);
export const dev = member('manager-dev', 'Dev Sharma', '+447700900104', ['manager']);

/** Tonight's shifts: 17:00 to 08:45 the next morning. Chloe is on tomorrow night. */
const shift = (id: string, staffId: string, position: Shift['position'], start: string, end: string): Shift => ({
  id,
  teamId: TEAM_ID,
  staffId,
  position,
  start,
  end,
});
export const rota: Shift[] = [
  shift('01KMW0000000000000000SHFT1', asha.id, 'primary', '2026-11-24T17:00:00.000Z', '2026-11-25T08:45:00.000Z'),
  shift('01KMW0000000000000000SHFT2', ben.id, 'secondary', '2026-11-24T17:00:00.000Z', '2026-11-25T08:45:00.000Z'),
  shift('01KMW0000000000000000SHFT3', dev.id, 'manager', '2026-11-24T17:00:00.000Z', '2026-11-25T08:45:00.000Z'),
  shift('01KMW0000000000000000SHFT4', chloe.id, 'primary', '2026-11-25T17:00:00.000Z', '2026-11-26T08:45:00.000Z'),
];

export const areaItem = (district: string, teamId: string): StoredItem => ({ pk: `AREA#${district}`, sk: 'AREA', teamId });
export const teamItem = (value: Team): StoredItem => ({ pk: `TEAM#${value.id}`, sk: 'TEAM', ...value });
export const staffItem = (value: Staff): StoredItem => ({
  pk: `STAFF#${value.id}`,
  sk: 'STAFF',
  ...value,
  gsi1pk: `PHONE#${value.phone}`,
  gsi1sk: `STAFF#${value.id}`,
});
export const shiftItem = (value: Shift): StoredItem => ({ pk: `ROTA#${value.teamId}`, sk: `SHIFT#${value.start}#${value.id}`, ...value });

/** The directory table: the team, its areas, its staff and its rota. */
export function leedsDirectory(): StoredItem[] {
  return [
    ...team.areas.map((district) => areaItem(district, TEAM_ID)),
    teamItem(team),
    ...[asha, ben, chloe, dev].map(staffItem),
    ...rota.map(shiftItem),
  ];
}

// --- referrals -------------------------------------------------------------------------------

/** Same id as the sample events in events/, so those replay against this data set. */
export const REFERRAL_ID = loadEvent<HttpEvent>('http-accept-referral').pathParameters?.id ?? '';
export const REFERENCE = 'EDT-4F7K-2Q9M';
/** The `sub` of the GP who submits events/http-create-referral.json. */
export const GP_USER_ID = String(loadEvent<HttpEvent>('http-create-referral').requestContext.authorizer.jwt.claims.sub);
export const REFERRER_PHONE = '+447700900201';

/** What the sample referral says about the person: none of it may leave in an SMS or a log line. */
export const subjectIdentifiers = [
  'Zebedee',
  'Quartermaine',
  '1987-03-14',
  '14/03/1987',
  '9434765919',
  '943 476 5919',
  'Juniper',
  'LS6 9QQ',
  'commanding voices',
];

/** The sample body of events/http-create-referral.json, as intake stores it (normalised). */
export function storedSubmission(): ReferralSubmission {
  const result = validateReferral(httpBody('http-create-referral'), NOW);
  if (!result.ok) throw new Error(`the sample referral does not validate: ${JSON.stringify(result.issues)}`);
  return result.value;
}

const CREATED_AT = '2026-11-25T01:49:59.000Z';
const ROUTED_AT = '2026-11-25T01:50:00.000Z';
/** Intake's backstop: 90 days after receipt, the default for a referral never closed. */
export const DETAILS_EXPIRE_AT = '2027-02-23T01:49:59.000Z';

/** The sample submission's personal part, kept in its own item beside the referral. */
export const storedDetails = (): ReferralDetails => splitSubmission(storedSubmission()).details;

/** Stored by intake and queued (its queue-referral effect done); not yet routed. */
export function receivedReferral(overrides: Partial<Referral> = {}): Referral {
  const { facts } = splitSubmission(storedSubmission());
  return {
    ...facts,
    id: REFERRAL_ID,
    reference: REFERENCE,
    status: 'received',
    createdAt: CREATED_AT,
    createdBy: GP_USER_ID,
    district: 'LS1',
    detailsExpireAt: DETAILS_EXPIRE_AT,
    clocks: statutoryClocks(facts.legal),
    timeline: [{ at: CREATED_AT, type: 'received', channel: 'web', urgency: 'immediate', legalStatus: 's136', district: 'LS1' }],
    outbox: {},
    version: 2,
    ...overrides,
  };
}

export const leedsChain: EscalationChain = {
  steps: [
    { position: 'primary', staffId: asha.id },
    { position: 'secondary', staffId: ben.id },
    { position: 'manager', staffId: dev.id },
  ],
  ackTimeoutSeconds: 600,
  repeat: 1,
  managerStaffId: dev.id,
  fallbackPhone: team.fallbackPhone ?? null,
};

/**
 * Routed: Asha (primary) was paged as page 1 at 01:50 and has not answered; her timer
 * (events/sqs-escalation-timer.json) is due at 02:00, which is now. With `ashaDeclined`, Asha
 * declined at 01:52 and Ben (secondary) holds page 2, so Asha's timer, when it comes, is stale.
 */
export function pagingReferral(options: { ashaDeclined?: boolean } = {}): Referral {
  const pages: EscalationState['pages'] = [{ staffId: asha.id, position: 'primary', pageSeq: 1, round: 0, at: ROUTED_AT }];
  const timeline: Referral['timeline'] = [
    { at: ROUTED_AT, type: 'routed', teamId: TEAM_ID, chain: leedsChain.steps },
    { at: ROUTED_AT, type: 'paged', staffId: asha.id, position: 'primary', round: 0, pageSeq: 1 },
  ];
  const declinedBy: string[] = [];
  if (options.ashaDeclined) {
    const at = '2026-11-25T01:52:00.000Z';
    pages.push({ staffId: ben.id, position: 'secondary', pageSeq: 2, round: 0, at });
    declinedBy.push(asha.id);
    timeline.push(
      { at, type: 'declined', staffId: asha.id, round: 0, pageSeq: 1, reasonGiven: true, via: 'sms' },
      { at, type: 'paged', staffId: ben.id, position: 'secondary', round: 0, pageSeq: 2, via: 'sms' },
    );
  }
  const received = receivedReferral();
  return {
    ...received,
    status: 'paging',
    teamId: TEAM_ID,
    chain: leedsChain,
    escalation: { status: 'paging', round: 0, step: pages.length - 1, pageSeq: pages.length, pages, declinedBy },
    timeline: [...received.timeline, ...timeline],
    // Each state write and each effect ticked off after it adds one.
    version: options.ashaDeclined ? 9 : 5,
  };
}

/** Accepted at 01:55 (by Asha, unless `by` says who), as events/http-record-event.json and http-close-referral.json expect. */
export function acceptedReferral(by: Staff = asha, acceptedAt = '2026-11-25T01:55:00.000Z'): Referral {
  const paging = pagingReferral();
  return {
    ...paging,
    status: 'accepted',
    assignedTo: by.id,
    escalation: { ...paging.escalation!, status: 'accepted', acceptedBy: by.id, acceptedAt },
    timeline: [...paging.timeline, { at: acceptedAt, type: 'accepted', staffId: by.id }],
  };
}

/** A referral as the referrals table stores it. */
export const referralItem = (referral: Referral): StoredItem => ({
  ...structuredClone(referral),
  pk: `REFERRAL#${referral.id}`,
  sk: 'REFERRAL',
  gsi1pk: `REFERRER#${referral.createdBy}`,
  gsi1sk: referral.createdAt,
});

/** The person's details as the referrals table stores them, beside the referral, until `expiresAt` (epoch seconds). */
export const detailsItem = (referralId = REFERRAL_ID, options: { details?: ReferralDetails; expiresAt?: string } = {}): StoredItem => ({
  pk: `REFERRAL#${referralId}`,
  sk: 'DETAILS',
  referralId,
  details: options.details ?? storedDetails(),
  expiresAt: Math.ceil(Date.parse(options.expiresAt ?? DETAILS_EXPIRE_AT) / 1000),
});

/** The index entry that lets a bare `1` by SMS find the referral a staff member was paged for. */
export const staffPageItem = (staffId: string, referralId: string, at = ROUTED_AT): StoredItem => ({
  pk: `STAFFPAGE#${staffId}`,
  sk: `REFERRAL#${referralId}`,
  referralId,
  at,
});

/** The referral with its DynamoDB keys taken off, as the store reads it back. */
export function asReferral(item: Record<string, unknown> | undefined): Referral {
  if (!item) throw new Error('no item');
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...referral } = item;
  return referral as unknown as Referral;
}
