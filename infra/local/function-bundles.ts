import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { writeWebAssets } from '../../functions/web/build-assets.ts';
import { esbuildOptions } from '../bundling.ts';
import { functions, type FunctionName } from '../definition.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** One function's bundle on disk, laid out as its Lambda asset is: `index.mjs` (and `web-assets/`) in a directory of its own. */
export interface FunctionBundle {
  name: FunctionName;
  /** The bundle the stack deploys, built with infra/bundling.ts's options. */
  file: string;
  /** The same bundle that also exports `createDependencies`, so the local runtime can wire it to the emulators with the bundle's own adapters and SDK. */
  localFile: string;
  bytes: number;
  /** What the deployed bundle imports at run time rather than carrying (Node's built-ins only). */
  externalImports: string[];
  /** The source files esbuild put into the deployed bundle; the local one has the same. */
  inputs: string[];
  localInputs: string[];
}

export interface FunctionBundles {
  dir: string;
  bundles: Record<FunctionName, FunctionBundle>;
  remove(): void;
}

const outputOf = (metafile: Metafile | undefined) => Object.entries(metafile?.outputs ?? {}).find(([file]) => file.endsWith('.mjs'))?.[1];

/**
 * Builds the functions into a temporary directory with the stack's esbuild options. Each gets two
 * outputs: `index.mjs`, byte for byte what the stack deploys (the bench and test/infra/bundles.test.ts
 * time its import), and `local.mjs`, the same modules with `createDependencies` exported as well:
 * the deployed bundle builds its adapters from Lambda's environment (Cognito, Secrets Manager, SNS),
 * which the emulators do not all have, so the local runtime hands the bundle's own `createDependencies`
 * the emulators' endpoints and its stand-ins instead. The handler, the app, the adapters and the AWS
 * SDK that run are then the bundled ones.
 */
export async function buildFunctionBundles(options: { names?: FunctionName[]; dir?: string; /** Build `local.mjs` too (default true). */ local?: boolean } = {}): Promise<FunctionBundles> {
  const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), 'dutyline-bundles-'));
  const names = options.names ?? (Object.keys(functions) as FunctionName[]);
  const dependencies = path.join(repoRoot, 'shared/adapters/dependencies.ts');
  // The web assets are the same for every function that serves them: compiled once, copied to each.
  const webAssets = path.join(dir, 'web-assets');
  if (names.some((name) => functions[name].webAssets)) await writeWebAssets(webAssets);
  // esbuild builds them in parallel; two cores take about ten seconds for all.
  const built = await Promise.all(
    names.map(async (name): Promise<FunctionBundle> => {
      const definition = functions[name];
      const outdir = path.join(dir, name);
      mkdirSync(outdir, { recursive: true });
      const entry = path.join(repoRoot, definition.entry);
      const common = { ...esbuildOptions(definition), absWorkingDir: repoRoot, metafile: true, logLevel: 'error' as const };
      const deployed = await build({ ...common, entryPoints: [entry], outfile: path.join(outdir, 'index.mjs') });
      const local = options.local === false ? undefined : await build({
        ...common,
        stdin: {
          contents: `export * from ${JSON.stringify(entry)};\nexport { createDependencies } from ${JSON.stringify(dependencies)};\n`,
          resolveDir: repoRoot,
          sourcefile: `${name}-local-entry.ts`,
          loader: 'ts',
        },
        outfile: path.join(outdir, 'local.mjs'),
      });
      if (definition.webAssets) cpSync(webAssets, path.join(outdir, 'web-assets'), { recursive: true });
      const deployedOutput = outputOf(deployed.metafile);
      const imports = (deployedOutput?.imports ?? []).filter((i) => i.external).map((i) => i.path);
      const localOutput = outputOf(local?.metafile);
      return {
        name,
        file: path.join(outdir, 'index.mjs'),
        localFile: path.join(outdir, 'local.mjs'),
        bytes: deployedOutput?.bytes ?? 0,
        inputs: Object.keys(deployedOutput?.inputs ?? {}).sort(),
        externalImports: [...new Set(imports)].sort(),
        localInputs: Object.keys(localOutput?.inputs ?? {}).filter((input) => input !== '<stdin>' && !input.endsWith('-local-entry.ts')).sort(),
      };
    }),
  );
  return {
    dir,
    bundles: Object.fromEntries(built.map((bundle) => [bundle.name, bundle])) as Record<FunctionName, FunctionBundle>,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
