import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { esbuildOptions } from '../../infra/bundling.ts';
import { functions, type FunctionDefinition, type FunctionName } from '../../infra/definition.ts';

/**
 * Every function bundled as the stack bundles it (infra/bundling.ts), without writing it: the
 * minified size each deploys with, and the AWS SDK packages it imports from the Lambda runtime.
 * `npm run bench -- pipeline` measures the same bundles' init times.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MAX_BUNDLE_KB = 250;

interface Bundle {
  kilobytes: number;
  /** Files of the AWS SDK (and its Smithy runtime) that esbuild put into the bundle. */
  sdkCodeInside: string[];
  /** `@aws-sdk/*` packages the bundle imports, left to the runtime's SDK. */
  sdkImports: string[];
}

async function bundle(definition: FunctionDefinition): Promise<Bundle> {
  const result = await build({
    ...esbuildOptions(definition),
    absWorkingDir: repoRoot,
    entryPoints: [path.join(repoRoot, definition.entry)],
    outfile: path.join(repoRoot, 'bundle.mjs'),
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles.find((file) => file.path.endsWith('.mjs'));
  const output = Object.values(result.metafile.outputs).find((file: Metafile['outputs'][string]) => file.entryPoint);
  return {
    kilobytes: (code?.contents.byteLength ?? Infinity) / 1024,
    sdkCodeInside: Object.keys(output?.inputs ?? {}).filter((file) => /node_modules\/@(aws-sdk|smithy)\//.test(file)),
    sdkImports: [...new Set((output?.imports ?? []).map((i) => i.path).filter((p) => p.startsWith('@aws-sdk/')))].sort(),
  };
}

/** The SDK packages a definition grants: the clients shared/adapters/dependencies.ts makes for it. */
function grantedSdk(definition: FunctionDefinition): string[] {
  const tables = definition.reads.length + definition.writes.length > 0;
  return [
    ...(tables ? ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'] : []),
    ...(definition.sendsTo.length > 0 ? ['@aws-sdk/client-sqs'] : []),
    // SNS or End User Messaging, as the deployment chooses.
    ...(definition.sendsSms ? ['@aws-sdk/client-sns', '@aws-sdk/client-pinpoint-sms-voice-v2'] : []),
    ...(definition.signsLinks || definition.webhookSecrets ? ['@aws-sdk/client-secrets-manager'] : []),
  ].sort();
}

const names = Object.keys(functions) as FunctionName[];
const bundles = new Map<FunctionName, Bundle>();

beforeAll(async () => {
  // All at once: esbuild builds them in parallel, about ten seconds for all on two cores.
  const built = await Promise.all(names.map((name) => bundle(functions[name])));
  names.forEach((name, i) => bundles.set(name, built[i]!));
});

describe('function bundles', () => {
  it.each(names)(`%s is at most ${MAX_BUNDLE_KB} KB minified`, (name) => {
    expect(bundles.get(name)!.kilobytes).toBeLessThanOrEqual(MAX_BUNDLE_KB);
  });

  it.each(names)('%s bundles no AWS SDK or Smithy code: the Lambda runtime provides it', (name) => {
    expect(bundles.get(name)!.sdkCodeInside).toEqual([]);
  });

  it.each(names)('%s imports the SDK clients its definition grants and no other', (name) => {
    expect(bundles.get(name)!.sdkImports).toEqual(grantedSdk(functions[name]));
  });
});
