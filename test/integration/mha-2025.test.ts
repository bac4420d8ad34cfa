import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { localApi, localToken } from '../support/local-api.ts';
import { WebClient } from './web-client.ts';

/**
 * The Mental Health Act 2025's changes on the emulators, from the dates the service sets
 * (`PUT /api/service` `settings`): before them today's law, from them a police station is refused
 * as a place of safety (at intake and as a reported arrival) and the form names the nominated person.
 */
let runtime: LocalRuntime;
const api = localApi(() => runtime.url);
const HOUR = 3_600_000;
const today = () => new Date().toISOString().slice(0, 10);
const tomorrow = () => new Date(Date.now() + 48 * HOUR).toISOString().slice(0, 10);

const adultAtPoliceStation = () => ({
  referrer: { name: 'PC Sam Hill', kind: 'police', organisation: 'West Yorkshire Police', phone: '07700 900202', policeForce: 'West Yorkshire Police', collarNumber: 'WY1234' },
  subject: { givenName: 'Settings', familyName: 'Subject', dateOfBirth: '1980-01-01', nhsNumberUnknownReason: 'not known', currentLocation: { kind: 'police_station', postcode: 'LS1 4AP' } },
  legal: { status: 's136', placeOfSafety: { kind: 'police_station', arrivedAt: new Date(Date.now() - HOUR).toISOString(), policeStationAuthorisedBy: 'Inspector J. Patel' } },
  reason: 'MHA 2025 settings test',
  risks: [],
  urgency: 'immediate',
});

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, seed: true });
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
});

describe('Mental Health Act 2025 commencement settings', () => {
  it('refuses an adult at a police station from policeStationPlaceOfSafetyEndsFrom, storing nothing, and takes them the day before', async () => {
    const admin = await localToken(runtime.url, 'admin');
    const police = await localToken(runtime.url, 'police');
    expect((await api('PUT', '/api/service', admin, { settings: { policeStationPlaceOfSafetyEndsFrom: tomorrow() } })).status).toBe(200);
    expect((await api('POST', '/api/referrals', police, adultAtPoliceStation())).status).toBe(202);

    const set = await api('PUT', '/api/service', admin, { settings: { policeStationPlaceOfSafetyEndsFrom: today() } });
    expect(set.body.settings).toEqual({ policeStationPlaceOfSafetyEndsFrom: today() });
    const before = (await runtime.deps.referrals.openReferrals(null)).length + (await runtime.deps.referrals.openReferrals('leeds-edt')).length;
    const refused = await api('POST', '/api/referrals', police, adultAtPoliceStation());
    expect(refused.status).toBe(400);
    expect(refused.body.issues).toEqual([{ path: 'legal.placeOfSafety.kind', message: expect.stringContaining('not a place of safety for anyone') }]);
    expect((await runtime.deps.referrals.openReferrals(null)).length + (await runtime.deps.referrals.openReferrals('leeds-edt')).length).toBe(before);

    // A referral made en route cannot report arriving at one either.
    const enRoute = { ...adultAtPoliceStation(), legal: { status: 's136' } };
    const made = await api('POST', '/api/referrals', police, enRoute);
    expect(made.status).toBe(202);
    const arrival = await api('POST', `/api/referrals/${String(made.body.id)}/events`, police, { type: 'arrived_at_place_of_safety', placeKind: 'police_station', postcode: 'LS1 4AP', policeStationAuthorisedBy: 'Inspector J. Patel' });
    expect(arrival.status).toBe(400);
    expect(arrival.body.issues).toEqual([{ path: 'placeKind', message: expect.stringContaining('health-based place of safety') }]);

    // Unset: today's law again.
    expect((await api('PUT', '/api/service', admin, { settings: { policeStationPlaceOfSafetyEndsFrom: null } })).body.settings).toBeUndefined();
    expect((await api('POST', '/api/referrals', police, adultAtPoliceStation())).status).toBe(202);
  }, 60_000);

  it('names the nominated person on the form instead of the nearest relative from nominatedPersonFrom', async () => {
    const admin = await localToken(runtime.url, 'admin');
    const browser = new WebClient(runtime.url);
    await browser.signIn('gp');
    expect((await browser.get('/referrals/new')).html).toContain('Nearest relative (optional)');
    expect((await api('PUT', '/api/service', admin, { settings: { nominatedPersonFrom: today() } })).status).toBe(200);
    const form = await browser.get('/referrals/new');
    expect(form.html).toContain('Nominated person (optional)');
    expect(form.html).not.toContain('Nearest relative (optional)');
    await api('PUT', '/api/service', admin, { settings: { nominatedPersonFrom: null } });
  }, 60_000);
});
