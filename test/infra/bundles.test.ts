import { builtinModules } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functions, type FunctionDefinition, type FunctionName } from '../../infra/definition.ts';
import { buildFunctionBundles, type FunctionBundles } from '../../infra/local/function-bundles.ts';

/**
 * Every function bundled as the stack bundles it (infra/bundling.ts, the AWS SDK inside), written
 * to a temporary directory: what it carries and its size. Init time is a speed target, so it is
 * measured by `npm run bench -- bundles` (each bundle's init as a ratio to the openApi bundle's,
 * goal 2×), never asserted here: a timed assertion fails on a loaded machine, not on a slow bundle.
 */

/**
 * The size guard. Measured 491–636 KB minified with the SDK inside (openApi, without it, 177 KB):
 * the SDK's clients and Smithy runtime are about 300 KB of each. Over this, something big came in
 * (another SDK client, a second copy of one): the bench's table shows which bundle and its SDK file count.
 */
const MAX_BUNDLE_KB = 800;

/** The SDK client packages a definition grants: those shared/adapters/dependencies.ts makes for it. */
function grantedSdk(definition: FunctionDefinition): string[] {
  const tables = definition.reads.length + definition.writes.length > 0;
  return [
    ...(tables ? ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'] : []),
    ...(definition.sendsTo.length > 0 ? ['@aws-sdk/client-sqs'] : []),
    // SNS or End User Messaging, as the deployment chooses; voice calls only through End User Messaging.
    ...(definition.sendsSms ? ['@aws-sdk/client-sns'] : []),
    ...(definition.sendsSms || definition.placesCalls ? ['@aws-sdk/client-pinpoint-sms-voice-v2'] : []),
    ...(definition.signsLinks || definition.webhookSecrets || definition.callsApiAsCanary ? ['@aws-sdk/client-secrets-manager'] : []),
  ].sort();
}

const sdkPackagesIn = (inputs: string[]) =>
  [...new Set(inputs.flatMap((input) => /node_modules\/(@aws-sdk\/(?:client-[^/]+|lib-dynamodb))\//.exec(input)?.[1] ?? []))].sort();

const names = Object.keys(functions) as FunctionName[];
let built: FunctionBundles;

beforeAll(async () => {
  built = await buildFunctionBundles({ local: false });
}, 300_000);

afterAll(() => built?.remove());

describe('function bundles', () => {
  it.each(names)(`%s is at most ${MAX_BUNDLE_KB} KB minified`, (name) => {
    expect(built.bundles[name].bytes / 1024).toBeLessThanOrEqual(MAX_BUNDLE_KB);
  });

  it.each(names)('%s imports nothing at run time but Node built-ins: the AWS SDK is inside', (name) => {
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    expect(built.bundles[name].externalImports.filter((specifier) => !builtins.has(specifier))).toEqual([]);
  });

  it.each(names)('%s carries the SDK clients its definition grants and no other', (name) => {
    expect(sdkPackagesIn(built.bundles[name].inputs)).toEqual(grantedSdk(functions[name]));
  });
});
