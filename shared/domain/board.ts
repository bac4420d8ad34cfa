/**
 * The EDT manager's live board: one row per open referral, with its statutory clock counting down
 * and how long it has waited. Pure: `now` is passed in. A row carries no personal data of the
 * subject: reference, postcode district, legal status and staff ids only.
 */
import { earliestExpiry } from './clocks.ts';
import { acceptanceWindowSeconds } from './escalation.ts';
import { currentOverruns, type Overrun } from './overruns.ts';
import { delaysOf, stageOf, type Delay, type Stage } from './stage.ts';
import type { EscalationChain, EscalationState, LegalStatus, ReferralStatus, StatutoryClock, TimelineEntry, Urgency } from './types.ts';

export interface BoardInput {
  id: string;
  reference: string;
  district: string;
  legalStatus: LegalStatus;
  urgency: Urgency;
  status: ReferralStatus;
  teamId?: string | undefined;
  createdAt: string;
  clocks: readonly StatutoryClock[];
  timeline: readonly TimelineEntry[];
  assignedTo?: string | undefined;
  chain?: EscalationChain | undefined;
  escalation?: EscalationState | undefined;
  /** Under 18 at intake (from the date of birth, which the board never sees). */
  subjectUnder18?: boolean | undefined;
}

/** `warning` from T−6 h and `critical` from T−2 h: the thresholds at which the manager is texted. */
export type ClockLevel = 'running' | 'warning' | 'critical' | 'expired';

export interface BoardClock {
  kind: StatutoryClock['kind'];
  expiresAt: string;
  /** Negative once it has expired. */
  secondsLeft: number;
  level: ClockLevel;
  extended: boolean;
}

export interface BoardRow {
  id: string;
  reference: string;
  district: string;
  legalStatus: LegalStatus;
  urgency: Urgency;
  status: ReferralStatus;
  teamId: string | null;
  clock: BoardClock | null;
  /** Who has it: the AMHP who accepted, or the one being paged now. */
  holder: { staffId: string; how: 'accepted' | 'paged' } | null;
  minutesSinceReceived: number;
  minutesSinceLastPage: number | null;
  /** Not accepted within the time the team's escalation policy allows (or its chain has run out). */
  overdue: boolean;
  /** Where the assessment is (shared/domain/stage.ts), and for how long. */
  stage: Stage;
  minutesInStage: number;
  /** The longest-open delay, if any. */
  openDelay: Delay | null;
  /** Stages past their time (shared/domain/overruns.ts). */
  overruns: Overrun[];
  /** The non-identifying `U18` marker (MHA 1983 s136A: no police station; children's-services experience preferred). */
  under18: boolean;
}

const HOUR = 3600;

export function clockLevel(secondsLeft: number): ClockLevel {
  if (secondsLeft <= 0) return 'expired';
  if (secondsLeft <= 2 * HOUR) return 'critical';
  if (secondsLeft <= 6 * HOUR) return 'warning';
  return 'running';
}

const minutesBetween = (from: number, to: number) => Math.max(0, Math.floor((to - from) / 60_000));

export function boardRow(referral: BoardInput, now: Date): BoardRow {
  const t = now.getTime();
  const expiry = earliestExpiry(referral.clocks);
  const clock = expiry ? referral.clocks.find((c) => c.expiresAt === expiry) : undefined;
  const lastPage = [...referral.timeline].reverse().find((entry) => entry.type === 'paged');
  const currentPage = referral.escalation?.status === 'paging' ? referral.escalation.pages.at(-1) : undefined;
  const holder =
    referral.status === 'accepted' && referral.assignedTo
      ? { staffId: referral.assignedTo, how: 'accepted' as const }
      : currentPage
        ? { staffId: currentPage.staffId, how: 'paged' as const }
        : null;
  const received = Date.parse(referral.createdAt);
  // Handed over (the morning handover, another team): someone else has it, so its not being accepted is no alarm.
  const handedOver = referral.timeline.some((entry) => entry.type === 'handed_over');
  const unaccepted = !handedOver && (referral.status === 'paging' || referral.status === 'exhausted' || referral.status === 'received');
  // How long the team's policy gives a referral to be accepted; past it, an alarm.
  const limit = referral.chain ? acceptanceWindowSeconds(referral.chain) : null;
  const overdue = unaccepted && (referral.status === 'exhausted' || (limit !== null && (t - received) / 1000 > limit));
  const stage = stageOf(referral.timeline);
  return {
    id: referral.id,
    reference: referral.reference,
    district: referral.district,
    legalStatus: referral.legalStatus,
    urgency: referral.urgency,
    status: referral.status,
    teamId: referral.teamId ?? null,
    clock: clock
      ? {
          kind: clock.kind,
          expiresAt: clock.expiresAt,
          secondsLeft: Math.floor((Date.parse(clock.expiresAt) - t) / 1000),
          level: clockLevel((Date.parse(clock.expiresAt) - t) / 1000),
          extended: clock.extension !== undefined,
        }
      : null,
    holder,
    minutesSinceReceived: minutesBetween(received, t),
    minutesSinceLastPage: lastPage ? minutesBetween(Date.parse(lastPage.at), t) : null,
    overdue,
    stage: stage.stage,
    minutesInStage: minutesBetween(Date.parse(stage.since ?? referral.createdAt), t),
    openDelay: delaysOf(referral.timeline).find((delay) => delay.until === null) ?? null,
    overruns: currentOverruns(referral, now),
    under18: referral.subjectUnder18 === true,
  };
}

/** Soonest statutory expiry first; then overdue; then the longest waiting. */
export function sortBoard(rows: readonly BoardRow[]): BoardRow[] {
  return [...rows].sort(
    (a, b) =>
      (a.clock?.secondsLeft ?? Infinity) - (b.clock?.secondsLeft ?? Infinity) ||
      Number(b.overdue) - Number(a.overdue) ||
      b.minutesSinceReceived - a.minutesSinceReceived ||
      a.reference.localeCompare(b.reference),
  );
}

/** `3 h 05 min left`, `45 min left`, `expired 12 min ago`. */
export function countdownText(secondsLeft: number): string {
  const minutes = Math.floor(Math.abs(secondsLeft) / 60);
  const span = minutes >= 60 ? `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min` : `${minutes} min`;
  return secondsLeft > 0 ? `${span} left` : `expired ${span} ago`;
}
