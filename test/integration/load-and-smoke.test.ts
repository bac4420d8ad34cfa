import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../infra/local/runtime.ts';
import { DEMO_TEAM_ID, demoStaff } from '../../infra/local/seed.ts';
import { runLoad } from '../../tools/ops/load.ts';
import { LOCAL_SMOKE_PHONE, runSmoke } from '../../tools/ops/smoke.ts';
import { localApi, localToken } from '../support/local-api.ts';

/**
 * The operator tools against a local runtime started without the demo seed: `npm run load` loads
 * the demo files (infra/local/demo/) as an EDT's IT team would load theirs into AWS, and
 * `npm run smoke` proves the line end to end. Child processes prove the npm scripts work.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const demo = (name: string) => path.join(repoRoot, 'infra/local/demo', name);
const demoFiles = [demo('team.json'), demo('staff.csv'), demo('rota.ics')];

let runtime: LocalRuntime;
let adminToken: string;
const api = localApi(() => runtime.url);

function npmRun(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npm', ['run', '-s', script, '--', ...args], { cwd: repoRoot, timeout: 110_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** The command's exported main, with its output collected (no tokens from the environment). */
async function inProcess(command: 'load' | 'smoke', args: string[]): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const out = { line: (text: string) => lines.push(text) };
  const code = command === 'load' ? await runLoad(args, out, { cwd: repoRoot }) : await runSmoke(args, out, {});
  return { code, output: lines.join('\n') };
}

const scratch = mkdtempSync(path.join(tmpdir(), 'dutyline-load-'));
const scratchFile = (name: string, text: string) => {
  const file = path.join(scratch, name);
  writeFileSync(file, text);
  return file;
};

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, seed: false });
  adminToken = await localToken(runtime.url, 'admin', ['admin']);
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
});

describe('npm run load', () => {
  it('loads the demo team, staff and a rota on duty now, and loads them again unchanged', { timeout: 240_000 }, async () => {
    const first = await npmRun('load', ['--url', `${runtime.url}/`, '--rota-starts-now', ...demoFiles]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`PUT /api/teams/${DEMO_TEAM_ID} (${demo('team.json')}) → 200`);
    expect(first.stdout).toContain('PUT /api/service');
    for (const staff of demoStaff) expect(first.stdout).toContain(`PUT /api/staff/${staff.id} `);
    expect(first.stdout).toMatch(/PUT \/api\/teams\/leeds-edt\/rota \(.*rota\.ics, text\/calendar\) → 200/);
    // Ids, paths and statuses only: nothing from the files about a person.
    for (const staff of demoStaff) {
      expect(first.stdout).not.toContain(staff.name);
      expect(first.stdout).not.toContain(staff.phone);
    }

    const onCall = await api('GET', `/api/teams/${DEMO_TEAM_ID}/oncall`, adminToken);
    expect(onCall.status).toBe(200);
    expect(onCall.body.onCall).toEqual({ primary: 'amhp-asha', secondary: 'amhp-ben', manager: 'manager-dev' });

    const again = await npmRun('load', ['--url', runtime.url, '--rota-starts-now', ...demoFiles]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('rota: 6 shifts stored');
    const teams = await api('GET', '/api/teams', adminToken);
    expect(teams.body.teams).toHaveLength(1);
    const asha = await api('GET', '/api/staff/amhp-asha', adminToken);
    expect(asha.body).toMatchObject({ id: 'amhp-asha', phone: '+447700900101', teamIds: [DEMO_TEAM_ID], roles: ['amhp'] });
    expect((await api('GET', `/api/teams/${DEMO_TEAM_ID}/oncall`, adminToken)).body.onCall.primary).toBe('amhp-asha');
  });

  it('names the file, row and field of a bad staff row, and changes nothing', { timeout: 60_000 }, async () => {
    const staff = scratchFile('staff.csv', 'id,name,phone,roles\nnew-amhp,New Amhp,+447700900111,amhp\nbad-amhp,Bad Amhp,0113 496 0000,amhp\n');
    const { code, output } = await inProcess('load', ['--url', runtime.url, demo('team.json'), staff]);
    expect(code).toBe(1);
    expect(output).toContain(`${staff} row 3 (bad-amhp), phone: must be a UK mobile number`);
    expect(output).toContain('load stopped before anything was changed');
    expect(output).not.toContain('PUT ');
    expect((await api('GET', '/api/staff/new-amhp', adminToken)).status).toBe(404);
  });

  it('names the row and field of a bad rota row, and leaves the rota as it was', { timeout: 60_000 }, async () => {
    const before = await api('GET', `/api/teams/${DEMO_TEAM_ID}/oncall`, adminToken);
    const rota = scratchFile('rota.csv', 'date,start,end,staff,position\n2026-12-02,17:00,08:45,amhp-chloe,primary\n2026-12-03,25:00,08:45,amhp-ben,primary\n');
    const { code, output } = await inProcess('load', ['--url', runtime.url, demo('team.json'), demo('staff.csv'), rota]);
    expect(code).toBe(1);
    expect(output).toContain(`${rota} row 3, start: must be a time such as 17:00`);
    expect(output).not.toContain('PUT ');
    expect((await api('GET', `/api/teams/${DEMO_TEAM_ID}/oncall`, adminToken)).body.onCall).toEqual(before.body.onCall);
  });

  it("stops at the API's refusal, naming the row and field it gave", { timeout: 60_000 }, async () => {
    const rota = scratchFile('unknown.csv', 'date,start,end,staff,position\n2026-12-02,17:00,08:45,amhp-nobody,primary\n');
    const { code, output } = await inProcess('load', ['--url', runtime.url, demo('team.json'), demo('staff.csv'), rota]);
    expect(code).toBe(1);
    expect(output).toMatch(/PUT \/api\/teams\/leeds-edt\/rota \(.*unknown\.csv, text\/csv\) → 400/);
    expect(output).toContain(`${rota} row 2, staff: is not a known staff member`);
  });
});

describe('npm run smoke', () => {
  it('passes on the local runtime, timing each step, and texts only the smoke phone', { timeout: 240_000 }, async () => {
    const before = runtime.outbox.list().length;
    const { code, stdout, stderr } = await npmRun('smoke', ['--url', runtime.url, '--timeout', '90']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    for (const step of ['health', 'smoke team smoke-test (ZY9)', 'submit synthetic referral', 'routed to the smoke team and paged', 'accept as the smoke AMHP', 'close']) {
      expect(stdout).toMatch(new RegExp(`ok +${step.replace(/[()]/g, '\\$&')} +\\d+ ms`));
    }
    expect(stdout).toMatch(/PASS in \d+ ms: referral EDT-[0-9A-Z]{4}-[0-9A-Z]{4} routed, paged, accepted and closed/);
    const texted = runtime.outbox.list().slice(before).filter((sms) => sms.direction === 'outbound');
    expect(texted.length).toBeGreaterThan(0);
    expect(new Set(texted.map((sms) => sms.phone))).toEqual(new Set([LOCAL_SMOKE_PHONE]));
    // The smoke team keeps to its own district: the demo team's rota is untouched.
    expect((await api('GET', `/api/teams/${DEMO_TEAM_ID}/oncall`, adminToken)).body.onCall.primary).toBeDefined();
  });

  it('fails with a non-zero exit when its district is held by a real team', { timeout: 60_000 }, async () => {
    const { code, output } = await inProcess('smoke', ['--url', runtime.url, '--area', 'LS1']);
    expect(code).toBe(1);
    expect(output).toContain('LS1 is held by team leeds-edt');
    expect(output).toMatch(/FAIL after \d+ ms/);
  });
});
