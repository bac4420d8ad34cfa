/** Which team covers a place: the s13 duty falls on the service where the person is now. */
import { normaliseDistrict } from './postcode.ts';
import type { ValidationIssue, ValidationResult } from './types.ts';

/** Normalises a team's areas (` ls1 ` → `LS1`), dropping repeats; issue paths are indexes into `areas`. */
export function validateTeamAreas(areas: readonly string[]): ValidationResult<string[]> {
  const issues: ValidationIssue[] = [];
  const districts = new Set<string>();
  areas.forEach((area, index) => {
    const district = normaliseDistrict(area);
    if (district) districts.add(district);
    else issues.push({ path: String(index), message: 'must be a postcode district such as LS1 or SW1A' });
  });
  if (areas.length === 0) issues.push({ path: '', message: 'must list at least one postcode district' });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: [...districts] };
}
