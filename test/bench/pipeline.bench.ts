import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { bundling, esbuildOptions } from '../../infra/bundling.ts';
import { functions } from '../../infra/definition.ts';
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

/** Where the bundles are written: inside the repository, so that their `@aws-sdk/*` imports find its node_modules. */
const bundlesDir = path.join(repoRoot, 'bench-results');

/** Milliseconds a fresh Node process takes to import one bundle, with the Node options it is deployed with. */
function importMs(file: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...bundling.nodeOptions.split(' '), '--input-type=module', '-e', `const t=performance.now();await import(${JSON.stringify(pathToFileURL(file).href)});console.log(performance.now()-t)`],
      // Not this process's environment (its NODE_OPTIONS may load tsx): a Lambda function's, as far as an import reads it.
      { stdio: ['ignore', 'pipe', 'inherit'], env: { AWS_REGION: 'eu-west-2', AWS_LAMBDA_FUNCTION_NAME: path.basename(file, '.mjs') } },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new Error(`importing ${path.basename(file)} failed`))));
  });
}

/**
 * Each function bundled as the stack bundles it: its size, and its init time as deployed, that is
 * the import of the bundle by a fresh process (median of three) in which the external `@aws-sdk/*`
 * resolves to this project's node_modules as it would to the runtime's SDK, so the SDK's load time
 * is counted.
 */
async function bundles() {
  mkdirSync(bundlesDir, { recursive: true });
  const outdir = mkdtempSync(path.join(bundlesDir, 'bundles-'));
  const rows: { function: string; kilobytes: number; initMs: number }[] = [];
  try {
    for (const [name, fn] of Object.entries(functions)) {
      const outfile = path.join(outdir, `${name}.mjs`);
      await build({ ...esbuildOptions(fn), absWorkingDir: repoRoot, entryPoints: [path.join(repoRoot, fn.entry)], outfile, logLevel: 'error' });
      // The median of three fresh processes: one alone swings by tens of milliseconds on a busy machine.
      const initMs = percentile([await importMs(outfile), await importMs(outfile), await importMs(outfile)], 50);
      rows.push({ function: name, kilobytes: Math.round(statSync(outfile).size / 1024), initMs: Math.round(initMs) });
    }
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  return rows;
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
  const sizes = await bundles();
  console.table(sizes);
  writeResults('pipeline', {
    at: new Date().toISOString(),
    node: process.version,
    startupSeconds: startup,
    submitToFirstSmsMs: latency,
    bundles: sizes,
    packageVersion: JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version,
  });
}
