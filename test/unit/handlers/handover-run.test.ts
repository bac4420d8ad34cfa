import { describe, expect, it, vi } from 'vitest';
import { runHandover } from '../../../shared/app/handover.ts';
import type { Dependencies } from '../../../shared/ports.ts';

/** A run at 08:50 on a Thursday, for two teams, the first of whose referrals cannot be read. */
function depsWithOneFailingTeam() {
  const openReferrals = vi.fn(async (teamId: string | null) => {
    if (teamId === 'hull-edt') throw Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' });
    return [];
  });
  const error = vi.fn();
  const deps = {
    clock: { now: () => new Date('2026-12-03T08:50:00Z') },
    directory: { listTeams: async () => [{ id: 'hull-edt', name: 'Hull EDT' }, { id: 'york-edt', name: 'York EDT' }] },
    referrals: { openReferrals },
    log: { error, warn: vi.fn(), info: vi.fn() },
  } as unknown as Dependencies;
  return { deps, openReferrals, error };
}

describe('the handover run', () => {
  it("goes on to the other teams when one team's read fails, then fails itself, naming the team", async () => {
    const { deps, openReferrals, error } = depsWithOneFailingTeam();
    await expect(runHandover(deps)).rejects.toThrow('the handover failed for 1 team(s): hull-edt');
    // Then the referrals no team holds (null), whose list is made whatever became of the teams'.
    expect(openReferrals.mock.calls.map(([teamId]) => teamId)).toEqual(['hull-edt', 'york-edt', null]);
    expect(error).toHaveBeenCalledWith('handover run failed for a team', { teamId: 'hull-edt', error: 'ProvisionedThroughputExceededException' });
  });
});
