import { describe, it, expect } from 'vitest';
import { validateTeamAreas } from '../../../shared/domain/team.ts';
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
