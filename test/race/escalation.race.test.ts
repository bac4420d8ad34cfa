/**
 * Interleavings of the use cases that can meet on one referral, each driven by fast-check's
 * scheduler over the real adapters on the emulators (./harness.ts). Whatever the order: no SMS
 * goes twice, the referral is never lost or left stuck, and exactly one answer wins.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeReferralAs } from '../../shared/app/close-referral.ts';
import { reconcileOutboxes } from '../../shared/app/reconcile.ts';
import { answerPage, handleAckTimer, routeReferral } from '../../shared/app/escalate.ts';
import type { EscalationTimerMessage, Referral } from '../../shared/ports.ts';
import { functions } from '../../infra/definition.ts';
import { RACE_RUNS, RACE_TIMEOUT_MS, doubleSms, quiescent, freshTeam, settle, smsTo, startRaceWorld, submitTo, type RaceTeam, type RaceWorld } from './harness.ts';

const longestFunctionTimeoutSeconds = Math.max(...Object.values(functions).map((definition) => definition.timeoutSeconds));

let world: RaceWorld;
let run = 0;

beforeAll(async () => {
  world = await startRaceWorld();
}, 60_000);

afterAll(async () => {
  await world?.stop();
});

/** A referral routed to a fresh team: its primary AMHP has been paged (page 1). */
async function pagedReferral(): Promise<{ team: RaceTeam; referral: Referral }> {
  const team = await freshTeam(world, run++);
  const id = await submitTo(world, team);
  await routeReferral(world.deps, id);
  const referral = await world.deps.referrals.get(id);
  if (referral?.status !== 'paging') throw new Error(`race set-up: referral is ${referral?.status}`);
  return { team, referral };
}

/** The acknowledgement timer the use cases armed for that page, as SQS would deliver it. */
function ackTimer(referral: Referral, pageSeq: number): EscalationTimerMessage {
  const timer = world.timers.find((message): message is EscalationTimerMessage => message.referralId === referral.id && (message.kind ?? 'ack') === 'ack' && 'pageSeq' in message && message.pageSeq === pageSeq);
  if (!timer) throw new Error(`race set-up: no timer for page ${pageSeq}`);
  return timer;
}

/** Runs the racers with every AWS call gated by the scheduler, then finishes what they left pending. */
async function race(scheduler: fc.Scheduler, racers: (() => Promise<unknown>)[]): Promise<PromiseSettledResult<unknown>[]> {
  world.gate.scheduler = scheduler;
  try {
    return await scheduler.waitFor(Promise.allSettled(racers.map((racer) => racer())), quiescent(world));
  } finally {
    await settle(world);
  }
}

async function settled(id: string): Promise<Referral> {
  const referral = await world.deps.referrals.get(id);
  if (!referral) throw new Error('referral lost');
  return referral;
}

/** What must hold after any race: nothing sent twice, nothing left to do that nobody will do. */
function expectSound(referral: Referral, outcomes: PromiseSettledResult<unknown>[]) {
  expect(outcomes.filter((outcome) => outcome.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason))).toEqual([]);
  expect(doubleSms(world, referral.reference)).toEqual([]);
  expect(Object.keys(referral.outbox)).toEqual([]);
  // Not stuck: a referral still being paged has a timer armed for its current page.
  if (referral.status === 'paging') {
    const current = referral.escalation?.pages.at(-1)?.pageSeq;
    expect(world.timers.some((timer) => timer.referralId === referral.id && 'pageSeq' in timer && timer.pageSeq === current)).toBe(true);
  }
}

const wins = (outcomes: PromiseSettledResult<unknown>[]) =>
  outcomes.filter((outcome) => outcome.status === 'fulfilled' && (outcome.value as { kind?: string } | null)?.kind === 'done').length;

describe('races on one referral', { timeout: RACE_TIMEOUT_MS }, () => {
  it('an accept racing the acknowledgement timer: accepted once, the referrer texted once, no page twice', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const { team, referral } = await pagedReferral();
        const [amhpA] = team.amhps;
        const outcomes = await race(s, [
          () => answerPage(world.deps, { referralId: referral.id, staffId: amhpA!.id, answer: 'accept', via: 'sms' }),
          () => handleAckTimer(world.deps, ackTimer(referral, 1)),
        ]);
        const after = await settled(referral.id);
        expectSound(after, outcomes);
        expect(after.status).toBe('accepted');
        expect(after.assignedTo).toBe(amhpA!.id);
        expect(smsTo(world, '+447700900201', after.reference).filter((m) => m.body.includes('accepted by'))).toHaveLength(1);
      }),
      { numRuns: RACE_RUNS },
    );
  });

  it('an accept racing a decline by the same AMHP: exactly one of them holds', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const { team, referral } = await pagedReferral();
        const [amhpA, amhpB] = team.amhps;
        const outcomes = await race(s, [
          () => answerPage(world.deps, { referralId: referral.id, staffId: amhpA!.id, answer: 'accept', via: 'sms' }),
          () => answerPage(world.deps, { referralId: referral.id, staffId: amhpA!.id, answer: 'decline', via: 'api' }),
        ]);
        const after = await settled(referral.id);
        expectSound(after, outcomes);
        expect(wins(outcomes)).toBe(1);
        if (after.status === 'accepted') expect(after.assignedTo).toBe(amhpA!.id);
        else expect(after.escalation?.pages.at(-1)?.staffId).toBe(amhpB!.id);
      }),
      { numRuns: RACE_RUNS },
    );
  });

  it('two AMHPs accepting at once: one holds it, the other is refused, the referrer is texted once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const { team, referral } = await pagedReferral();
        // Nobody answered page 1 in time: the secondary is paged too, and both may now accept.
        await handleAckTimer(world.deps, ackTimer(referral, 1));
        const [amhpA, amhpB] = team.amhps;
        if ((await settled(referral.id)).escalation?.pages.at(-1)?.staffId !== amhpB!.id) throw new Error('race set-up: the secondary was not paged');
        const outcomes = await race(s, [
          () => answerPage(world.deps, { referralId: referral.id, staffId: amhpA!.id, answer: 'accept', via: 'sms' }),
          () => answerPage(world.deps, { referralId: referral.id, staffId: amhpB!.id, answer: 'accept', via: 'link' }),
        ]);
        const after = await settled(referral.id);
        expectSound(after, outcomes);
        expect(wins(outcomes)).toBe(1);
        expect([amhpA!.id, amhpB!.id]).toContain(after.assignedTo);
        expect(smsTo(world, '+447700900201', after.reference).filter((m) => m.body.includes('accepted by'))).toHaveLength(1);
      }),
      { numRuns: RACE_RUNS },
    );
  });

  it('a referral delivered twice to the router at once is routed once and its AMHP paged once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const team = await freshTeam(world, run++);
        const id = await submitTo(world, team);
        const outcomes = await race(s, [() => routeReferral(world.deps, id), () => routeReferral(world.deps, id)]);
        const after = await settled(id);
        expectSound(after, outcomes);
        expect(after.status).toBe('paging');
        expect(after.timeline.filter((entry) => entry.type === 'routed')).toHaveLength(1);
        expect(smsTo(world, team.amhps[0]!.phone, after.reference)).toHaveLength(1);
      }),
      { numRuns: RACE_RUNS },
    );
  });

  it('a duplicate delivery while the reconciler, holding the page, stalls as long as a function may run: the AMHP is paged once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 0, max: 30 }), async (s, steps) => {
        const team = await freshTeam(world, run++);
        const id = await submitTo(world, team);
        // The router stored the routed state and then crashed before carrying out the page.
        const crashing = Object.assign(Object.create(world.deps.referrals) as typeof world.deps.referrals, {
          claimEffects: () => Promise.reject(new Error('crashed')),
        });
        await routeReferral({ ...world.deps, referrals: crashing }, id).catch(() => undefined);
        const start = world.clock.now;
        try {
          const outcomes = await race(s, [
            () => reconcileOutboxes(world.deps, -1),
            async () => {
              // The redelivered message comes while the reconciler may still be at it: just inside
              // the longest function timeout, so the reconciler's invocation can still be alive.
              for (let step = 0; step <= steps; step++) await s.schedule(Promise.resolve(), 'time passes');
              world.clock.now = new Date(start.getTime() + (longestFunctionTimeoutSeconds - 1) * 1000);
              return routeReferral(world.deps, id);
            },
          ]);
          const after = await settled(id);
          expectSound(after, outcomes);
          expect(smsTo(world, team.amhps[0]!.phone, after.reference)).toHaveLength(1);
        } finally {
          world.clock.now = start;
        }
      }),
      { numRuns: RACE_RUNS },
    );
  });

  it('closing while an accept is being carried out leaves nobody marked busy for a closed referral', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const { team, referral } = await pagedReferral();
        const [amhpA] = team.amhps;
        const manager = { userId: `race-${team.manager.id}`, roles: ['manager' as const], staffId: team.manager.id };
        // The manager closes it once the accept is stored, while the accept's effects are still going out.
        let acceptStored: () => void = () => undefined;
        const stored = new Promise<void>((resolve) => (acceptStored = resolve));
        const referrals = Object.assign(Object.create(world.deps.referrals) as typeof world.deps.referrals, {
          replace: async (next: Referral, previous: Referral) => {
            const written = await world.deps.referrals.replace(next, previous);
            if (written && next.status === 'accepted') acceptStored();
            return written;
          },
        });
        const outcomes = await race(s, [
          () => answerPage({ ...world.deps, referrals }, { referralId: referral.id, staffId: amhpA!.id, answer: 'accept', via: 'sms' }),
          async () => {
            await stored;
            return closeReferralAs(world.deps, manager, referral.id, { outcome: 'withdrawn' });
          },
        ]);
        const after = await settled(referral.id);
        expectSound(after, outcomes);
        expect(after.status).toBe('closed');
        const { busy } = await world.deps.directory.staffOnDuty([amhpA!.id]);
        expect(busy.has(amhpA!.id)).toBe(false);
      }),
      { numRuns: RACE_RUNS },
    );
  });
});
