import { describe, expect, it } from 'vitest';
import { fuzzRuns } from '../../support/fuzz-runs.ts';

describe('FUZZ_RUNS', () => {
  it('runs 10,000 cases in CI and 1,000 elsewhere unless FUZZ_RUNS says otherwise', () => {
    expect(fuzzRuns({ CI: 'true' })).toBe(10_000);
    expect(fuzzRuns({})).toBe(1_000);
    expect(fuzzRuns({ CI: 'true', FUZZ_RUNS: '50' })).toBe(50);
  });

  it('refuses a FUZZ_RUNS that is not a whole number of at least 1', () => {
    expect(() => fuzzRuns({ FUZZ_RUNS: 'lots' })).toThrow(/FUZZ_RUNS must be a whole number/);
    expect(() => fuzzRuns({ FUZZ_RUNS: '0' })).toThrow(/FUZZ_RUNS/);
  });
});
