import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzGroups, fuzzRoute, fuzzWorld, routeName, RUNS, sessionCookies, type HttpFuzzResult } from './harness.ts';

/**
 * Teams, staff, rotas (JSON, CSV and iCalendar), overrides, calendar feeds and service settings:
 * RUNS arbitrary requests each, every one a 2xx or 4xx, and a 4xx writes nothing.
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

describe('fuzzing the directory and rota API', () => {
  for (const route of fuzzGroups.directory) {
    it(`${routeName(route)} answers ${RUNS} arbitrary requests with a 2xx or 4xx, and a 4xx writes nothing`, async () => {
      const result = await fuzzRoute(route, world, cookies);
      report[routeName(route)] = result;
      expect(result.cases).toBe(RUNS);
    }, 120_000);
  }
});
