/**
 * The legal events (SPEC "Contract v1.1", group `legal`): arrival at a place of safety, a transfer
 * between places of safety, a change of legal status, admission and release. Each moves the
 * statutory clocks as the Mental Health Act 1983 says; the sections are cited beside each rule.
 */
import * as z from 'zod';
import { clockKindOf, clockState, isLive, pendingClock, placeOfSafetyStatuses, statutoryClocks } from '../clocks.ts';
import type { StoredLegal } from '../referral-details.ts';
import { normalisePostcode, postcodeDistrict } from '../postcode.ts';
import { startFields } from '../referral-schema.ts';
import { legalStatusLabel } from '../sms.ts';
import { legalStatuses, placeOfSafetyKinds, type ClockEndReason, type LegalStatus, type StatutoryClock, type TimelineEntry } from '../types.ts';
import { optionalField, trimmedText } from '../validation.ts';
import { invalidField, refuse, type EventContext, type EventGroup, type EventReferral, type EventResult } from './event-group.ts';
import { eventAt, optionalInstant } from './instant.ts';

const postcode = z.string().transform((value, ctx) => {
  const normalised = normalisePostcode(value);
  if (normalised === null) ctx.addIssue({ code: 'custom', message: 'is not a valid UK postcode' });
  return normalised ?? z.NEVER;
});

const place = {
  placeKind: z.enum(placeOfSafetyKinds),
  /** Only its district is kept (on the timeline): where the person is held, not who they are. */
  postcode,
  policeStationAuthorisedBy: optionalField(trimmedText(100)),
};

/** The start field of each status a status change can move to, filled with the event's time when left out. */
const startFieldOf: Partial<Record<LegalStatus, 'reportFurnishedAt' | 'recordMadeAt' | 'admittedAt' | 'detainedAfterRecallAt'>> = {
  s5_2: 'reportFurnishedAt',
  s5_4: 'recordMadeAt',
  s4: 'admittedAt',
  s2: 'admittedAt',
  cto_recall: 'detainedAfterRecallAt',
};

const statusStartFields = ['reportFurnishedAt', 's5_4RecordMadeAt', 'recordMadeAt', 'admittedAt', 'detainedAfterRecallAt'] as const;

export const legalEventSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('arrived_at_place_of_safety'),
    at: eventAt(),
    ...place,
    /** MHA 1983 s136(2A)(a)(ii), s135(3ZA)(a)(ii): kept where they are, so the period runs from the decision to keep them. */
    kept: z.boolean().optional(),
  }),
  z.strictObject({ type: z.literal('transferred'), at: eventAt(), ...place }),
  z
    .strictObject({
      type: z.literal('status_changed'),
      at: eventAt(),
      status: z.enum(legalStatuses),
      reportFurnishedAt: optionalInstant(),
      s5_4RecordMadeAt: optionalInstant(),
      recordMadeAt: optionalInstant(),
      admittedAt: optionalInstant(),
      detainedAfterRecallAt: optionalInstant(),
    })
    .superRefine((value, ctx) => {
      for (const field of statusStartFields) {
        if (value[field] !== undefined && !(startFields[field] as readonly string[]).includes(value.status)) {
          ctx.addIssue({ code: 'custom', path: [field], message: `does not apply when status is ${value.status}` });
        }
      }
    }),
  z.strictObject({ type: z.literal('admitted'), at: eventAt(), section: z.enum(['s2', 's3', 's4']) }),
  z.strictObject({ type: z.literal('released'), at: eventAt() }),
]);

export type LegalEvent = z.output<typeof legalEventSchema>;
type Of<T extends LegalEvent['type']> = Extract<LegalEvent, { type: T }>;

export const legalEventTypes = ['arrived_at_place_of_safety', 'transferred', 'status_changed', 'admitted', 'released'] as const satisfies readonly LegalEvent['type'][];

/** The referrer reports where the person is; what the team decides (status, admission, release) is the team's to record. */
const referrerTypes: readonly LegalEvent['type'][] = ['arrived_at_place_of_safety', 'transferred'];

const label = (status: string) => legalStatusLabel[status as LegalStatus] ?? status;
const ms = Date.parse;

/** The live clock of the referral's current status, if it has started. */
const currentClock = (referral: EventReferral) => {
  const kind = clockKindOf(referral.legal.status);
  return kind ? referral.clocks.find((clock) => clock.kind === kind && isLive(clock)) : undefined;
};

const ended = (clock: StatutoryClock, at: string, endReason: ClockEndReason): StatutoryClock => ({ ...clock, endedAt: at, endReason });

/** One clock per kind: a clock of a kind that ran before (an s136 that ended, then a new s136) replaces the old one. */
const withClock = (clocks: readonly StatutoryClock[], clock: StatutoryClock) => [...clocks.filter((c) => c.kind !== clock.kind), clock];

function entry(event: LegalEvent, context: EventContext, detail: Record<string, unknown> = {}): TimelineEntry {
  return { at: context.now.toISOString(), type: event.type, eventAt: event.at, by: context.by, ...detail };
}

function clockEntries(context: EventContext, changes: { started?: StatutoryClock[]; ended?: StatutoryClock[] }): TimelineEntry[] {
  const at = context.now.toISOString();
  return [
    ...(changes.ended ?? []).map((clock) => ({ at, type: 'clock_ended' as const, clockKind: clock.kind, endedAt: clock.endedAt, endReason: clock.endReason })),
    ...(changes.started ?? []).flatMap((clock) => [
      { at, type: 'clock_started' as const, clockKind: clock.kind, startEvent: clock.startEvent, startedAt: clock.startedAt, expiresAt: clock.expiresAt },
      // Reported late, the period may be over already: the team must see at once that the power has gone.
      ...(clockState(clock, context.now) === 'expired' ? [{ at, type: 'clock_expired' as const, clockKind: clock.kind, expiresAt: clock.expiresAt }] : []),
    ]),
  ];
}

/**
 * MHA 1983 s136A(1): "A child may not be removed to, kept at or taken to a place of safety which is
 * a police station": "taken to" covers a transfer as well as the first removal. s136A(2) and the
 * Mental Health Act 1983 (Places of Safety) Regulations 2017 reg 2 allow an adult there only with
 * an officer of the rank of inspector or above authorising it (reg 2(2)(c)).
 */
function policeStationRule(referral: EventReferral, event: Of<'arrived_at_place_of_safety' | 'transferred'>): EventResult | null {
  if (event.placeKind !== 'police_station') return null;
  if (referral.subjectUnder18) {
    return invalidField(
      'placeKind',
      'a police station may not be a place of safety for a person under 18 (MHA 1983 s136A(1)): take them to a health-based place of safety',
    );
  }
  if (!event.policeStationAuthorisedBy) {
    return invalidField(
      'policeStationAuthorisedBy',
      'is required at a police station: the inspector (or above) who authorised it (MHA 1983 s136A, Places of Safety Regulations 2017 reg 2)',
    );
  }
  return null;
}

const notPlaceOfSafety = (status: string) =>
  refuse(
    'no_place_of_safety_period',
    `a place of safety period runs only under s135 or s136 (MHA 1983 s135(3), s136(2)); this referral is ${label(status)}: record a status change first`,
  );

function arrived(referral: EventReferral, event: Of<'arrived_at_place_of_safety'>, context: EventContext): EventResult {
  const { legal } = referral;
  if (!placeOfSafetyStatuses.includes(legal.status as LegalStatus)) return notPlaceOfSafety(legal.status);
  if (legal.releasedAt) return refuse('released', 'the person was released from this power: there is no detention to start');
  const kind = clockKindOf(legal.status);
  const existing = referral.clocks.find((clock) => clock.kind === kind);
  // v1's one `detentionStart` was read as the start event; a reported arrival is the event the Act
  // names (s136(2A)(a)(i), s135(3ZA)(a)(i)), so it replaces that reading. Any other start stands.
  const readFromV1 = existing !== undefined && (existing.startEvent ?? 'detention_start') === 'detention_start';
  if (existing && !readFromV1) {
    return refuse(
      'already_arrived',
      'the arrival at the place of safety is already recorded, and the period runs from it (MHA 1983 s136(2A), s135(3ZA)): report a move as a transfer, which does not restart it (s136(3), s135(3A))',
    );
  }
  if (existing?.endedAt) return refuse('clock_ended', 'this place of safety period has ended');
  if (existing?.extension) return refuse('already_extended', 'the period has been extended under s136B: its start can no longer be moved');
  const detained = legal.detainedAt ?? (readFromV1 ? existing?.startedAt : undefined);
  if (detained && ms(event.at) < ms(detained)) {
    return refuse('before_detention', `the arrival cannot be before the detention began (${detained})`);
  }
  const rule = policeStationRule(referral, event);
  if (rule) return rule;
  const nextLegal: StoredLegal = {
    ...legal,
    placeOfSafety: {
      kind: event.placeKind,
      ...(event.kept ? { keptSince: event.at } : { arrivedAt: event.at }),
      ...(event.policeStationAuthorisedBy && event.placeKind === 'police_station' ? { policeStationAuthorisedBy: event.policeStationAuthorisedBy } : {}),
    },
  };
  const [started] = statutoryClocks(nextLegal);
  if (!started) throw new Error('an arrival always starts the place of safety period');
  return {
    ok: true,
    legal: nextLegal,
    clocks: withClock(referral.clocks, started),
    timeline: [
      entry(event, context, {
        placeKind: event.placeKind,
        district: postcodeDistrict(event.postcode),
        ...(event.kept ? { kept: true } : {}),
        ...(event.placeKind === 'police_station' ? { policeStationAuthorised: true } : {}),
        ...(readFromV1 ? { replacesDetentionStart: true } : {}),
      }),
      ...clockEntries(context, { started: [started] }),
    ],
    armed: [started],
  };
}

function transferred(referral: EventReferral, event: Of<'transferred'>, context: EventContext): EventResult {
  const { legal } = referral;
  if (!placeOfSafetyStatuses.includes(legal.status as LegalStatus)) return notPlaceOfSafety(legal.status);
  const clock = currentClock(referral);
  if (!clock) {
    const endedClock = referral.clocks.some((c) => c.kind === clockKindOf(legal.status));
    return endedClock || legal.releasedAt
      ? refuse('clock_ended', 'the place of safety period has ended: there is no detention to transfer')
      : refuse('not_arrived', 'no arrival at a place of safety is recorded yet: report the arrival first (a transfer moves someone already detained at one, s136(3))');
  }
  if (ms(event.at) < ms(clock.startedAt)) return refuse('before_arrival', `the transfer cannot be before the period began (${clock.startedAt})`);
  // MHA 1983 s136(3), s135(3A): a person may be taken to another place of safety "before the end
  // of the permitted period of detention"; after it there is no power to move them.
  if (ms(event.at) >= ms(clock.expiresAt)) {
    return refuse('period_ended', `the permitted period of detention ended at ${clock.expiresAt}: s136(3) and s135(3A) allow a transfer only before its end`);
  }
  const rule = policeStationRule(referral, event);
  if (rule) return rule;
  const { policeStationAuthorisedBy: _previous, ...previous } = legal.placeOfSafety ?? { kind: event.placeKind };
  const nextLegal: StoredLegal = {
    ...legal,
    // The current place: an s136B extension asks for a superintendent only where the person is now (s136B(3)).
    placeOfSafety: {
      ...previous,
      kind: event.placeKind,
      ...(event.policeStationAuthorisedBy && event.placeKind === 'police_station' ? { policeStationAuthorisedBy: event.policeStationAuthorisedBy } : {}),
    },
  };
  return {
    ok: true,
    legal: nextLegal,
    // MHA 1983 s136(2A), s135(3ZA): the period runs from the arrival at the first place of safety;
    // s136(3) moves the person within that period, so the clock is neither restarted nor extended.
    clocks: [...referral.clocks],
    timeline: [
      entry(event, context, {
        placeKind: event.placeKind,
        district: postcodeDistrict(event.postcode),
        clockKind: clock.kind,
        clockContinues: true,
        ...(event.placeKind === 'police_station' ? { policeStationAuthorised: true } : {}),
      }),
    ],
    armed: [],
  };
}

function statusChanged(referral: EventReferral, event: Of<'status_changed'>, context: EventContext): EventResult {
  const { legal } = referral;
  if (event.status === legal.status) return refuse('same_status', `the referral is already ${label(legal.status)}`);
  const old = currentClock(referral);
  if (old && ms(event.at) < ms(old.startedAt)) return refuse('before_clock_start', `the change cannot be before the ${old.kind} clock began (${old.startedAt})`);
  const field = startFieldOf[event.status];
  const given = Object.fromEntries(statusStartFields.filter((f) => event[f] !== undefined).map((f) => [f, event[f]]));
  const nextLegal: StoredLegal = { status: event.status, ...given, ...(field && !given[field] ? { [field]: event.at } : {}) };
  if (event.status === 's5_2' && legal.status === 's5_4' && !nextLegal.s5_4RecordMadeAt) {
    // MHA 1983 s5(5): where a record is made under s5(4), the s5(2) period "shall begin at the time
    // when it is made": the 72 hours run from the nurse's record, not from the doctor's report.
    const record = legal.recordMadeAt ?? legal.detentionStart ?? (old?.kind === 's5_4' ? old.startedAt : undefined);
    if (record) nextLegal.s5_4RecordMadeAt = record;
  }
  const endedClocks = old ? [ended(old, event.at, 'status_changed')] : [];
  const startedClocks = statutoryClocks(nextLegal);
  const clocks = startedClocks.reduce(withClock, referral.clocks.map((c) => (c === old ? endedClocks[0]! : c)));
  return {
    ok: true,
    legal: nextLegal,
    clocks,
    timeline: [
      entry(event, context, { from: legal.status, to: event.status, ...(nextLegal.s5_4RecordMadeAt && legal.status === 's5_4' ? { s5_5: true } : {}) }),
      ...clockEntries(context, { ended: endedClocks, started: startedClocks }),
      ...pendingEntry(nextLegal, startedClocks, context),
    ],
    armed: startedClocks,
  };
}

/** A status whose event has not happened yet (an s136 before arrival): its clock is pending (s136(2A)). */
function pendingEntry(legal: StoredLegal, clocks: StatutoryClock[], context: EventContext): TimelineEntry[] {
  const pending = pendingClock(legal, clocks);
  return pending ? [{ at: context.now.toISOString(), type: 'clock_started', clockKind: pending.kind, state: 'pending', awaits: pending.awaits }] : [];
}

function admitted(referral: EventReferral, event: Of<'admitted'>, context: EventContext): EventResult {
  const { legal } = referral;
  if (legal.status === event.section) return refuse('already_admitted', `the person is already detained under ${label(event.section)}`);
  if (legal.status === 's3') return refuse('already_detained', 'the person is already detained for treatment under s3');
  const old = currentClock(referral);
  if (old && ms(event.at) < ms(old.startedAt)) return refuse('before_clock_start', `the admission cannot be before the ${old.kind} clock began (${old.startedAt})`);
  let admittedAt = event.at;
  if (legal.status === 's4' && event.section === 's2' && old) {
    // MHA 1983 s4(4): an emergency application "shall cease to have effect on the expiration of a
    // period of 72 hours from the time when the patient is admitted" unless the second medical
    // recommendation is received within it; given in time, the detention continues under s2 from
    // that first admission, so s2's 28 days (s2(4)) begin with the day of the s4 admission.
    if (ms(event.at) >= ms(old.expiresAt)) {
      return refuse('s4_expired', `the s4 application ceased to have effect at ${old.expiresAt} (s4(4)): record a new s2 admission as a status change with its own admittedAt`);
    }
    admittedAt = legal.admittedAt ?? old.startedAt;
  }
  const nextLegal: StoredLegal = { status: event.section, ...(event.section === 's3' ? {} : { admittedAt }) };
  const endedClocks = old ? [ended(old, event.at, 'admitted')] : [];
  const startedClocks = statutoryClocks(nextLegal);
  const clocks = startedClocks.reduce(withClock, referral.clocks.map((c) => (c === old ? endedClocks[0]! : c)));
  return {
    ok: true,
    legal: nextLegal,
    clocks,
    timeline: [
      entry(event, context, {
        section: event.section,
        from: legal.status,
        ...(admittedAt !== event.at ? { admittedAt, convertedFromS4: true } : {}),
        // Admitted after the place of safety period had run out: the detention in between was unlawful, and the record says so.
        ...(old && ms(event.at) > ms(old.expiresAt) ? { afterExpiry: true } : {}),
      }),
      ...clockEntries(context, { ended: endedClocks, started: startedClocks }),
    ],
    armed: startedClocks,
  };
}

function released(referral: EventReferral, event: Of<'released'>, context: EventContext): EventResult {
  const { legal } = referral;
  if (!clockKindOf(legal.status)) return refuse('no_clock', `there is no detention with a time limit to end: the referral is ${label(legal.status)}`);
  const live = currentClock(referral);
  if (!live && (legal.releasedAt || !pendingClock(legal, referral.clocks))) return refuse('already_ended', 'this power has already ended');
  if (live && ms(event.at) < ms(live.startedAt)) return refuse('before_clock_start', `the release cannot be before the ${live.kind} clock began (${live.startedAt})`);
  const endedClocks = live ? [ended(live, event.at, 'released')] : [];
  return {
    ok: true,
    // A clock still pending (released before arriving anywhere) never starts.
    legal: { ...legal, releasedAt: event.at },
    clocks: referral.clocks.map((c) => (c === live ? endedClocks[0]! : c)),
    timeline: [entry(event, context), ...clockEntries(context, { ended: endedClocks })],
    armed: [],
  };
}

export const legalEvents: EventGroup<LegalEvent> = {
  name: 'legal',
  types: legalEventTypes,
  schema: legalEventSchema,
  mayRecord: (type, recorder) => recorder !== 'referrer' || referrerTypes.includes(type),
  apply(referral, event, context) {
    // Legal events happen in order: one dated before the last recorded would rewrite what the clocks were computed from.
    const last = referral.timeline.findLast((e) => (legalEventTypes as readonly string[]).includes(e.type) && typeof e.eventAt === 'string');
    if (last && ms(event.at) < ms(last.eventAt as string)) {
      return refuse('before_earlier_event', `the ${String(last.type).replaceAll('_', ' ')} recorded at ${String(last.eventAt)} came first: this event cannot be dated before it`);
    }
    switch (event.type) {
      case 'arrived_at_place_of_safety':
        return arrived(referral, event, context);
      case 'transferred':
        return transferred(referral, event, context);
      case 'status_changed':
        return statusChanged(referral, event, context);
      case 'admitted':
        return admitted(referral, event, context);
      case 'released':
        return released(referral, event, context);
    }
  },
};
