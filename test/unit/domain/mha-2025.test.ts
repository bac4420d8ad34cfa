import { describe, expect, it } from 'vitest';
import { serviceSettingsSchema } from '../../../shared/domain/admin-schemas.ts';
import { inForce, policeStationRefusal, relativeRole, relativeRoleRefusal } from '../../../shared/domain/mha-2025.ts';

/** The Mental Health Act 2025's changes apply from the dates the service sets, and only then. */
describe('Mental Health Act 2025 commencement settings', () => {
  it('applies today’s law while no date is set', () => {
    expect(relativeRole(undefined, new Date('2027-06-01T12:00:00Z'))).toBe('nearest_relative');
    expect(policeStationRefusal({}, new Date('2027-06-01T12:00:00Z'))).toBeNull();
  });

  it('comes into force at 00:00 London time on the date set, BST or GMT', () => {
    // 23:30 UTC on 31 May is 00:30 BST on 1 June.
    expect(inForce('2027-06-01', new Date('2027-05-31T23:30:00Z'))).toBe(true);
    expect(inForce('2027-06-01', new Date('2027-05-31T22:59:59Z'))).toBe(false);
    expect(inForce('2027-12-01', new Date('2027-11-30T23:59:59Z'))).toBe(false);
    expect(inForce('2027-12-01', new Date('2027-12-01T00:00:00Z'))).toBe(true);
  });

  it('names the nominated person instead of the nearest relative from nominatedPersonFrom', () => {
    const settings = { nominatedPersonFrom: '2027-06-01' };
    expect(relativeRole(settings, new Date('2027-05-20T12:00:00Z'))).toBe('nearest_relative');
    expect(relativeRole(settings, new Date('2027-06-02T12:00:00Z'))).toBe('nominated_person');
  });

  it('accepts a relative by the role the Acts give the person on the day it happened, and refuses the other, saying why', () => {
    const settings = { nominatedPersonFrom: '2027-06-01' };
    const before = new Date('2027-05-31T22:30:00Z'); // 23:30 BST on 31 May
    const after = new Date('2027-05-31T23:30:00Z'); // 00:30 BST on 1 June
    expect(relativeRoleRefusal('nearest_relative', settings, before)).toBeNull();
    expect(relativeRoleRefusal('nominated_person', settings, before)).toMatch(/nearest relative \(MHA 1983 s26\).*Mental Health Act 2025 s24\), from 2027-06-01: record the nearest relative/);
    expect(relativeRoleRefusal('nominated_person', settings, after)).toBeNull();
    expect(relativeRoleRefusal('nearest_relative', settings, after)).toMatch(/from 2027-06-01 the nominated person replaces the nearest relative \(Mental Health Act 2025 s24\)/);
    // No date set: today's law, the nearest relative.
    expect(relativeRoleRefusal('nearest_relative', {}, after)).toBeNull();
    expect(relativeRoleRefusal('nominated_person', undefined, after)).toMatch(/on a date this service has not yet set/);
  });

  it('refuses a police station as a place of safety for anyone from policeStationPlaceOfSafetyEndsFrom, saying where to go', () => {
    const settings = { policeStationPlaceOfSafetyEndsFrom: '2028-01-01' };
    expect(policeStationRefusal(settings, new Date('2027-12-31T12:00:00Z'))).toBeNull();
    expect(policeStationRefusal(settings, new Date('2028-01-01T00:00:00Z'))).toMatch(/not a place of safety for anyone from 2028-01-01.*health-based place of safety/);
  });

  it('takes the dates as YYYY-MM-DD days that exist, or null to unset one', () => {
    expect(serviceSettingsSchema.safeParse({ settings: { nominatedPersonFrom: '2027-06-01', policeStationPlaceOfSafetyEndsFrom: null } }).success).toBe(true);
    const bad = serviceSettingsSchema.safeParse({ settings: { nominatedPersonFrom: '2027-02-30', policeStationPlaceOfSafetyEndsFrom: '1 June 2027' } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['settings.nominatedPersonFrom', 'is not a date in the calendar'],
      ['settings.policeStationPlaceOfSafetyEndsFrom', 'must be a date written YYYY-MM-DD'],
    ]);
    expect(serviceSettingsSchema.safeParse({ settings: { somethingElse: '2027-06-01' } }).success).toBe(false);
  });
});
