import { describe, expect, it } from 'vitest';
import { buildChain } from '../../../shared/domain/escalation.ts';
import { matchPolicy, type MatchInput } from '../../../shared/domain/matching.ts';
import type { EscalationPolicyStep, Team } from '../../../shared/domain/types.ts';

/** Position steps of a team's policy resolve through matching at routing time; named steps page that person. */

const night: MatchInput['onDuty'] = [
  { position: 'primary', staffId: 'amy' },
  { position: 'secondary', staffId: 'ben' },
  { position: 'additional', staffId: 'cat' },
  { position: 'manager', staffId: 'mo' },
];
const input = (overrides: Partial<MatchInput> = {}): MatchInput => ({
  continuity: 'ignore',
  onDuty: night,
  conflicts: [],
  busy: new Set(),
  lastChosenAt: {},
  ...overrides,
});
const order = (policy: EscalationPolicyStep[], overrides: Partial<MatchInput> = {}) =>
  matchPolicy(input(overrides), policy).steps.map((s) => `${s.position}:${s.staffId ?? '-'}`);

describe('matchPolicy', () => {
  it('orders the chain by the policy’s steps, with each step’s delay and why each person is there', () => {
    const match = matchPolicy(input(), [{ position: 'secondary', delaySeconds: 120 }, { staffId: 'sue' }, { position: 'primary' }, { fallbackPhone: true, delaySeconds: 60 }]);
    expect(match.steps).toEqual([
      { position: 'secondary', staffId: 'ben', reason: 'position', delaySeconds: 120 },
      { position: 'named', staffId: 'sue', reason: 'named' },
      { position: 'primary', staffId: 'amy', reason: 'position' },
      { position: 'fallback_phone', staffId: null, reason: 'fallback_phone', delaySeconds: 60 },
    ]);
    expect(match.skipped).toEqual([]);
  });

  it('still tells the manager on duty when the chain is exhausted, though the policy does not page them', () => {
    expect(matchPolicy(input(), [{ position: 'primary' }]).managerStaffId).toBe('mo');
  });

  it('keeps a position nobody holds as a step, so the timeline says "no one on duty"', () => {
    expect(order([{ position: 'primary' }, { position: 'additional' }], { onDuty: [{ position: 'secondary', staffId: 'ben' }] })).toEqual([
      'primary:-',
      'additional:-',
    ]);
  });

  it('pages every additional AMHP at an additional step, fairly rotated', () => {
    const onDuty = [...night, { position: 'additional' as const, staffId: 'dan' }];
    const match = matchPolicy(input({ onDuty, lastChosenAt: { cat: '2026-11-01T00:00:00Z' } }), [{ position: 'additional', delaySeconds: 90 }]);
    expect(match.steps.map((s) => [s.staffId, s.delaySeconds])).toEqual([
      ['dan', 90],
      ['cat', 90],
    ]);
    expect(match.rotated).toEqual(['dan']);
  });

  describe('busy AMHPs', () => {
    it('skips a busy AMHP while a free one the policy pages is on duty', () => {
      const match = matchPolicy(input({ busy: new Set(['amy']) }), [{ position: 'primary' }, { position: 'secondary' }]);
      expect(match.steps.map((s) => s.staffId)).toEqual(['ben']);
      expect(match.skipped).toEqual([{ position: 'primary', staffId: 'amy', reason: 'busy' }]);
    });

    it('pages the busy AMHP after all when the only free one is in a position the policy does not page', () => {
      expect(order([{ position: 'primary' }, { position: 'manager' }], { busy: new Set(['amy']) })).toEqual(['primary:amy', 'manager:mo']);
    });

    it('pages a named person even when busy: the policy names them whatever the rota says', () => {
      expect(order([{ position: 'secondary' }, { staffId: 'amy' }], { busy: new Set(['amy']) })).toEqual(['secondary:ben', 'named:amy']);
    });
  });

  describe('continuity', () => {
    it('moves a preferred care co-ordinator to the front of the first AMHP step', () => {
      expect(order([{ position: 'primary', delaySeconds: 60 }, { position: 'secondary' }, { position: 'manager' }], { continuity: 'prefer', careCoordinatorStaffId: 'ben' })).toEqual([
        'secondary:ben',
        'primary:amy',
        'manager:mo',
      ]);
      const [first] = matchPolicy(input({ continuity: 'prefer', careCoordinatorStaffId: 'ben' }), [{ position: 'primary', delaySeconds: 60 }, { position: 'secondary' }]).steps;
      expect(first).toEqual({ position: 'secondary', staffId: 'ben', reason: 'continuity_preferred', delaySeconds: 60 });
    });

    it('moves an avoided care co-ordinator to the back of the last AMHP step', () => {
      expect(order([{ position: 'primary' }, { position: 'secondary' }, { position: 'manager' }], { continuity: 'avoid', careCoordinatorStaffId: 'amy' })).toEqual([
        'secondary:ben',
        'primary:amy',
        'manager:mo',
      ]);
    });

    it('leaves out a care co-ordinator in a position the policy does not page', () => {
      expect(order([{ position: 'primary' }, { position: 'manager' }], { continuity: 'prefer', careCoordinatorStaffId: 'cat' })).toEqual(['primary:amy', 'manager:mo']);
    });
  });

  describe('named people', () => {
    it('skips a named person who declared a conflict, and records why', () => {
      const match = matchPolicy(input({ conflicts: ['sue'] }), [{ staffId: 'sue' }, { position: 'primary' }]);
      expect(match.steps.map((s) => s.staffId)).toEqual(['amy']);
      expect(match.skipped).toEqual([{ position: 'named', staffId: 'sue', reason: 'conflict' }]);
    });

    it('skips a named person who has left the directory or the team, and records why', () => {
      const match = matchPolicy(input(), [{ staffId: 'gone' }, { staffId: 'moved' }, { position: 'primary' }], { gone: 'unknown_staff', moved: 'not_in_team' });
      expect(match.steps.map((s) => s.staffId)).toEqual(['amy']);
      expect(match.skipped).toEqual([
        { position: 'named', staffId: 'gone', reason: 'unknown_staff' },
        { position: 'named', staffId: 'moved', reason: 'not_in_team' },
      ]);
    });

    it('pages someone once per round when a named step and a position step reach the same person', () => {
      const match = matchPolicy(input(), [{ staffId: 'amy' }, { position: 'primary' }, { position: 'secondary' }]);
      expect(match.steps.map((s) => `${s.position}:${s.staffId}`)).toEqual(['named:amy', 'secondary:ben']);
      expect(match.skipped).toEqual([{ position: 'primary', staffId: 'amy', reason: 'already_in_chain' }]);
    });
  });

  it('makes the chain the router stores, reasons and skips included', () => {
    const team: Team = { id: 't', name: 'T', areas: ['LS1'], continuity: 'ignore', escalation: { ackTimeoutSeconds: 300, repeat: 1, repageOnce: true, steps: [] } };
    const chain = buildChain(team, matchPolicy(input({ conflicts: ['amy'] }), [{ position: 'primary' }, { staffId: 'sue', delaySeconds: 45 }]));
    expect(chain).toEqual({
      steps: [{ position: 'named', staffId: 'sue', delaySeconds: 45 }],
      reasons: ['named'],
      skipped: [{ position: 'primary', staffId: 'amy', reason: 'conflict' }],
      ackTimeoutSeconds: 300,
      repeat: 1,
      repageOnce: true,
      managerStaffId: 'mo',
      fallbackPhone: null,
    });
  });
});
