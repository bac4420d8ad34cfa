/**
 * What each referral of a team, received in a window, contributes to the statistics: from the
 * daily roll-ups for the London days that have one (shared/domain/statistics-rollups.ts), and from
 * the referrals themselves for the rest (today, days with a referral still open, days changed
 * since), in one Query per run of such days. The hourly roll-up job (`runStatisticsRollups`) rolls
 * up the last year's days as they close; a reader that reads a day whole that can be rolled up
 * (an older window, or a day changed since the last run) stores it when `storeRollups` (the
 * dashboard only reads, having no write access).
 */
import { figureRecordOf, canRollUp, decodeFigureRecord, encodeFigureRecord, type FigureRecord } from '../domain/statistics-rollups.ts';
import { legalStatusAtReferral } from '../domain/assessment-figures.ts';
import { windowDays, type ReferralEvents } from '../domain/response-times.ts';
import { addDays, instantToLocal, startOfLocalDay } from '../domain/rota-time.ts';
import { withoutSynthetic } from '../domain/synthetic.ts';
import type { DayRollup, Dependencies, Referral } from '../ports.ts';
import { forEveryTeam } from './every-team.ts';

export function referralEvents(referral: Referral): ReferralEvents {
  return {
    id: referral.id,
    teamId: referral.teamId ?? '',
    // The status it was made under: an admission changes `legal.status`, and an s136 admitted under s2 is still an s136 referral.
    legalStatus: legalStatusAtReferral(referral),
    createdAt: referral.createdAt,
    timeline: referral.timeline,
  };
}

const recordOf = (referral: Referral) => figureRecordOf(referralEvents(referral), referral);

/** Consecutive days as [first, last] runs. */
function runs(days: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (const day of days) {
    const last = out.at(-1);
    if (last && addDays(last[1], 1) === day) last[1] = day;
    else out.push([day, day]);
  }
  return out;
}

export async function teamFigureRecords(deps: Dependencies, teamId: string, window: { from: Date; to: Date }, options: { storeRollups: boolean }): Promise<FigureRecord[]> {
  const store = deps.referrals;
  if (!store.rollupsBetween || !store.putRollup) {
    return withoutSynthetic(await store.referralsReceivedBetween(teamId, window.from, window.to)).map(recordOf);
  }
  const days = windowDays(window.from, window.to);
  if (days.length === 0) return [];
  const rollups = new Map<string, DayRollup>((await store.rollupsBetween(teamId, days[0]!, days.at(-1)!)).map((r) => [r.day, r]));
  const records: FigureRecord[] = [];
  const missing: string[] = [];
  for (const day of days) {
    const rollup = rollups.get(day);
    const decoded = rollup?.complete ? decodedLines(rollup, teamId) : null;
    if (decoded) records.push(...decoded);
    else missing.push(day);
  }
  records.push(...(await readDaysWhole(deps, teamId, window, missing, rollups, options.storeRollups)));
  return records;
}

/**
 * The referrals of these days, read whole in one Query per run of days; with `storeRollups`, the
 * roll-up of each day wholly in the window that can be rolled up is stored, over the generation
 * `rollups` saw (so a change since wins).
 */
async function readDaysWhole(deps: Dependencies, teamId: string, window: { from: Date; to: Date }, days: readonly string[], rollups: ReadonlyMap<string, DayRollup>, storeRollups: boolean): Promise<FigureRecord[]> {
  const store = deps.referrals;
  const now = deps.clock.now();
  const records: FigureRecord[] = [];
  for (const [first, last] of runs(days)) {
    const from = new Date(Math.max(window.from.getTime(), startOfLocalDay(first).getTime()));
    const to = new Date(Math.min(window.to.getTime(), startOfLocalDay(addDays(last, 1)).getTime()));
    const referrals = withoutSynthetic(await store.referralsReceivedBetween(teamId, from, to));
    const byDay = new Map<string, Referral[]>();
    for (const referral of referrals) {
      const day = instantToLocal(new Date(referral.createdAt)).date;
      const list = byDay.get(day);
      if (list) list.push(referral);
      else byDay.set(day, [referral]);
    }
    for (const day of runDays(first, last)) {
      const here = byDay.get(day) ?? [];
      const dayRecords = here.map(recordOf);
      records.push(...dayRecords);
      // A day only part of which is in the window is not stored: its other part was not read.
      const whole = startOfLocalDay(day).getTime() >= window.from.getTime() && startOfLocalDay(addDays(day, 1)).getTime() <= window.to.getTime();
      if (storeRollups && store.putRollup && whole && canRollUp(day, here, now)) {
        await store.putRollup(teamId, day, dayRecords.map(encodeFigureRecord), rollups.get(day)?.generation ?? null);
      }
    }
  }
  return records;
}

/** London days back from yesterday that the roll-up job keeps rolled up: a year's statistics, and the day a year ago begins. */
export const ROLLUP_JOB_DAYS = 367;

/**
 * Rolls up a team's days (of the last ROLLUP_JOB_DAYS) that are over and have no complete roll-up:
 * one Query of which days are complete (without their lines), and one of the referrals of each run
 * of the rest. A day with a referral still open is read and left for a later run. Returns the
 * number of days read.
 */
export async function rollUpTeam(deps: Dependencies, teamId: string): Promise<number> {
  const store = deps.referrals;
  if (!store.rollupsBetween || !store.putRollup) return 0;
  const now = deps.clock.now();
  const today = instantToLocal(now).date;
  const window = { from: startOfLocalDay(addDays(today, -ROLLUP_JOB_DAYS)), to: startOfLocalDay(today) };
  const days = windowDays(window.from, window.to);
  const rollups = new Map<string, DayRollup>((await store.rollupsBetween(teamId, days[0]!, days.at(-1)!, { lines: false })).map((r) => [r.day, r]));
  const missing = days.filter((day) => !rollups.get(day)?.complete && canRollUp(day, [], now));
  await readDaysWhole(deps, teamId, window, missing, rollups, true);
  return missing.length;
}

/** A roll-up's lines, or null if one cannot be read (written by another version): then the day is read whole, and stored again. */
function decodedLines(rollup: DayRollup, teamId: string): FigureRecord[] | null {
  try {
    return rollup.lines.map((line) => decodeFigureRecord(line, teamId));
  } catch {
    return null;
  }
}

/** Every London day from `first` to `last`. */
function runDays(first: string, last: string): string[] {
  const days: string[] = [];
  for (let day = first; day <= last; day = addDays(day, 1)) days.push(day);
  return days;
}

/**
 * Teams read at a time. All at once, a service of 120 teams sent hundreds of Queries together and
 * the emulator (and DynamoDB's per-partition throughput) answered them so late that the clients'
 * timeouts fired; a few at a time keep the table busy without queueing calls past them.
 */
export const TEAMS_AT_A_TIME = 4;

/** `fn` of each item, at most `limit` at a time, results in the items' order. */
export async function inTurn<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * `fn` of each item, at most `limit` at a time, each result given to `take` in the items' order as
 * soon as it and those before it are in (so a slow item holds back only the results after it).
 */
export async function inTurnInOrder<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>, take: (result: R) => void): Promise<void> {
  const ready = new Map<number, R>();
  let taken = 0;
  await inTurn(items.map((item, i) => [item, i] as const), limit, async ([item, i]) => {
    ready.set(i, await fn(item));
    while (ready.has(taken)) {
      const result = ready.get(taken) as R;
      ready.delete(taken);
      taken += 1;
      take(result);
    }
  });
}

/**
 * The scheduled roll-up run (every half hour): each team's days that are over and closed and have
 * no complete roll-up are rolled up, so that a reader meets them rolled up and pays no cold read;
 * a change to a closed referral makes its day stale, and the next run rolls it up again. Teams are
 * started only while `stillTime()`: the rest (`daysRead: null`) are the next run's, which finds the
 * teams done before cheap to pass (one Query of their days' state).
 */
export async function runStatisticsRollups(deps: Dependencies, stillTime: () => boolean = () => true): Promise<{ teamId: string; daysRead: number | null }[]> {
  return forEveryTeam(deps, 'statistics roll-up', async (team) => ({ teamId: team.id, daysRead: stillTime() ? await rollUpTeam(deps, team.id) : null }));
}
