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

export function summarise(values: readonly number[]): DurationSummary {
  // A typed array sorts numbers as numbers without a comparator call per step: a year of a big service sorts millions.
  const sorted = Float64Array.from(values).sort();
  return { count: sorted.length, p50: percentile(sorted, 50), p90: percentile(sorted, 90), max: sorted.at(-1) ?? null };
}

/** What one referral contributes, read from its timeline once. */
export interface ReferralTimings {
  id: string;
  teamId: string;
  receivedAt: string;
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
    receivedAt: new Date(received).toISOString(),
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

/** One pass over the group's referrals: a year of a service counts each referral in a dozen groups. */
export function groupStatistics(key: string, referrals: readonly ReferralTimings[]): GroupStatistics {
  const durations = { timeToFirstPage: [] as number[], timeToAccept: [] as number[], timeToClose: [] as number[], pageToAccept: [] as number[] };
  const n = { pages: 0, declines: 0, escalated: 0, accepted: 0, closed: 0, awaiting: 0, exhausted: 0, incidents: 0, metNoOne: 0 };
  for (const r of referrals) {
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
  return {
    key,
    referrals: referrals.length,
    accepted: n.accepted,
    closed: n.closed,
    awaitingAcceptance: n.awaiting,
    timeToFirstPage: summarise(durations.timeToFirstPage),
    timeToAccept: summarise(durations.timeToAccept),
    timeToClose: summarise(durations.timeToClose),
    pageToAccept: summarise(durations.pageToAccept),
    escalated: n.escalated,
    escalationRate: rate(n.escalated, referrals.length),
    pages: n.pages,
    declines: n.declines,
    declineRate: rate(n.declines, n.pages),
    exhausted: n.exhausted,
    noOneOnDuty: { incidents: n.incidents, referrals: n.metNoOne },
  };
}

function groupedBy(
  referrals: readonly ReferralTimings[],
  keyOf: (r: ReferralTimings) => string | null,
  keys?: readonly string[],
): GroupStatistics[] {
  const groups = new Map<string, ReferralTimings[]>((keys ?? []).map((key) => [key, []]));
  for (const referral of referrals) {
    const key = keyOf(referral);
    if (key === null) continue;
    const group = groups.get(key);
    if (group) group.push(referral);
    else groups.set(key, [referral]);
  }
  const ordered = keys ? [...groups.keys()] : [...groups.keys()].sort();
  return ordered.map((key) => groupStatistics(key, groups.get(key) ?? []));
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

function breakdown(referrals: readonly ReferralTimings[], days: readonly string[]): Breakdown {
  return {
    overall: groupStatistics('all', referrals),
    byDay: groupedBy(referrals, (r) => r.day, days),
    byWeek: groupedBy(referrals, (r) => r.week, [...new Set(days.map(isoWeek))]),
    byHour: groupedBy(referrals, (r) => r.hour, hours),
    byTeam: groupedBy(referrals, (r) => r.teamId),
    byAmhp: groupedBy(referrals, (r) => r.acceptedBy),
  };
}

/** The report for referrals received in [from, to); referrals outside the window are ignored. */
export function responseTimeReport(referrals: readonly ReferralEvents[], window: { from: Date; to: Date }): ResponseTimeReport {
  return responseTimeReportOf(referrals.map(timingsOf), window);
}

/** The same report from each referral's timings (as daily roll-ups keep them). */
export function responseTimeReportOf(timings: readonly ReferralTimings[], window: { from: Date; to: Date }): ResponseTimeReport {
  const inWindow = timings.filter((t) => {
    const at = Date.parse(t.receivedAt);
    return at >= window.from.getTime() && at < window.to.getTime();
  });
  const days = windowDays(window.from, window.to);
  return {
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    percentileMethod: 'nearest-rank',
    all: breakdown(inWindow, days),
    s136: breakdown(
      inWindow.filter((r) => r.s136),
      days,
    ),
  };
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
