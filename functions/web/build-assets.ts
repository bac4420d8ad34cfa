/**
 * Builds the web assets: dutyline.css from GOV.UK Frontend's Sass (functions/web/styles), GOV.UK
 * Frontend's JavaScript, and dutyline.js. The local runtime calls `buildWebAssets` on first use;
 * the CDK bundle runs this file (Node strips the types) to write them, pre-compressed, beside the
 * handler:  node functions/web/build-assets.ts <out dir>
 * It runs at build time only and never ships in a Lambda bundle, so it may use devDependencies.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The served names; nothing else under /assets/ exists. */
export const webAssetNames = ['dutyline.css', 'govuk-frontend.min.js', 'dutyline.js'] as const;
export type WebAssetName = (typeof webAssetNames)[number];

async function compileStylesheet(): Promise<string> {
  const sass = await import('sass');
  const result = sass.compile(path.join(repoRoot, 'functions/web/styles/dutyline.scss'), {
    loadPaths: [path.join(repoRoot, 'node_modules')],
    style: 'compressed',
    quietDeps: true,
  });
  return result.css;
}

/** Source maps are not served, so their comments are dropped. */
const withoutSourceMap = (script: string) => script.replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n');

export async function buildWebAssets(): Promise<Record<WebAssetName, Buffer>> {
  const [css, govuk, own] = await Promise.all([
    compileStylesheet(),
    readFile(path.join(repoRoot, 'node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js'), 'utf8'),
    readFile(path.join(repoRoot, 'functions/web/client/dutyline.js'), 'utf8'),
  ]);
  return {
    'dutyline.css': Buffer.from(css),
    'govuk-frontend.min.js': Buffer.from(withoutSourceMap(govuk)),
    'dutyline.js': Buffer.from(own),
  };
}

export async function writeWebAssets(outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  for (const [name, body] of Object.entries(await buildWebAssets())) {
    await writeFile(path.join(outDir, name), body);
    await writeFile(path.join(outDir, `${name}.br`), brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
    await writeFile(path.join(outDir, `${name}.gz`), gzipSync(body, { level: 9 }));
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = process.argv[2];
  if (!outDir) throw new Error('usage: node functions/web/build-assets.ts <out dir>');
  await writeWebAssets(path.resolve(outDir));
}
