/**
 * The Mental Health Act 2025 (Royal Assent 18 December 2025) is commenced in stages by
 * regulations. Two of its changes reach an out-of-hours line, each from a date the regulations
 * set, held as a service setting (`PUT /api/service` `settings`), never in code; until a date is
 * set, or before it, today's law applies:
 * - `nominatedPersonFrom`: the nominated person replaces the nearest relative (MHA 1983 s26 and
 *   s11(3)–(4) as the 2025 Act amends them): the form and pages say "nominated person".
 * - `policeStationPlaceOfSafetyEndsFrom`: a police station stops being a place of safety for adults
 *   too (today only for children, s136A(1); adults as the Mental Health Act 1983 (Places of
 *   Safety) Regulations 2017 reg 2 allows): intake and the legal events refuse it.
 */
import { londonWallClock } from './london-time.ts';

export interface Mha2025Settings {
  /** `YYYY-MM-DD`, a London date: from its start the nominated person replaces the nearest relative. */
  nominatedPersonFrom?: string;
  /** `YYYY-MM-DD`, a London date: from its start no police station is a place of safety, for anyone. */
  policeStationPlaceOfSafetyEndsFrom?: string;
}

const londonToday = (now: Date) => {
  const wall = londonWallClock(now);
  return `${String(wall.year).padStart(4, '0')}-${String(wall.month).padStart(2, '0')}-${String(wall.day).padStart(2, '0')}`;
};

/** Whether a commencement date (a London date) has come: from 00:00 London time on it. */
export const inForce = (from: string | undefined, now: Date): boolean => from !== undefined && londonToday(now) >= from;

export type RelativeRole = 'nearest_relative' | 'nominated_person';

export const relativeRole = (settings: Mha2025Settings | undefined, now: Date): RelativeRole =>
  inForce(settings?.nominatedPersonFrom, now) ? 'nominated_person' : 'nearest_relative';

/**
 * Why a relatives event names a role that is not the person's relative on the date it happened
 * (`at`), or null when it is: the nearest relative (MHA 1983 s26) until the service's
 * `nominatedPersonFrom`, the nominated person (Mental Health Act 2025 s24) from it. One or the
 * other, never both: the 2025 Act replaces the role, it does not add one.
 */
export function relativeRoleRefusal(role: RelativeRole, settings: Mha2025Settings | undefined, at: Date): string | null {
  const applies = relativeRole(settings, at);
  if (role === applies) return null;
  const from = settings?.nominatedPersonFrom;
  return applies === 'nominated_person'
    ? `cannot be nearest_relative on this date: from ${from} the nominated person replaces the nearest relative (Mental Health Act 2025 s24): record the nominated person`
    : `cannot be nominated_person on this date: the nearest relative (MHA 1983 s26) is consulted until the nominated person replaces them (Mental Health Act 2025 s24), ${
        from ? `from ${from}` : 'on a date this service has not yet set'
      }: record the nearest relative`;
}

export const relativeWords: Record<RelativeRole, { name: string; capitalised: string }> = {
  nearest_relative: { name: 'nearest relative', capitalised: 'Nearest relative' },
  nominated_person: { name: 'nominated person', capitalised: 'Nominated person' },
};

/**
 * Why a police station cannot be the place of safety from the set date, or null while the 2017
 * Regulations still allow it for an adult (a child never: s136A(1), checked apart).
 */
export function policeStationRefusal(settings: Mha2025Settings | undefined, now: Date): string | null {
  const from = settings?.policeStationPlaceOfSafetyEndsFrom;
  if (!inForce(from, now)) return null;
  return `a police station is not a place of safety for anyone from ${from} (Mental Health Act 2025): take the person to a health-based place of safety`;
}
