import { putRota, putServiceSettings, putStaff, putTeam } from '../../shared/app/directory-admin.ts';
import type { Dependencies } from '../../shared/ports.ts';
import type { LocalIdentityProvider } from './identity.ts';

export const DEMO_TEAM_ID = 'leeds-edt';

export const demoStaff = [
  { id: 'amhp-asha', name: 'Asha Patel', phone: '+447700900101', roles: ['amhp'] },
  { id: 'amhp-ben', name: 'Ben Okafor', phone: '+447700900102', roles: ['amhp'] },
  { id: 'amhp-chloe', name: 'Chloe Evans', phone: '+447700900103', roles: ['amhp'] },
  { id: 'manager-dev', name: 'Dev Sharma', phone: '+447700900104', roles: ['manager'] },
] as const;

export const demoReferrers = [
  { username: 'gp', name: 'Dr Gill Price', label: 'Dr Gill Price, GP', phone: '+447700900201' },
  { username: 'police', name: 'PC Sam Hill', label: 'PC Sam Hill, West Yorkshire Police', phone: '+447700900202' },
] as const;

/** Texted when a referral would reach nobody (a drama-range number: its messages land in the local outbox). */
export const DEMO_SERVICE_FALLBACK = '+447700900190';
/** The number referrers are told to call (the team's own contact phone is left unset in the demo). */
export const DEMO_SERVICE_CONTACT = '+441134960190';

const HOUR = 3_600_000;

/**
 * Demo data through the same use cases the API runs: a Leeds EDT covering LS1–LS17, three AMHPs
 * and a manager, a rota whose night shift is on now (so a referral made at any hour pages), and
 * the service fallback and contact phones.
 */
export async function seedDemoData(deps: Dependencies, identity: LocalIdentityProvider): Promise<void> {
  const ok = (result: { ok: boolean }, what: string) => {
    if (!result.ok) throw new Error(`demo ${what} did not validate: ${JSON.stringify(result)}`);
  };
  ok(
    await putTeam(deps, DEMO_TEAM_ID, {
      name: 'Leeds Emergency Duty Team',
      areas: Array.from({ length: 17 }, (_, i) => `LS${i + 1}`),
      escalation: { ackTimeoutSeconds: 600, repeat: 1 },
      continuity: 'prefer',
      fallbackPhone: '+447700900199',
    }),
    'team',
  );
  for (const staff of demoStaff) {
    ok(await putStaff(deps, staff.id, { name: staff.name, phone: staff.phone, teamIds: [DEMO_TEAM_ID], roles: staff.roles }), 'staff');
  }
  const now = deps.clock.now().getTime();
  const start = new Date(Math.floor(now / HOUR) * HOUR - HOUR);
  const end = new Date(start.getTime() + 24 * HOUR);
  const next = new Date(end.getTime() + 24 * HOUR);
  const shift = (staffId: string, position: string, from: Date, to: Date) => ({
    staffId,
    position,
    start: from.toISOString(),
    end: to.toISOString(),
  });
  ok(
    await putRota(deps, DEMO_TEAM_ID, {
      shifts: [
        shift('amhp-asha', 'primary', start, end),
        shift('amhp-ben', 'secondary', start, end),
        shift('manager-dev', 'manager', start, end),
        shift('amhp-chloe', 'primary', end, next),
        shift('amhp-asha', 'secondary', end, next),
        shift('manager-dev', 'manager', end, next),
      ],
    }),
    'rota',
  );
  ok(await putServiceSettings(deps, { fallbackPhone: DEMO_SERVICE_FALLBACK, contactPhone: DEMO_SERVICE_CONTACT }), 'service settings');
  identity.addUser({ username: 'admin', roles: ['admin'] });
  // Name and number as Cognito would carry them (`name`, `phone_number`): the web form fills them in.
  for (const referrer of demoReferrers) {
    identity.addUser({ username: referrer.username, roles: ['referrer'], name: referrer.name, phone: referrer.phone });
  }
}
