/**
 * `npm run bench rota-match`: the time to match a referral against a rota of 10,000 shifts.
 *
 * - in memory: who is on duty (over all 10,000 shifts) and the chain, as pure functions;
 * - on dynalite: what routing does per referral, i.e. one Query for the shifts at the instant,
 *   one GetItem per AMHP for busy markers, one Query for the rotation memory, then matching;
 * - the manager's fortnight view: one Query, the effective rota, gaps and overlaps.
 */
import { buildChain } from '../../shared/domain/escalation.ts';
import { matchOnDuty } from '../../shared/domain/matching.ts';
import { checkRota, effectiveRota, onDutyAt } from '../../shared/domain/rota.ts';
import { addDays, startOfLocalDay } from '../../shared/domain/rota-time.ts';
import type { Team } from '../../shared/domain/types.ts';
import { percentile, writeResults } from './report.ts';
import { bigRota, directoryOnDynalite, TEAM_ID } from './rota-fixture.ts';

const SHIFTS = 10_000;
const team: Team = { id: TEAM_ID, name: 'Bench EDT', areas: ['LS1'], escalation: { ackTimeoutSeconds: 600, repeat: 1 }, continuity: 'prefer' };

/** Deterministic instants spread over the rota's years, so runs compare. */
function instants(count: number, from: number, to: number): Date[] {
  let seed = 42;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: count }, () => new Date(from + Math.floor(next() * (to - from))));
}

async function timed(count: number, work: (i: number) => Promise<unknown> | unknown) {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await work(i);
    times.push(performance.now() - started);
  }
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  return { runs: count, meanMs: mean, p50Ms: percentile(times, 50), p95Ms: percentile(times, 95), maxMs: Math.max(...times) };
}

const row = (name: string, r: Awaited<ReturnType<typeof timed>>) =>
  `${name.padEnd(58)} ${r.meanMs.toFixed(3).padStart(9)} ${r.p50Ms.toFixed(3).padStart(9)} ${r.p95Ms.toFixed(3).padStart(9)} ${String(r.runs).padStart(6)}`;

export async function run(): Promise<void> {
  const rota = bigRota(SHIFTS);
  const from = Date.parse(rota[0]?.start ?? '');
  const to = Date.parse(rota.at(-1)?.end ?? '');
  const probes = instants(2_000, from, to);
  const directory = await directoryOnDynalite();
  try {
    const loadStarted = performance.now();
    await directory.store.replaceRota(TEAM_ID, rota);
    const loadMs = performance.now() - loadStarted;
    // Some staff hold open referrals, so the busy check has something to find.
    for (const staffId of ['amhp-03', 'amhp-11']) await directory.store.markBusy(staffId, `bench-${staffId}`, new Date());

    const match = (shifts: typeof rota, at: Date, busy: ReadonlySet<string>, lastChosenAt: Record<string, string>) =>
      buildChain(
        team,
        matchOnDuty({ continuity: 'prefer', onDuty: onDutyAt(shifts, at), careCoordinatorStaffId: 'amhp-07', conflicts: ['amhp-09'], busy, lastChosenAt }),
      );

    const inMemory = await timed(probes.length, (i) => match(rota, probes[i] as Date, new Set(), {}));
    directory.commands.length = 0;
    const stored = await timed(500, async (i) => {
      const at = probes[i] as Date;
      const shifts = await directory.store.shiftsAt(TEAM_ID, at);
      const amhps = onDutyAt(shifts, at).filter((h) => h.position !== 'manager').map((h) => h.staffId);
      const [{ busy }, lastChosenAt] = await Promise.all([directory.store.staffOnDuty(amhps), directory.store.rotationOf(TEAM_ID)]);
      return match(shifts, at, busy, lastChosenAt);
    });
    const callsPerMatch = directory.commands.length / 500;
    const fortnight = await timed(50, async (i) => {
      const day = addDays('2025-01-01', (i * 37) % 2000);
      const windowFrom = startOfLocalDay(day);
      const windowTo = startOfLocalDay(addDays(day, 14));
      const shifts = await directory.store.shiftsOverlapping(TEAM_ID, windowFrom, windowTo);
      return checkRota(shifts, team, windowFrom, windowTo, effectiveRota(shifts, windowFrom, windowTo));
    });

    console.log(`rota: ${SHIFTS} shifts, ${rota[0]?.start.slice(0, 10)} to ${rota.at(-1)?.end.slice(0, 10)}; loaded into dynalite in ${loadMs.toFixed(0)} ms`);
    console.log(`${'measure'.padEnd(58)} ${'mean ms'.padStart(9)} ${'p50 ms'.padStart(9)} ${'p95 ms'.padStart(9)} ${'runs'.padStart(6)}`);
    console.log(row('match in memory (scan all 10,000 shifts + chain)', inMemory));
    console.log(row(`match from dynalite (${callsPerMatch.toFixed(1)} calls: Query + GetItems + Query)`, stored));
    console.log(row('14-day rota view from dynalite (Query + gaps + overlaps)', fortnight));
    writeResults('rota-match', { shifts: SHIFTS, loadMs, inMemory, stored: { ...stored, callsPerMatch }, fortnight });
  } finally {
    await directory.stop();
  }
}
