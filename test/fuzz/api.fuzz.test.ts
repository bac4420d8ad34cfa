import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzGroups, fuzzRoute, fuzzWorld, routeName, RUNS, sessionCookies, type HttpFuzzResult } from './harness.ts';

/**
 * The referral API, its clocks, outcomes and dashboard, the telephony webhook, accept links, the
 * public documents, and any route the other two files do not take: each route takes RUNS arbitrary requests and answers every one with a
 * 2xx or a 4xx, never a 5xx or a throw, and writes nothing when it answers 4xx.
 */
const world = fuzzWorld();
let cookies: string[] = [];
const report: Record<string, HttpFuzzResult> = {};

beforeAll(async () => {
  cookies = await sessionCookies(world.deps);
});

afterAll(() => {
  console.table(Object.fromEntries(Object.entries(report).map(([name, r]) => [name, { cases: r.cases, ms: Math.round(r.ms), statuses: JSON.stringify(r.byStatus) }])));
});

describe('fuzzing the referral API', () => {
  for (const route of fuzzGroups.api) {
    it(`${routeName(route)} answers ${RUNS} arbitrary requests with a 2xx or 4xx, and a 4xx writes nothing`, async () => {
      const result = await fuzzRoute(route, world, cookies);
      report[routeName(route)] = result;
      expect(result.cases).toBe(RUNS);
    }, 120_000);
  }
});
