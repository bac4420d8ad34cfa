import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalRuntime } from '../../infra/local/runtime.ts';
import { percentile, writeResults } from './report.ts';
import { localToken } from '../support/local-api.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Seconds from `npm start` (the same command line) to the "running" banner. */
async function startupSeconds(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('dutyline is running')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}`)));
  });
  const seconds = (performance.now() - started) / 1000;
  child.kill('SIGTERM');
  return seconds;
}

/** Milliseconds from POST /api/referrals to the first page landing in the SMS outbox. */
async function submitToFirstSms(count: number): Promise<number[]> {
  const runtime = await startLocalRuntime({ port: 0, seed: true });
  try {
    const token = await localToken(runtime.url, 'gp');
    const latencies: number[] = [];
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      const response = await fetch(`${runtime.url}/api/referrals`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          channel: 'phone',
          callbackPhone: '07700 900201',
          currentLocation: { postcode: 'LS1 4AP' },
          legal: { status: 'none' },
          urgency: 'immediate',
        }),
      });
      const { reference } = (await response.json()) as { reference: string };
      // The first page, to whoever is first on the chain (past its page limit the primary is skipped).
      await runtime.outbox.waitFor((sms) => sms.direction === 'outbound' && sms.body.includes(reference), 10_000);
      latencies.push(performance.now() - started);
    }
    return latencies;
  } finally {
    await runtime.stop();
  }
}

export async function run(): Promise<void> {
  const startup = await startupSeconds();
  console.log(`npm start → ready: ${startup.toFixed(2)} s`);
  const latencies = await submitToFirstSms(50);
  const latency = {
    count: latencies.length,
    p50: Math.round(percentile(latencies, 50)),
    p95: Math.round(percentile(latencies, 95)),
    p99: Math.round(percentile(latencies, 99)),
    max: Math.round(Math.max(...latencies)),
  };
  console.log(`submit → first SMS (sequential, ms):`, latency);
  // Bundle sizes and init times: `npm run bench -- bundles` (test/bench/bundles.bench.ts).
  writeResults('pipeline', {
    at: new Date().toISOString(),
    node: process.version,
    startupSeconds: startup,
    submitToFirstSmsMs: latency,
    packageVersion: JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version,
  });
}
