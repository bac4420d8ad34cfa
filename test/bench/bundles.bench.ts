import { bundling } from '../../infra/bundling.ts';
import type { FunctionName } from '../../infra/definition.ts';
import { buildFunctionBundles } from '../../infra/local/function-bundles.ts';
import { initTimes } from '../support/bundle-init.ts';
import { writeResults } from './report.ts';

/**
 * `npm run bench -- bundles`: every function bundled as the stack bundles it (the AWS SDK inside),
 * its size, and its init time as deployed (a fresh process importing the bundle, median of five
 * rounds, no NODE_OPTIONS) and with `--enable-source-maps` (what reading the maps would cost), each as a ratio to the openApi bundle, which has
 * no SDK, measured in the same rounds. test/infra/bundles.test.ts holds the ratio.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

export async function run(): Promise<void> {
  const built = await buildFunctionBundles();
  try {
    const files = Object.fromEntries(Object.values(built.bundles).map((b) => [b.name, b.file])) as Record<FunctionName, string>;
    // As deployed (bundling.nodeOptions, none), and with the source maps read, which was once deployed.
    const withoutMaps = await initTimes(files, bundling.nodeOptions, ROUNDS);
    const withMaps = await initTimes(files, ['--enable-source-maps'], ROUNDS);
    const rows = Object.values(built.bundles).map((b) => ({
      function: b.name,
      kilobytes: Math.round(b.bytes / 1024),
      sdkFiles: b.inputs.filter((input) => /node_modules\/@(aws-sdk|smithy)\//.test(input)).length,
      initMs: Math.round(withoutMaps[b.name]),
      ratio: Number((withoutMaps[b.name] / withoutMaps.openApi).toFixed(2)),
      initMsSourceMaps: Math.round(withMaps[b.name]),
      ratioSourceMaps: Number((withMaps[b.name] / withMaps.openApi).toFixed(2)),
    }));
    console.table(rows);
    const sdkRows = rows.filter((r) => r.sdkFiles > 0);
    const ratios = sdkRows.map((r) => r.ratio);
    const sourceMapCost = rows.map((r) => r.initMsSourceMaps - r.initMs).sort((a, b) => a - b);
    const summary = {
      openApiInitMs: rows.find((r) => r.function === 'openApi')?.initMs,
      ratio: { min: Math.min(...ratios), max: Math.max(...ratios) },
      ratioSourceMaps: { min: Math.min(...sdkRows.map((r) => r.ratioSourceMaps)), max: Math.max(...sdkRows.map((r) => r.ratioSourceMaps)) },
      kilobytes: { min: Math.min(...rows.filter((r) => r.sdkFiles > 0).map((r) => r.kilobytes)), max: Math.max(...rows.map((r) => r.kilobytes)) },
      sourceMapCostMs: { min: sourceMapCost[0], median: sourceMapCost[Math.floor(sourceMapCost.length / 2)], max: sourceMapCost.at(-1) },
    };
    console.log('init vs openApi, sizes, and what --enable-source-maps costs:', summary);
    writeResults('bundles', { at: new Date().toISOString(), node: process.version, rounds: ROUNDS, summary, bundles: rows });
  } finally {
    built.remove();
  }
}
