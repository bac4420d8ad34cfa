import { describe, expect, it } from 'vitest';
import { putTeam } from '../../../shared/app/directory-admin.ts';
import { validateTeam } from '../../../shared/domain/admin-schemas.ts';
import type { Staff, Team } from '../../../shared/domain/types.ts';
import type { Dependencies } from '../../../shared/ports.ts';

/** `PUT /api/teams/{teamId}`: the `escalation` policy, extended additively with steps and repageOnce. */

const body = (escalation: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  name: 'Leeds EDT',
  areas: ['LS1'],
  escalation: { ackTimeoutSeconds: 600, repeat: 1, ...escalation },
  continuity: 'ignore',
  fallbackPhone: '0113 496 0000',
  ...extra,
});
const issues = (input: unknown) => {
  const result = validateTeam('leeds', input);
  return result.ok ? [] : result.issues;
};

describe('a team escalation policy, validated', () => {
  it('takes the policy of contract v1 unchanged', () => {
    const result = validateTeam('leeds', body({}));
    expect(result.ok && result.value.escalation).toEqual({ ackTimeoutSeconds: 600, repeat: 1 });
  });

  it('takes callAfterSeconds (seconds, or null for no voice calls) and says what a bad one must be', () => {
    for (const callAfterSeconds of [120, null]) {
      const result = validateTeam('leeds', body({ callAfterSeconds }));
      expect(result.ok && result.value.escalation.callAfterSeconds).toBe(callAfterSeconds);
    }
    for (const callAfterSeconds of [0, 1.5, 3_601, '120']) {
      expect(issues(body({ callAfterSeconds }))).toEqual([expect.objectContaining({ path: 'escalation.callAfterSeconds' })]);
    }
    expect(issues(body({ callAfterSeconds: 0 }))[0]?.message).toBe('must be a whole number of seconds from 1 to 3600, or null for no call');
  });

  it('takes ordered steps of positions, named people and the fallback phone, each with an optional delay, and repageOnce', () => {
    const steps = [{ position: 'primary', delaySeconds: 300 }, { staffId: 'amhp-sue' }, { fallbackPhone: true, delaySeconds: 60 }, { position: 'manager' }];
    const result = validateTeam('leeds', body({ steps, repageOnce: true }));
    expect(result.ok && result.value.escalation).toEqual({ ackTimeoutSeconds: 600, repeat: 1, steps, repageOnce: true });
  });

  it.each([
    [{ steps: [{ position: 'deputy' }] }, 'escalation.steps.0.position', /must be one of primary, secondary, manager, additional/],
    [{ steps: [{ position: 'primary', staffId: 'amhp-sue' }] }, 'escalation.steps.0', /exactly one of position, staffId or fallbackPhone/],
    [{ steps: [{ delaySeconds: 60 }] }, 'escalation.steps.0', /exactly one of position, staffId or fallbackPhone/],
    [{ steps: [{ fallbackPhone: false }] }, 'escalation.steps.0.fallbackPhone', /must be true/],
    [{ steps: [{ staffId: 'sue smith' }] }, 'escalation.steps.0.staffId', /must be a staff id/],
    [{ steps: [{ position: 'primary', delaySeconds: 0 }] }, 'escalation.steps.0.delaySeconds', /whole number of seconds from 1 to 86400/],
    [{ steps: [{ position: 'primary', delaySeconds: 1.5 }] }, 'escalation.steps.0.delaySeconds', /whole number of seconds/],
    [{ steps: [{ position: 'primary', pager: true }] }, 'escalation.steps.0', /pager/],
    [{ steps: [] }, 'escalation.steps', /at least one step/],
    [{ steps: [{ position: 'primary' }, { position: 'primary' }] }, 'escalation.steps.1.position', /already an earlier step; use repageOnce/],
    [{ steps: [{ staffId: 'a' }, { position: 'primary' }, { staffId: 'a' }] }, 'escalation.steps.2.staffId', /already an earlier step/],
    [{ steps: [{ fallbackPhone: true }, { fallbackPhone: true }] }, 'escalation.steps.1.fallbackPhone', /already an earlier step/],
    [{ repageOnce: 'yes' }, 'escalation.repageOnce', /boolean/],
  ])('refuses %j, naming %s', (escalation, path, message) => {
    const found = issues(body(escalation));
    expect(found).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it('refuses a fallback-phone step for a team with no fallback phone', () => {
    const { fallbackPhone: _, ...noPhone } = body({ steps: [{ position: 'primary' }, { fallbackPhone: true }] });
    expect(issues(noPhone)).toEqual([{ path: 'escalation.steps.1.fallbackPhone', message: 'needs the team fallbackPhone to be given' }]);
  });
});

describe('putTeam with named people in its policy', () => {
  const staff: Record<string, Staff> = {
    'amhp-sue': { id: 'amhp-sue', name: 'Sue', phone: '+447700900111', teamIds: ['leeds'], roles: ['amhp'] },
    'amhp-yan': { id: 'amhp-yan', name: 'Yan', phone: '+447700900112', teamIds: ['york'], roles: ['amhp'] },
  };
  const stored: Team[] = [];
  const deps = {
    directory: {
      getStaff: async (id: string) => staff[id] ?? null,
      putTeam: async (team: Team) => void stored.push(team),
    },
  } as unknown as Dependencies;

  it('stores a policy naming staff of the team', async () => {
    const result = await putTeam(deps, 'leeds', body({ steps: [{ staffId: 'amhp-sue' }, { position: 'manager' }] }));
    expect(result.ok).toBe(true);
    expect(stored.at(-1)?.escalation.steps).toEqual([{ staffId: 'amhp-sue' }, { position: 'manager' }]);
  });

  it('refuses, and stores nothing, when a named person is unknown or of another team', async () => {
    const before = stored.length;
    const result = await putTeam(deps, 'leeds', body({ steps: [{ position: 'primary' }, { staffId: 'amhp-zed' }, { staffId: 'amhp-yan' }] }));
    expect(result).toEqual({
      ok: false,
      issues: [
        { path: 'escalation.steps.1.staffId', message: 'is not a known staff member' },
        { path: 'escalation.steps.2.staffId', message: 'is not a member of this team' },
      ],
    });
    expect(stored).toHaveLength(before);
  });
});
