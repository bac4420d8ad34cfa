/**
 * Cases per fuzzed endpoint or handler (`FUZZ_RUNS`): whatever the variable says, else 10,000 in CI
 * (`CI=true`, as .ci/run sets) and 1,000 on a developer's machine, where the full count takes minutes.
 */
export function fuzzRuns(env: NodeJS.ProcessEnv = process.env): number {
  if (env.FUZZ_RUNS !== undefined && env.FUZZ_RUNS !== '') {
    const runs = Number(env.FUZZ_RUNS);
    if (!Number.isInteger(runs) || runs < 1) throw new Error(`FUZZ_RUNS must be a whole number of at least 1, not ${JSON.stringify(env.FUZZ_RUNS)}`);
    return runs;
  }
  return env.CI === 'true' ? 10_000 : 1_000;
}
