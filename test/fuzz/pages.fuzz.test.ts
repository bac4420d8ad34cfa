import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzGroups, fuzzRoute, fuzzWorld, routeName, RUNS, sessionCookies, type HttpFuzzResult } from './harness.ts';

/**
 * The pages that check their own session cookie (the referrer's pages, sign-in and assets, the
 * managers' pages, the rota page, the AMHP's referral page): RUNS arbitrary requests each (with and without a session, forms of any shape), every
 * one a 2xx, 3xx or 4xx, never the "problem with the service" page, and a 4xx writes nothing.
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

describe('fuzzing the web pages', () => {
  for (const route of fuzzGroups.pages) {
    it(`${routeName(route)} answers ${RUNS} arbitrary requests with a 2xx, 3xx or 4xx, and a 4xx writes nothing`, async () => {
      const result = await fuzzRoute(route, world, cookies);
      report[routeName(route)] = result;
      expect(result.cases).toBe(RUNS);
    }, 120_000);
  }
});
