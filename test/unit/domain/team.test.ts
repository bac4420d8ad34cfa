import { describe, it, expect } from 'vitest';
import { findTeamForDistrict, validateTeamAreas } from '../../../shared/domain/team.ts';
import type { Team } from '../../../shared/domain/types.ts';

const team = (id: string, areas: string[]): Team => ({
  id,
  name: id,
  areas,
  escalation: { ackTimeoutSeconds: 600, repeat: 1 },
  continuity: 'ignore',
});

describe('findTeamForDistrict', () => {
  const teams = [team('leeds', ['LS1', 'LS2']), team('westminster', ['SW1A', 'W1A'])];

  it('finds the team whose areas hold the district', () => {
    expect(findTeamForDistrict(teams, 'SW1A')?.id).toBe('westminster');
  });

  it('matches regardless of case and spacing', () => {
    expect(findTeamForDistrict(teams, ' ls2 ')?.id).toBe('leeds');
  });

  it('does not match a district by prefix (LS1 is not LS11)', () => {
    expect(findTeamForDistrict(teams, 'LS11')).toBeUndefined();
  });

  it('returns undefined where no team covers the district', () => {
    expect(findTeamForDistrict(teams, 'M1')).toBeUndefined();
  });
});

describe('validateTeamAreas', () => {
  it('normalises districts to upper case and drops repeats', () => {
    expect(validateTeamAreas([' ls1', 'LS2', 'ls1', 'sw1a'])).toEqual({ ok: true, value: ['LS1', 'LS2', 'SW1A'] });
  });

  it('reports each bad area by its index', () => {
    expect(validateTeamAreas(['LS1', 'LS1 4AP', 'leeds'])).toEqual({
      ok: false,
      issues: [
        { path: '1', message: 'must be a postcode district such as LS1 or SW1A' },
        { path: '2', message: 'must be a postcode district such as LS1 or SW1A' },
      ],
    });
  });

  it('requires at least one district', () => {
    expect(validateTeamAreas([])).toEqual({ ok: false, issues: [{ path: '', message: 'must list at least one postcode district' }] });
  });
});
