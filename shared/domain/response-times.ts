/**
 * Response-time statistics from referrals' timelines: how long from receipt to the first page,
 * to acceptance and to close, with escalation and decline rates and "no one on duty" incidents,
 * grouped by London day, ISO week and hour of day, by team and by accepting AMHP. s136 referrals
 * (the police's 24-hour place-of-safety detentions) are reported apart as well as in the whole.
 *
 * Percentiles are **nearest-rank**: the p-th percentile of n values sorted ascending is the value
 * at rank ⌈p/100 × n⌉ (1-based). It is always a time that really happened, never an
 * interpolation, so every figure can be traced to one referral. p50 of 1, 2, 3, 4 minutes is
 * 2 minutes; p90 of ten values is the ninth.
 *
 * A time counts only once its event has happened: a referral not yet accepted adds nothing to the
 * time to accept (it shows in `awaitingAcceptance`). Durations are in seconds.
 */
import { instantToLocal } from './rota-time.ts';
import type { LegalStatus, TimelineEntry } from './types.ts';

/** What the statistics read from a stored referral: its team, legal status and timeline. */
export interface ReferralEvents {
  id: string;
  teamId: string;
  legalStatus: LegalStatus;
  createdAt: string;
  timeline: readonly TimelineEntry[];
}

export interface DurationSummary {
  count: number;
  p50: number | null;
  p90: number | null;
  max: number | null;
}

export interface GroupStatistics {
  key: string;
  referrals: number;
  accepted: number;
  closed: number;
  /** Neither accepted nor closed at the time of the report. */
  awaitingAcceptance: number;
  timeToFirstPage: DurationSummary;
  timeToAccept: DurationSummary;
  timeToClose: DurationSummary;
  /** From the page that was accepted to its acceptance: how quickly the AMHP answered. */
  pageToAccept: DurationSummary;
  /** Referrals that needed more than their first page, or ran out of people to page. */
  escalated: number;
  escalationRate: number | null;
  pages: number;
  declines: number;
  /** Declines per page sent. */
  declineRate: number | null;
  /** Referrals whose chain ran out (every round spent). */
  exhausted: number;
  /** Steps skipped because nobody held the position, and the referrals that met one. */
  noOneOnDuty: { incidents: number; referrals: number };
}

export interface Breakdown {
  overall: GroupStatistics;
  /** Every London day of the window, oldest first (`2026-11-03`). */
  byDay: GroupStatistics[];
  /** Every ISO week the window touches (`2026-W45`), on London dates. */
  byWeek: GroupStatistics[];
  /** All 24 hours of the London clock (`00` to `23`), by when the referral was received. */
  byHour: GroupStatistics[];
  byTeam: GroupStatistics[];
  /** By the AMHP who accepted; referrals never accepted are in no AMHP's figures. */
  byAmhp: GroupStatistics[];
}

export interface ResponseTimeReport {
  from: string;
  to: string;
  percentileMethod: 'nearest-rank';
  all: Breakdown;
  s136: Breakdown;
}

/** Nearest-rank percentile of values sorted ascending; null for none. */
export function percentile(sortedAscending: ArrayLike<number>, p: number): number | null {
  if (!(p > 0 && p <= 100)) throw new RangeError('p must be in (0, 100]');
  const n = sortedAscending.length;
  if (n === 0) return null;
  return sortedAscending[Math.ceil((p / 100) * n) - 1] ?? null;
}

/**
 * Puts into `values[k]` the value a sort would put there, with none greater before it in
 * [lo, hi] and none smaller after it, and returns it (Hoare's selection, pivot the median of
 * three): on average a few passes over the values, where a sort makes log n.
 */
function select(values: Float64Array, k: number, lo: number, hi: number): number {
  while (hi > lo) {
    const a = values[lo]!;
    const b = values[(lo + hi) >>> 1]!;
    const c = values[hi]!;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i++] = values[j]!;
        values[j--] = swap;
      }
    }
    // Now [lo, j] holds none above the pivot, [i, hi] none below it, and between them the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k]!;
  }
  return values[k]!;
}

/**
 * Count, nearest-rank p50 and p90, and max. A year of a big service summarises millions of
 * durations in a hundred groups, so the two ranks are selected, not sorted for: the p90 over all
 * the values, then the p50 among those at or below it, and the max among those at or above it.
 */
export function summarise(values: readonly number[]): DurationSummary {
  const n = values.length;
  if (n === 0) return { count: 0, p50: null, p90: null, max: null };
  const copy = Float64Array.from(values);
  const k90 = Math.ceil(0.9 * n) - 1;
  const p90 = select(copy, k90, 0, n - 1);
  const p50 = select(copy, Math.ceil(0.5 * n) - 1, 0, k90);
  let max = p90;
  for (let i = k90 + 1; i < n; i++) if (copy[i]! > max) max = copy[i]!;
  return { count: n, p50, p90, max };
}

/** What one referral contributes, read from its timeline once. */
export interface ReferralTimings {
  id: string;
  teamId: string;
  /** Epoch milliseconds. */
  receivedAt: number;
  s136: boolean;
  day: string;
  week: string;
  hour: string;
  acceptedBy: string | null;
  timeToFirstPage: number | null;
  timeToAccept: number | null;
  timeToClose: number | null;
  pageToAccept: number | null;
  pages: number;
  declines: number;
  escalated: boolean;
  exhausted: boolean;
  closed: boolean;
  noOneOnDuty: number;
}

const hourCache = new Map<number, { date: string; week: string; hour: string }>();

/**
 * The London date, ISO week and hour of an instant. London's offset from UTC is a whole number of
 * hours and changes on a UTC hour (01:00), so every instant of one UTC hour has the same London
 * date and hour: worked out once per hour, which a year of referrals repeats many times.
 */
export function londonHourOf(ms: number): { date: string; week: string; hour: string } {
  const utcHour = Math.floor(ms / 3_600_000);
  let local = hourCache.get(utcHour);
  if (!local) {
    const parts = instantToLocal(new Date(utcHour * 3_600_000));
    local = { date: parts.date, week: isoWeek(parts.date), hour: parts.time.slice(0, 2) };
    if (hourCache.size > 100_000) hourCache.clear();
    hourCache.set(utcHour, local);
  }
  return local;
}

const seconds = (from: number, to: number | null) => (to === null ? null : (to - from) / 1000);

export function timingsOf(referral: ReferralEvents): ReferralTimings {
  const received = Date.parse(referral.createdAt);
  const first = (type: string) => referral.timeline.find((entry) => entry.type === type);
  const count = (type: string) => referral.timeline.filter((entry) => entry.type === type).length;
  const pages = referral.timeline.filter((entry) => entry.type === 'paged');
  const accepted = first('accepted');
  const closed = first('closed');
  const acceptedPage = accepted ? pages.find((page) => page.pageSeq === accepted.pageSeq) : undefined;
  const exhausted = count('chain_exhausted') > 0;
  const local = londonHourOf(received);
  return {
    id: referral.id,
    teamId: referral.teamId,
    receivedAt: received,
    s136: referral.legalStatus === 's136',
    day: local.date,
    week: local.week,
    hour: local.hour,
    acceptedBy: accepted && typeof accepted.staffId === 'string' ? accepted.staffId : null,
    timeToFirstPage: seconds(received, pages[0] ? Date.parse(pages[0].at) : null),
    timeToAccept: seconds(received, accepted ? Date.parse(accepted.at) : null),
    timeToClose: seconds(received, closed ? Date.parse(closed.at) : null),
    pageToAccept: accepted && acceptedPage ? seconds(Date.parse(acceptedPage.at), Date.parse(accepted.at)) : null,
    pages: pages.length,
    declines: count('declined'),
    escalated: pages.length > 1 || exhausted,
    exhausted,
    closed: closed !== undefined,
    noOneOnDuty: count('no_one_on_duty'),
  };
}

const rate = (part: number, whole: number) => (whole === 0 ? null : part / whole);

/** A group's counts and durations, added to one referral at a time: a year of a service counts each referral in a dozen groups. */
class GroupTally {
  private readonly durations = { timeToFirstPage: [] as number[], timeToAccept: [] as number[], timeToClose: [] as number[], pageToAccept: [] as number[] };
  private readonly n = { referrals: 0, pages: 0, declines: 0, escalated: 0, accepted: 0, closed: 0, awaiting: 0, exhausted: 0, incidents: 0, metNoOne: 0 };

  constructor(readonly key: string) {}

  add(r: ReferralTimings): void {
    const { n, durations } = this;
    n.referrals += 1;
    n.pages += r.pages;
    n.declines += r.declines;
    n.incidents += r.noOneOnDuty;
    if (r.escalated) n.escalated += 1;
    if (r.acceptedBy !== null) n.accepted += 1;
    if (r.closed) n.closed += 1;
    if (r.acceptedBy === null && !r.closed) n.awaiting += 1;
    if (r.exhausted) n.exhausted += 1;
    if (r.noOneOnDuty > 0) n.metNoOne += 1;
    if (r.timeToFirstPage !== null) durations.timeToFirstPage.push(r.timeToFirstPage);
    if (r.timeToAccept !== null) durations.timeToAccept.push(r.timeToAccept);
    if (r.timeToClose !== null) durations.timeToClose.push(r.timeToClose);
    if (r.pageToAccept !== null) durations.pageToAccept.push(r.pageToAccept);
  }

  statistics(): GroupStatistics {
    const { n, durations } = this;
    return {
      key: this.key,
      referrals: n.referrals,
      accepted: n.accepted,
      closed: n.closed,
      awaitingAcceptance: n.awaiting,
      timeToFirstPage: summarise(durations.timeToFirstPage),
      timeToAccept: summarise(durations.timeToAccept),
      timeToClose: summarise(durations.timeToClose),
      pageToAccept: summarise(durations.pageToAccept),
      escalated: n.escalated,
      escalationRate: rate(n.escalated, n.referrals),
      pages: n.pages,
      declines: n.declines,
      declineRate: rate(n.declines, n.pages),
      exhausted: n.exhausted,
      noOneOnDuty: { incidents: n.incidents, referrals: n.metNoOne },
    };
  }
}

/**
 * Groups by a key: those of `keys` in that order (each even with no referral), then any other in
 * the order first met; without `keys`, every key met, sorted.
 */
class GroupedTally {
  private readonly groups: Map<string, GroupTally>;

  constructor(
    private readonly keyOf: (r: ReferralTimings) => string | null,
    private readonly keys?: readonly string[],
  ) {
    this.groups = new Map((keys ?? []).map((key) => [key, new GroupTally(key)]));
  }

  add(r: ReferralTimings): void {
    const key = this.keyOf(r);
    if (key === null) return;
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = new GroupTally(key)));
    group.add(r);
  }

  statistics(): GroupStatistics[] {
    const ordered = this.keys ? [...this.groups.keys()] : [...this.groups.keys()].sort();
    return ordered.map((key) => this.groups.get(key)!.statistics());
  }
}

/** London dates of the window [from, to), first to last. */
export function windowDays(from: Date, to: Date): string[] {
  const first = instantToLocal(from).date;
  const last = instantToLocal(new Date(to.getTime() - 1)).date;
  const days: string[] = [];
  for (let day = first; day <= last; day = nextDate(day)) days.push(day);
  return days;
}

const hours = Array.from({ length: 24 }, (_, hour) => String(hour).padStart(2, '0'));

class BreakdownTally {
  private readonly overall = new GroupTally('all');
  private readonly byDay: GroupedTally;
  private readonly byWeek: GroupedTally;
  private readonly byHour = new GroupedTally((r) => r.hour, hours);
  private readonly byTeam = new GroupedTally((r) => r.teamId);
  private readonly byAmhp = new GroupedTally((r) => r.acceptedBy);

  constructor(days: readonly string[]) {
    this.byDay = new GroupedTally((r) => r.day, days);
    this.byWeek = new GroupedTally((r) => r.week, [...new Set(days.map(isoWeek))]);
  }

  add(r: ReferralTimings): void {
    this.overall.add(r);
    this.byDay.add(r);
    this.byWeek.add(r);
    this.byHour.add(r);
    this.byTeam.add(r);
    this.byAmhp.add(r);
  }

  breakdown(): Breakdown {
    return {
      overall: this.overall.statistics(),
      byDay: this.byDay.statistics(),
      byWeek: this.byWeek.statistics(),
      byHour: this.byHour.statistics(),
      byTeam: this.byTeam.statistics(),
      byAmhp: this.byAmhp.statistics(),
    };
  }
}

/**
 * The report for referrals received in [from, to), added one referral at a time, so that a reader
 * can add each team's as it arrives and keep none of them (shared/app/manager-views.ts): the
 * report is the same whatever the referrals' order, but for the order of keys first met in groups
 * with a fixed list (none, for referrals in the window).
 */
export class ResponseTimesTally {
  private readonly from: number;
  private readonly to: number;
  private readonly all: BreakdownTally;
  private readonly s136: BreakdownTally;

  constructor(private readonly window: { from: Date; to: Date }) {
    this.from = window.from.getTime();
    this.to = window.to.getTime();
    const days = windowDays(window.from, window.to);
    this.all = new BreakdownTally(days);
    this.s136 = new BreakdownTally(days);
  }

  /** Adds a referral's timings; one received outside the window is ignored. */
  add(timings: ReferralTimings): void {
    if (!(timings.receivedAt >= this.from && timings.receivedAt < this.to)) return;
    this.all.add(timings);
    if (timings.s136) this.s136.add(timings);
  }

  report(): ResponseTimeReport {
    return {
      from: this.window.from.toISOString(),
      to: this.window.to.toISOString(),
      percentileMethod: 'nearest-rank',
      all: this.all.breakdown(),
      s136: this.s136.breakdown(),
    };
  }
}

/** The report for referrals received in [from, to); referrals outside the window are ignored. */
export function responseTimeReport(referrals: readonly ReferralEvents[], window: { from: Date; to: Date }): ResponseTimeReport {
  return responseTimeReportOf(referrals.map(timingsOf), window);
}

/** The same report from each referral's timings (as daily roll-ups keep them). */
export function responseTimeReportOf(timings: readonly ReferralTimings[], window: { from: Date; to: Date }): ResponseTimeReport {
  const tally = new ResponseTimesTally(window);
  for (const t of timings) tally.add(t);
  return tally.report();
}

// --- calendar dates (no time zone involved: these are London dates already) -------------------

function utcDate(date: string): Date {
  const [year = NaN, month = NaN, day = NaN] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day));
}

const nextDate = (date: string) => new Date(utcDate(date).getTime() + 86_400_000).toISOString().slice(0, 10);

/** ISO 8601 week of a calendar date: weeks start on Monday; week 1 holds the year's first Thursday. */
export function isoWeek(date: string): string {
  const day = utcDate(date);
  const mondayBased = (day.getUTCDay() + 6) % 7;
  const thursday = new Date(day.getTime() + (3 - mondayBased) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}
