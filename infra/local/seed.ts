import { readFileSync } from 'node:fs';
import { putRota, putServiceSettings, putStaff, putTeam } from '../../shared/app/directory-admin.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { describeIssue, readStaffCsv, readTeamFile, startRotaAt, templateStartFor, type FileIssue } from '../../tools/ops/directory-files.ts';
import type { LocalIdentityProvider } from './identity.ts';

/**
 * The demo service is read from infra/local/demo/ (team.json, staff.csv, rota.ics), the files
 * `npm run load` takes, through the same readers, so the seed and the loader cannot disagree.
 */
const demoFile = (name: string) => readFileSync(new URL(`./demo/${name}`, import.meta.url), 'utf8');

const refuse = (issues: FileIssue[]): never => {
  throw new Error(`the demo files in infra/local/demo/ do not validate:\n${issues.map(describeIssue).join('\n')}`);
};

const teamFile = readTeamFile(demoFile('team.json'), 'team.json');
const demoTeam = teamFile.ok ? teamFile.value : refuse(teamFile.issues);
const staffFile = readStaffCsv(demoFile('staff.csv'), 'staff.csv', demoTeam.teamId);
const demoStaffRows = staffFile.ok ? staffFile.value : refuse(staffFile.issues);
/** A template: its shifts are moved to start the hour before now (tools/ops/directory-files.ts). */
const demoRotaTemplate = demoFile('rota.ics');

export const DEMO_TEAM_ID = demoTeam.teamId;

export interface DemoStaffMember {
  id: string;
  name: string;
  phone: string;
  roles: readonly ('amhp' | 'manager')[];
}

/** Tests take the demo people by position (`const [asha, ben, chloe, manager] = demoStaff`), so the file must keep them so. */
const DEMO_STAFF_ORDER = ['amhp-asha', 'amhp-ben', 'amhp-chloe', 'manager-dev'] as const;

function inDemoOrder(rows: typeof demoStaffRows): readonly [DemoStaffMember, DemoStaffMember, DemoStaffMember, DemoStaffMember] {
  const members = rows.map(({ staff }) => ({ id: staff.id, name: staff.name, phone: staff.phone, roles: staff.roles }));
  const ids = members.map((member) => member.id);
  if (ids.join() !== DEMO_STAFF_ORDER.join()) throw new Error(`infra/local/demo/staff.csv must list ${DEMO_STAFF_ORDER.join(', ')} in that order (tests name them); it lists ${ids.join(', ')}`);
  return members as unknown as readonly [DemoStaffMember, DemoStaffMember, DemoStaffMember, DemoStaffMember];
}

export const demoStaff = inDemoOrder(demoStaffRows);

export const demoReferrers = [
  { username: 'gp', name: 'Dr Gill Price', label: 'Dr Gill Price, GP', phone: '+447700900201' },
  { username: 'police', name: 'PC Sam Hill', label: 'PC Sam Hill, West Yorkshire Police', phone: '+447700900202' },
] as const;

const serviceSetting = (field: 'fallbackPhone' | 'contactPhone'): string => {
  const value = demoTeam.service?.[field];
  if (typeof value !== 'string') throw new Error(`infra/local/demo/team.json must give service.${field}`);
  return value;
};
/** Texted when a referral would reach nobody (a drama-range number: its messages land in the local outbox). */
export const DEMO_SERVICE_FALLBACK = serviceSetting('fallbackPhone');
/** The number referrers are told to call (the team's own contact phone is left unset in the demo). */
export const DEMO_SERVICE_CONTACT = serviceSetting('contactPhone');

/**
 * Demo data through the same use cases the API runs: a Leeds EDT covering LS1–LS17, three AMHPs
 * and a manager, a rota whose first day starts the hour before now (so a referral made at any hour
 * pages), and the service fallback and contact phones.
 */
export async function seedDemoData(deps: Dependencies, identity: LocalIdentityProvider): Promise<void> {
  const ok = (result: { ok: boolean }, what: string) => {
    if (!result.ok) throw new Error(`demo ${what} did not validate: ${JSON.stringify(result)}`);
  };
  ok(await putTeam(deps, DEMO_TEAM_ID, demoTeam.team), 'team');
  for (const row of demoStaffRows) ok(await putStaff(deps, row.staffId, row.body), `staff.csv row ${row.row}`);
  // The demo phones start proven, as if each AMHP had confirmed a code (drama-range numbers: nobody's).
  for (const member of demoStaff) await deps.phoneVerifications.markVerified(member.id, member.phone, deps.clock.now().toISOString());
  const rota = startRotaAt(demoRotaTemplate, templateStartFor(deps.clock.now()));
  if (!rota.ok) throw new Error(`infra/local/demo/rota.ics ${rota.message}`);
  ok(await putRota(deps, DEMO_TEAM_ID, rota.value, 'ics'), 'rota');
  ok(await putServiceSettings(deps, demoTeam.service), 'service settings');
  identity.addUser({ username: 'admin', roles: ['admin'] });
  // Name and number as Cognito would carry them (`name`, `phone_number`): the web form fills them in.
  for (const referrer of demoReferrers) {
    identity.addUser({ username: referrer.username, roles: ['referrer'], name: referrer.name, phone: referrer.phone });
  }
}
