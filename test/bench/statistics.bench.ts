import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { putTeam } from '../../shared/app/directory-admin.ts';
import { inTurn, ROLLUP_JOB_DAYS, TEAMS_AT_A_TIME } from '../../shared/app/statistics-read.ts';
import { canRollUp } from '../../shared/domain/statistics-rollups.ts';
import { windowDays } from '../../shared/domain/response-times.ts';
import { addDays, instantToLocal, startOfLocalDay } from '../../shared/domain/rota-time.ts';
import type { StatutoryClock, TimelineEntry } from '../../shared/domain/types.ts';
import type { Referral } from '../../shared/ports.ts';
import { localToken } from '../support/local-api.ts';
import { percentile, writeResults } from './report.ts';

/**
 * Statistics at scale (issue 13 part 7): a year of generated referrals written to the local
 * runtime's DynamoDB (dynalite) through the referral store, then the year's statistics read end to
 * end over HTTP, as a manager's browser and the dashboard read them: `/manage/response-times`
 * (response times and assessment figures, HTML) and `GET /api/dashboard` (the board as well).
 * First the dashboard with no roll-ups (every referral read; up to STATS_COLD_UP_TO referrals),
 * then the scheduled roll-up job as it runs (`runScheduled('statisticsRollups')`, each run starting
 * teams for a minute, until every day that can be is rolled up: shared/app/statistics-read.ts),
 * then the page and the dashboard, each timed ROUNDS times.
 * Targets: one team with 5,000 referrals in ≤ 1.5 s; 120 teams × 1,000 in ≤ 5 s.
 *
 * Each referral's timeline is a whole night (received, paged, accepted, arrival, attending, a
 * doctor waited for, the assessment, the decision, a bed, the conveyance, the admission, closed),
 * about 30 entries, as stored. STATS_SCALES="1x5000,120x1000" (teams x referrals per team) and
 * STATS_ROUNDS (timed reads per scale, default 3) change what is run.
 */
const SCALES = (process.env.STATS_SCALES ?? '1x5000,120x1000').split(',').map((s) => s.split('x').map(Number) as [number, number]);
const ROUNDS = Number(process.env.STATS_ROUNDS ?? 3);
const TARGET_MS: Record<string, number> = { '1x5000': 1500, '120x1000': 5000 };
const MIN = 60_000;
/** The emulators on worker threads (`emulatorThreads`), off the functions' event loop, as `npm start` runs them; STATS_EMULATOR_THREADS=0: on the same thread. */
const THREADS = process.env.STATS_EMULATOR_THREADS !== '0';

/** A deterministic pseudo-random sequence, so every run generates the same year. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const outcomes = ['application_s2', 'application_s3', 'informal_admission', 'community_plan', 'no_further_action'] as const;

function generatedReferral(teamId: string, n: number, receivedAt: number, rnd: () => number, now: number): Referral {
  const t = (minutes: number) => new Date(receivedAt + minutes * MIN).toISOString();
  const s136 = rnd() < 0.4;
  const amhp = `${teamId}-amhp-${Math.floor(rnd() * 6)}`;
  const arrival = 20 + Math.floor(rnd() * 60);
  const started = arrival + 30 + Math.floor(rnd() * 300);
  const outcome = outcomes[Math.floor(rnd() * outcomes.length)]!;
  const admits = outcome.startsWith('application');
  const closes = started + 400 < (now - receivedAt) / MIN;
  const entry = (type: TimelineEntry['type'], minutes: number, detail: Record<string, unknown> = {}): TimelineEntry => ({ at: t(minutes + 1), type, eventAt: t(minutes), by: amhp, ...detail });
  const clocks: StatutoryClock[] = s136
    ? [{ kind: 's136', startedAt: t(arrival), expiresAt: t(arrival + 24 * 60), startEvent: 'arrived_at_place_of_safety', ...(admits ? { endedAt: t(started + 240), endReason: 'admitted' as const } : {}) }]
    : [];
  const timeline: TimelineEntry[] = [
    { at: t(0), type: 'received', channel: 'web', urgency: 'immediate', legalStatus: s136 ? 's136' : 'none', district: 'LS1' },
    ...(s136 ? [{ at: t(0), type: 'clock_started' as const, clockKind: 's136', state: 'pending', awaits: 'arrived_at_place_of_safety' }] : []),
    { at: t(0.1), type: 'routed', teamId, chain: [{ staffId: amhp, position: 'primary' }] },
    { at: t(0.2), type: 'paged', staffId: amhp, pageSeq: 1, round: 1, position: 'primary' },
    { at: t(2 + rnd() * 10), type: 'accepted', staffId: amhp, pageSeq: 1 },
    { at: t(12), type: 'referrer_notified', staffId: amhp },
    ...(s136 ? [entry('arrived_at_place_of_safety', arrival, { placeKind: rnd() < 0.1 ? 'police_station' : rnd() < 0.5 ? 'emergency_department' : 'health_based', district: 'LS1' })] : []),
    entry('referrer_contacted', arrival + 5),
    entry('attending', arrival + 10, { etaMinutes: 30 }),
    entry('doctor_requested', arrival + 12, { role: 's12' }),
    entry('delay_started', arrival + 15, { reason: 's12_doctor' }),
    entry('doctor_arrived', started - 5, { role: 's12' }),
    entry('delay_ended', started - 5, { reason: 's12_doctor' }),
    entry('assessment_started', started),
    entry('decision', started + 60, { outcome }),
    ...(admits
      ? [
          entry('bed_requested', started + 65),
          entry('delay_started', started + 65, { reason: 'bed' }),
          entry('bed_identified', started + 150),
          entry('delay_ended', started + 150, { reason: 'bed' }),
          entry('conveyance_requested', started + 160, { by: 'ambulance' }),
          entry('conveyed', started + 220),
          entry('admitted', started + 240, { section: outcome.slice(-2), from: s136 ? 's136' : 'none' }),
        ]
      : []),
    ...(closes ? [{ at: t(started + 300), type: 'closed' as const, outcome: 'assessed', result: 'no_further_action', by: amhp, fromStatus: 'accepted' }] : []),
  ];
  return {
    id: `${teamId}-${String(n).padStart(6, '0')}`,
    reference: `EDT-BNCH-${String(n).padStart(4, '0')}`,
    status: closes ? 'closed' : 'accepted',
    createdAt: t(0),
    createdBy: 'bench-police',
    district: 'LS1',
    detailsExpireAt: new Date(now + 30 * 86_400_000).toISOString(),
    channel: 'web',
    urgency: 'immediate',
    legal: s136 ? { status: admits ? (outcome === 'application_s3' ? 's3' : 's2') : 's136', placeOfSafety: { kind: 'health_based' } } : { status: 'none' },
    subjectUnder18: rnd() < 0.05,
    clocks,
    teamId,
    assignedTo: amhp,
    timeline,
    outbox: {},
    version: timeline.length,
  };
}

async function generate(runtime: LocalRuntime, teams: number, perTeam: number, now: Date): Promise<{ ms: number; bytes: number; referrals: Referral[] }> {
  const started = performance.now();
  const yearMs = 365 * 86_400_000;
  const jobs: Referral[] = [];
  let bytes = 0;
  for (let team = 0; team < teams; team++) {
    const teamId = `bench-team-${String(team).padStart(3, '0')}`;
    const result = await putTeam(runtime.deps, teamId, { name: `Bench team ${team}`, areas: [`${['B', 'BD', 'BL'][Math.floor(team / 99)]}${(team % 99) + 1}`], escalation: { ackTimeoutSeconds: 600, repeat: 1 }, continuity: 'ignore' });
    if (!result.ok) throw new Error(`bench team did not validate: ${JSON.stringify(result)}`);
    const rnd = random(team + 1);
    for (let n = 0; n < perTeam; n++) {
      // Spread over the year before now, the last ones on the last day.
      const referral = generatedReferral(teamId, n, now.getTime() - yearMs + Math.floor(((n + rnd()) / perTeam) * (yearMs - 3_600_000)), rnd, now.getTime());
      bytes += JSON.stringify(referral).length;
      jobs.push(referral);
    }
  }
  const CONCURRENCY = 32;
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < jobs.length) {
        const referral = jobs[next++]!;
        if (!(await runtime.deps.referrals.create(referral))) throw new Error('a generated referral was there already');
      }
    }),
  );
  return { ms: performance.now() - started, bytes: Math.round(bytes / jobs.length), referrals: jobs };
}

/** Above this many referrals no read without roll-ups is timed: at 120 × 1,000 such reads failed with client timeouts. */
const COLD_UP_TO = Number(process.env.STATS_COLD_UP_TO ?? 10_000);

/** Team-days the roll-up job can roll up now: those of its window that are over and hold no open referral. */
function rollableDays(referrals: readonly Referral[], teams: readonly string[], now: Date): number {
  const today = instantToLocal(now).date;
  const days = windowDays(startOfLocalDay(addDays(today, -ROLLUP_JOB_DAYS)), startOfLocalDay(today));
  const open = new Set(referrals.filter((r) => r.status !== 'closed').map((r) => `${r.teamId}|${instantToLocal(new Date(r.createdAt)).date}`));
  return teams.length * days.length - teams.reduce((sum, team) => sum + days.filter((day) => open.has(`${team}|${day}`) || !canRollUp(day, [], now)).length, 0);
}

/** Runs the roll-up job until it has rolled up every day it can (a run starts teams for a minute, the next goes on). */
async function runRollupJob(runtime: LocalRuntime, teams: readonly string[], expected: number, from: string, to: string): Promise<{ ms: number; runs: number; days: number }> {
  const started = performance.now();
  let runs = 0;
  let days = 0;
  while (days < expected && runs < 50) {
    await runtime.runScheduled('statisticsRollups');
    runs += 1;
    days = (await inTurn(teams, TEAMS_AT_A_TIME, (team) => runtime.deps.referrals.rollupsBetween!(team, from, to, { lines: false }))).flat().filter((r) => r.complete).length;
  }
  return { ms: performance.now() - started, runs, days };
}

async function read(url: string, headers: Record<string, string>, options: { allowFailure?: boolean } = {}): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { headers });
  await response.text();
  if (response.status !== 200 && !options.allowFailure) throw new Error(`${url} answered ${response.status}`);
  // A failed read (a client timeout under load) is reported as negative, not hidden.
  return (performance.now() - started) * (response.status === 200 ? 1 : -1);
}

export async function run(): Promise<void> {
  const results: Record<string, unknown>[] = [];
  for (const [teams, perTeam] of SCALES) {
    const scale = `${teams}x${perTeam}`;
    const quiet = () => undefined;
    // Errors only, by name (never a referral's content): a failed read should say why.
    const runtime = await startLocalRuntime({ port: 0, seed: false, emulatorThreads: THREADS, log: { info: quiet, warn: quiet, error: (message, extra) => console.error(`  (runtime: ${message} ${JSON.stringify(extra ?? {})})`) } });
    try {
      const now = runtime.deps.clock.now();
      const generated = await generate(runtime, teams, perTeam, now);
      const token = await localToken(runtime.url, 'bench-admin', ['admin']);
      const to = instantToLocal(now).date;
      const from = addDays(to, -364);
      const query = `from=${from}&to=${to}`;
      const page = (allowFailure = false): Promise<number> => read(`${runtime.url}/manage/response-times?${query}`, { cookie: `dutyline_session=${token}` }, { allowFailure });
      const dashboard = (allowFailure = false): Promise<number> => read(`${runtime.url}/api/dashboard?${query}`, { authorization: `Bearer ${token}` }, { allowFailure });
      const teamIds = Array.from({ length: teams }, (_, team) => `bench-team-${String(team).padStart(3, '0')}`);
      // No roll-ups yet: the dashboard (read-only) reads every referral of the year.
      const withoutRollups = teams * perTeam <= COLD_UP_TO ? await dashboard(true) : null;
      const job = await runRollupJob(runtime, teamIds, rollableDays(generated.referrals, teamIds, now), addDays(to, -ROLLUP_JOB_DAYS), to);
      const rollupItems = (await inTurn(teamIds, TEAMS_AT_A_TIME, (team) => runtime.deps.referrals.rollupsBetween!(team, from, to))).flat();
      const pageMs: number[] = [];
      const dashboardMs: number[] = [];
      for (let round = 0; round < ROUNDS; round++) pageMs.push(await page(true));
      for (let round = 0; round < ROUNDS; round++) dashboardMs.push(await dashboard(true));
      const target = TARGET_MS[scale];
      const row = {
        scale,
        emulatorThreads: THREADS,
        referrals: teams * perTeam,
        averageItemBytes: generated.bytes,
        generateSeconds: Math.round(generated.ms / 100) / 10,
        dashboardWithoutRollupsMs: withoutRollups === null ? null : Math.round(withoutRollups),
        rollupJobMs: Math.round(job.ms),
        rollupJobRuns: job.runs,
        rollupDays: rollupItems.filter((r) => r.complete).length,
        rollupLines: rollupItems.reduce((sum, r) => sum + r.lines.length, 0),
        pageMs: pageMs.map(Math.round),
        dashboardMs: dashboardMs.map(Math.round),
        pageMedianMs: Math.round(percentile(pageMs, 50)),
        dashboardMedianMs: Math.round(percentile(dashboardMs, 50)),
        targetMs: target ?? null,
      };
      results.push(row);
      const verdict = (ms: number) => (ms < 0 ? ' (a read FAILED: negative times are failures)' : target === undefined ? '' : ms <= target ? ' (within target)' : ` (OVER the ${target} ms target)`);
      console.log(
        `${scale.padEnd(9)} ${String(row.referrals).padStart(7)} referrals${THREADS ? ' (emulators on a worker thread)' : ''}, ~${row.averageItemBytes} B each, written in ${row.generateSeconds} s\n` +
          `  without roll-ups, /api/dashboard reads every referral: ${row.dashboardWithoutRollupsMs === null ? 'not run' : row.dashboardWithoutRollupsMs < 0 ? `FAILED after ${-row.dashboardWithoutRollupsMs} ms` : `${row.dashboardWithoutRollupsMs} ms${verdict(row.dashboardWithoutRollupsMs)}`}\n` +
          `  the roll-up job, cold: ${row.rollupJobMs} ms in ${row.rollupJobRuns} run(s) (${row.rollupDays} team-days, ${row.rollupLines} lines in the year read)\n` +
          `  then /manage/response-times (a year): ${row.pageMs.join(', ')} ms, median ${row.pageMedianMs}${verdict(row.pageMedianMs)}\n` +
          `  then /api/dashboard (a year):         ${row.dashboardMs.join(', ')} ms, median ${row.dashboardMedianMs}${verdict(row.dashboardMedianMs)}`,
      );
    } finally {
      await runtime.stop();
    }
  }
  writeResults('statistics', results);
}
