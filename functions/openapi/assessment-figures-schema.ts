/**
 * The dashboard's `statistics.assessment` (issue 13 part 6, shared/domain/assessment-figures.ts),
 * for the OpenAPI document: the conformance test checks real answers against it.
 */
import * as z from 'zod';
import { ageColumns, outcomeKeys, policePlaceRows } from '../../shared/domain/assessment-figures.ts';
import { delayReasons } from '../../shared/domain/referral-events/delays.ts';
import { legalStatuses } from '../../shared/domain/types.ts';

const seconds = z.number().nullable();
const duration = z.strictObject({ count: z.int(), p50: seconds, p90: seconds, max: seconds }).meta({ description: 'Seconds, nearest-rank percentiles' });
const counts = <K extends string>(keys: readonly [K, ...K[]]) => z.strictObject(Object.fromEntries(keys.map((key) => [key, z.number()])) as Record<K, z.ZodNumber>);
const outcomes = counts(outcomeKeys as [string, ...string[]]).meta({ description: 'Decisions recorded, by outcome; `none` for no decision' });

const group = z.strictObject({
  key: z.string(),
  referrals: z.int(),
  arrived: z.int().meta({ description: 'Referrals whose place-of-safety period had begun' }),
  arrivalToAssessment: duration,
  withinStandard: z.strictObject({ met: z.int(), counted: z.int(), share: z.number().nullable() }).meta({ description: 'Assessments started within 3 h of arrival, of those whose 3 h are over or that started' }),
  arrivalToDecision: duration,
  arrivalToAdmission: duration,
  hoursLost: counts(delayReasons).meta({ description: 'Hours waited, by delay reason; open delays to `asAt`' }),
  delayedReferrals: z.int(),
  breaches: z.strictObject({ clocks: z.int(), referrals: z.int(), beforeReferral: z.int(), byKind: z.record(z.string(), z.int()) }).meta({ description: 'Statutory clocks that ran out before a lawful end' }),
  s136bExtensions: z.strictObject({ count: z.int(), hours: z.number(), atPoliceStation: z.int() }),
  policeStation: z.strictObject({ referrals: z.int(), firstPlace: z.int() }),
  under18: z.strictObject({ referrals: z.int(), atPoliceStation: z.int() }),
  outcomes,
  admitted: z.int(),
});

export const assessmentFiguresSchema = z.strictObject({
  from: z.string().meta({ format: 'date-time' }),
  to: z.string().meta({ format: 'date-time' }),
  asAt: z.string().meta({ format: 'date-time', description: 'The earlier of now and `to`: open delays and clocks are counted to it' }),
  percentileMethod: z.literal('nearest-rank'),
  standardMinutes: z.int(),
  overall: group,
  byTeam: z.array(group),
  byAmhp: z.array(group).meta({ description: 'Keyed by staff id; `labels.amhps` has the names' }),
  byHour: z.array(group).meta({ description: 'All 24 London hours, by when the referral was received' }),
  byLegalStatus: z.array(z.strictObject({ legalStatus: z.enum(legalStatuses), referrals: z.int(), outcomes, admitted: z.int() })),
  policePowers: z
    .strictObject({
      detentions: z.int(),
      rows: z.array(z.strictObject({ place: z.enum(policePlaceRows), under18: z.int(), adult: z.int(), notKnown: z.int(), total: z.int() })),
      totals: counts(ageColumns),
    })
    .meta({ description: 's136 detentions by first place of safety and age group, as the Home Office police powers return lays them out' }),
  headline: z.strictObject({
    referrals: z.int(),
    assessments: z.int(),
    decisions: z.int(),
    applications: z.strictObject({ s2: z.int(), s3: z.int(), s4: z.int(), total: z.int() }),
    informalAdmissions: z.int(),
    notAdmitted: z.int(),
    applicationRate: z.number().nullable(),
    delayedForBed: z.int(),
    delayedForDoctor: z.int(),
  }),
});
