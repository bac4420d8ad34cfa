import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { localApi, localToken } from '../support/local-api.ts';
import { WebClient } from './web-client.ts';

/**
 * The Mental Health Act 2025's changes on the emulators, from the dates the service sets
 * (`PUT /api/service` `settings`): before them today's law, from them a police station is refused
 * as a place of safety (at intake and as a reported arrival), the form names the nominated person
 * and a relative consulted is recorded by the role that applies on its date.
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

  it('records a relative consulted by the role that applies on its date, refusing the other with 400 naming role', async () => {
    const admin = await localToken(runtime.url, 'admin');
    const police = await localToken(runtime.url, 'police');
    const atHealthBasedPlace = { ...adultAtPoliceStation(), legal: { status: 's136', placeOfSafety: { kind: 'health_based', arrivedAt: new Date(Date.now() - HOUR).toISOString() } } };
    const made = await api('POST', '/api/referrals', police, atHealthBasedPlace);
    expect(made.status).toBe(202);
    const { id, reference } = made.body as { id: string; reference: string };
    const page = await runtime.outbox.waitFor((sms) => sms.direction === 'outbound' && sms.body.includes(reference) && sms.body.includes('Reply 1'), 15_000);
    const amhp = await localToken(runtime.url, (await runtime.deps.directory.staffByPhone(page.phone))?.id ?? '');
    expect((await api('POST', `/api/referrals/${id}/accept`, amhp)).status).toBe(200);
    const consulted = (role: string) => api('POST', `/api/referrals/${id}/events`, amhp, { type: 'relative_consulted', role, action: 'consulted' });
    const recorded = async () => ((await runtime.deps.referrals.get(id))?.timeline ?? []).filter((e) => e.type === 'relative_consulted').map((e) => e.role);

    // No date set: the nearest relative (MHA 1983 s26).
    const early = await consulted('nominated_person');
    expect(early.status).toBe(400);
    expect(early.body.issues).toEqual([{ path: 'role', message: expect.stringContaining('not yet set') }]);
    expect((await consulted('nearest_relative')).status).toBe(200);

    expect((await api('PUT', '/api/service', admin, { settings: { nominatedPersonFrom: today() } })).status).toBe(200);
    try {
      const late = await consulted('nearest_relative');
      expect(late.status).toBe(400);
      expect(late.body.issues).toEqual([{ path: 'role', message: expect.stringContaining(`from ${today()} the nominated person replaces the nearest relative`) }]);
      expect((await consulted('nominated_person')).status).toBe(200);
      expect(await recorded()).toEqual(['nearest_relative', 'nominated_person']);
    } finally {
      await api('PUT', '/api/service', admin, { settings: { nominatedPersonFrom: null } });
    }
  }, 60_000);
});
