import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Milliseconds a fresh Node process takes to import one bundle (its init, less Node's own start),
 * run with the given Node options as Lambda runs it with NODE_OPTIONS. The environment is a
 * Lambda function's as far as an import reads it, not this process's (whose NODE_OPTIONS may load tsx).
 */
export function importMs(file: string, nodeOptions: string[]): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        ...nodeOptions,
        '--input-type=module',
        '-e',
        `const t=performance.now();await import(${JSON.stringify(pathToFileURL(file).href)});console.log(performance.now()-t)`,
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { AWS_REGION: 'eu-west-2', AWS_LAMBDA_FUNCTION_NAME: path.basename(path.dirname(file)) },
      },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new Error(`importing ${file} failed with ${code}`))));
  });
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Each bundle's import time, measured in rounds that take every bundle in turn, so the baseline
 * and the others see the same load on a shared machine. Per bundle the median of the rounds, or
 * their fastest: load on the machine only ever adds time, so the fastest is the steadiest measure
 * of the bundle itself (the test holds that).
 */
export async function initTimes<K extends string>(
  files: Record<K, string>,
  nodeOptions: string[],
  rounds: number,
  statistic: 'median' | 'fastest' = 'median',
): Promise<Record<K, number>> {
  const samples = Object.fromEntries(Object.keys(files).map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < rounds; round++) {
    for (const [key, file] of Object.entries(files) as [K, string][]) samples[key].push(await importMs(file, nodeOptions));
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, statistic === 'median' ? median(v as number[]) : Math.min(...(v as number[]))])) as Record<K, number>;
}
