import { describe, expect, it } from 'vitest';
import { buildChain } from '../../../shared/domain/escalation.ts';
import { matchOnDuty, withConflict, type MatchInput } from '../../../shared/domain/matching.ts';
import type { Team } from '../../../shared/domain/types.ts';

const night: MatchInput['onDuty'] = [
  { position: 'primary', staffId: 'amy' },
  { position: 'secondary', staffId: 'ben' },
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
const order = (overrides: Partial<MatchInput> = {}) => matchOnDuty(input(overrides)).steps.map((s) => s.staffId);

describe('matchOnDuty', () => {
  it('pages primary, secondary, then the manager, each for holding the position', () => {
    expect(matchOnDuty(input())).toEqual({
      steps: [
        { position: 'primary', staffId: 'amy', reason: 'position' },
        { position: 'secondary', staffId: 'ben', reason: 'position' },
        { position: 'manager', staffId: 'mo', reason: 'position' },
      ],
      skipped: [],
      managerStaffId: 'mo',
      rotated: [],
    });
  });

  it('keeps an empty position as a step nobody holds, so the timeline says "no one on duty"', () => {
    const match = matchOnDuty(input({ onDuty: [{ position: 'secondary', staffId: 'ben' }] }));
    expect(match.steps).toEqual([
      { position: 'primary', staffId: null, reason: 'no_one_on_duty' },
      { position: 'secondary', staffId: 'ben', reason: 'position' },
      { position: 'manager', staffId: null, reason: 'no_one_on_duty' },
    ]);
    expect(match.managerStaffId).toBeNull();
  });

  describe('conflicts', () => {
    it('skips an AMHP with a declared conflict for this referral, and records why', () => {
      const match = matchOnDuty(input({ conflicts: ['amy'] }));
      expect(match.steps.map((s) => s.staffId)).toEqual(['ben', 'mo']);
      expect(match.skipped).toEqual([{ position: 'primary', staffId: 'amy', reason: 'conflict' }]);
    });

    it('skips a conflicted AMHP even when everyone else is busy', () => {
      expect(order({ conflicts: ['amy'], busy: new Set(['ben']) })).toEqual(['ben', 'mo']);
    });

    it('keeps a conflicted manager out of the steps but still tells them when the chain is exhausted', () => {
      const match = matchOnDuty(input({ conflicts: ['mo'] }));
      expect(match.steps.map((s) => s.staffId)).toEqual(['amy', 'ben']);
      expect(match.managerStaffId).toBe('mo');
    });

    it('adds a declared conflict once', () => {
      expect(withConflict(withConflict(undefined, 'amy'), 'amy')).toEqual(['amy']);
    });
  });

  describe('workload', () => {
    it('skips a busy AMHP while a free one is on duty, and records why', () => {
      const match = matchOnDuty(input({ busy: new Set(['amy']) }));
      expect(match.steps.map((s) => s.staffId)).toEqual(['ben', 'mo']);
      expect(match.skipped).toEqual([{ position: 'primary', staffId: 'amy', reason: 'busy' }]);
    });

    it('pages the busy AMHPs after all when every AMHP on duty is busy', () => {
      const match = matchOnDuty(input({ busy: new Set(['amy', 'ben']) }));
      expect(match.steps).toEqual([
        { position: 'primary', staffId: 'amy', reason: 'all_busy' },
        { position: 'secondary', staffId: 'ben', reason: 'all_busy' },
        { position: 'manager', staffId: 'mo', reason: 'position' },
      ]);
      expect(match.skipped).toEqual([]);
    });

    it('never skips the manager for being busy', () => {
      expect(order({ busy: new Set(['mo']) })).toEqual(['amy', 'ben', 'mo']);
    });
  });

  describe('continuity', () => {
    const careOf = (continuity: MatchInput['continuity']) => matchOnDuty(input({ continuity, careCoordinatorStaffId: 'ben' })).steps;

    it('prefer: pages the care co-ordinator first', () => {
      expect(careOf('prefer').map((s) => [s.staffId, s.reason])).toEqual([
        ['ben', 'continuity_preferred'],
        ['amy', 'position'],
        ['mo', 'position'],
      ]);
    });

    it('avoid: pages the care co-ordinator last among the AMHPs, before the manager', () => {
      const additional = [...night, { position: 'additional' as const, staffId: 'cat' }];
      const steps = matchOnDuty(input({ continuity: 'avoid', careCoordinatorStaffId: 'amy', onDuty: additional })).steps;
      expect(steps.map((s) => [s.staffId, s.reason])).toEqual([
        ['ben', 'position'],
        ['cat', 'position'],
        ['amy', 'continuity_avoided'],
        ['mo', 'position'],
      ]);
    });

    it('ignore: keeps position order', () => {
      expect(careOf('ignore').map((s) => s.staffId)).toEqual(['amy', 'ben', 'mo']);
    });

    it('does nothing when the care co-ordinator is not on duty', () => {
      expect(order({ continuity: 'prefer', careCoordinatorStaffId: 'zed' })).toEqual(['amy', 'ben', 'mo']);
    });

    it('lets a busy skip win over preferring the care co-ordinator', () => {
      expect(order({ continuity: 'prefer', careCoordinatorStaffId: 'ben', busy: new Set(['ben']) })).toEqual(['amy', 'mo']);
    });
  });

  describe('fair rotation among equal candidates', () => {
    const extras = [...night, ...['cat', 'dan', 'eve'].map((staffId) => ({ position: 'additional' as const, staffId }))];

    it('puts the additional AMHP least recently put first at the front of them, and reports who that was', () => {
      const match = matchOnDuty(input({ onDuty: extras, lastChosenAt: { cat: '2026-11-24T02:00:00Z', dan: '2026-11-23T02:00:00Z' } }));
      expect(match.steps.map((s) => s.staffId)).toEqual(['amy', 'ben', 'eve', 'dan', 'cat', 'mo']);
      expect(match.steps.slice(2, 5).map((s) => s.reason)).toEqual(['rotation', 'rotation', 'rotation']);
      expect(match.rotated).toEqual(['eve']);
    });

    it('spreads referral after referral evenly when the rotation is recorded', () => {
      let lastChosenAt: Record<string, string> = {};
      const firsts: string[] = [];
      for (let n = 0; n < 6; n++) {
        const match = matchOnDuty(input({ onDuty: extras, lastChosenAt }));
        firsts.push(match.steps[2]?.staffId ?? '');
        lastChosenAt = { ...lastChosenAt, ...Object.fromEntries(match.rotated.map((id) => [id, new Date(Date.UTC(2026, 0, 1, n)).toISOString()])) };
      }
      expect(firsts).toEqual(['cat', 'dan', 'eve', 'cat', 'dan', 'eve']);
    });
  });

  it('lists a person holding two positions once, and records the repeat', () => {
    const match = matchOnDuty(input({ onDuty: [...night, { position: 'additional', staffId: 'amy' }] }));
    expect(match.steps.map((s) => s.staffId)).toEqual(['amy', 'ben', 'mo']);
    expect(match.skipped).toEqual([{ position: 'additional', staffId: 'amy', reason: 'already_in_chain' }]);
  });
});

describe('buildChain from a match', () => {
  const team: Team = {
    id: 'leeds',
    name: 'Leeds EDT',
    areas: ['LS1'],
    escalation: { ackTimeoutSeconds: 600, repeat: 1 },
    continuity: 'prefer',
    fallbackPhone: '+441134960000',
  };

  it('keeps the steps in the escalation shape, with the reason for each and every skip beside them', () => {
    const chain = buildChain(team, matchOnDuty(input({ continuity: 'prefer', careCoordinatorStaffId: 'ben', conflicts: ['zed'], busy: new Set() })));
    expect(chain).toEqual({
      steps: [
        { position: 'secondary', staffId: 'ben' },
        { position: 'primary', staffId: 'amy' },
        { position: 'manager', staffId: 'mo' },
      ],
      reasons: ['continuity_preferred', 'position', 'position'],
      skipped: [],
      ackTimeoutSeconds: 600,
      repeat: 1,
      managerStaffId: 'mo',
      fallbackPhone: '+441134960000',
    });
  });
});

describe('a person under 18', () => {
  const extras = [...night, ...['cat', 'dan', 'eve'].map((staffId) => ({ position: 'additional' as const, staffId }))];
  const lastChosenAt = { cat: '2026-11-20T00:00:00Z', dan: '2026-11-21T00:00:00Z', eve: '2026-11-22T00:00:00Z' };

  it("puts a free AMHP with children's services experience first among the equally placed additional AMHPs", () => {
    const match = matchOnDuty(input({ onDuty: extras, lastChosenAt, under18: true, childrenServices: new Set(['eve']) }));
    expect(match.steps.map((s) => s.staffId)).toEqual(['amy', 'ben', 'eve', 'cat', 'dan', 'mo']);
    expect(match.steps[2]).toMatchObject({ staffId: 'eve', reason: 'children_services_preferred' });
    expect(match.rotated).toEqual(['eve']);
  });

  it('keeps the rotation among several experienced AMHPs', () => {
    expect(order({ onDuty: extras, lastChosenAt, under18: true, childrenServices: new Set(['dan', 'eve']) })).toEqual(['amy', 'ben', 'dan', 'eve', 'cat', 'mo']);
  });

  it('does not move the primary or secondary: their order is the team\u2019s, not equally placed', () => {
    expect(order({ under18: true, childrenServices: new Set(['ben']) })).toEqual(['amy', 'ben', 'mo']);
  });

  it('does not prefer an experienced AMHP who is busy over a free one', () => {
    expect(order({ onDuty: extras, lastChosenAt, under18: true, childrenServices: new Set(['eve']), busy: new Set(['eve']) })).toEqual(['amy', 'ben', 'cat', 'dan', 'mo']);
  });

  it('changes nothing for an adult', () => {
    expect(order({ onDuty: extras, lastChosenAt, under18: false, childrenServices: new Set(['eve']) })).toEqual(['amy', 'ben', 'cat', 'dan', 'eve', 'mo']);
  });
});
