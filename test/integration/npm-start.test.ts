import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStaff } from '../../infra/local/seed.ts';
import type { LocalSms } from '../../infra/local/sms-outbox.ts';
import { httpBody } from '../support/events.ts';
import { localApi, localToken } from '../support/local-api.ts';

/**
 * `npm start` itself, as a person runs it: its own process on $PORT, the emulators on worker
 * threads (infra/local/main.ts), the demo data. A web referral for Leeds is paged to someone on the
 * demo rota through the whole pipeline (intake, queue, router, SMS outbox).
 */
let child: ChildProcess;
let url = '';
let output = '';
const api = localApi(() => url);

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

beforeAll(async () => {
  const port = await freePort();
  // Its own process group, so stopping it stops npm's child too.
  child = spawn('npm', ['start'], { env: { ...process.env, PORT: String(port) }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (!output.includes('dutyline is running locally')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  url = `http://127.0.0.1:${port}`;
}, 90_000);

afterAll(async () => {
  if (child?.pid && child.exitCode === null) {
    process.kill(-child.pid, 'SIGTERM');
    await once(child, 'exit');
  }
});

describe('npm start', () => {
  it('says where it runs and that the service fallback is set, and answers /health', async () => {
    expect(output).toMatch(/ready in \d+\.\d+ s\) on http:\/\/127\.0\.0\.1:\d+/);
    expect(output).toContain('Service fallback');
    expect(output).not.toContain('WARNING: no service fallback phone is set');
    expect((await api('GET', '/health', undefined)).status).toBe(200);
  });

  it('pages the AMHP on duty for a web referral, through the queue and the router', async () => {
    const submitted = await api('POST', '/api/referrals', await localToken(url, 'gp'), httpBody('http-create-referral'));
    expect(submitted.status).toBe(202);
    const reference = String(submitted.body.reference);
    const demoPhones = new Set(demoStaff.map((staff) => staff.phone));
    const deadline = Date.now() + 20_000;
    let page: LocalSms | undefined;
    while (!page && Date.now() < deadline) {
      const { body } = await api('GET', '/local/sms', undefined);
      page = (body.messages as LocalSms[]).find((sms) => sms.direction === 'outbound' && sms.body.includes(reference) && sms.body.includes('/a/'));
      if (!page) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(page, `no page for ${reference} within 20 s`).toBeDefined();
    expect(demoPhones.has(page!.phone)).toBe(true);
  }, 30_000);
});
