import type { FunctionDefinition } from './definition.ts';

/**
 * How every Lambda is bundled by esbuild, shared by the CDK stack (NodejsFunction) and the
 * benchmark that reports bundle sizes, so the numbers measured are those deployed.
 */
export const bundling = {
  target: 'node24',
  minify: true,
  mainFields: ['module', 'main'],
  /**
   * A source map beside each bundle (mappings only, without the sources' text), to turn a minified
   * stack trace from the logs back into source lines. Node does not read it: `--enable-source-maps`
   * parses the whole map at every cold start, which with the SDK inside doubled init (about 180 ms
   * more per bundle, `npm run bench -- bundles`), so no NODE_OPTIONS are set.
   */
  sourceMap: true,
  sourcesContent: false,
  /** What Lambda runs a bundle with (NODE_OPTIONS), none; the init test and the bench use the same. */
  nodeOptions: [] as string[],
  /** `require` for the few CommonJS dependencies that still call it from inside an ESM bundle. */
  banner: "import { createRequire } from 'module';const require = createRequire(import.meta.url);",
  /**
   * Nothing is left out: the AWS SDK is bundled (minified, tree-shaken to the commands a function
   * uses) instead of taken from the Lambda runtime, so a function runs the SDK version that
   * package-lock.json pins and the tests ran, not whatever version the runtime carries that day.
   * NodejsFunction leaves `@aws-sdk/*` out by default; this empty list overrides that. The price
   * is init time, which test/infra/bundles.test.ts holds against the SDK-free openApi bundle and
   * `npm run bench -- bundles` reports (see the README).
   */
  externalModules: [] as string[],
} as const;

/**
 * What a function's definition grants it, fixed at bundle time: shared/adapters/dependencies.ts
 * builds only those clients and stores, so esbuild leaves the others (and the imports of their SDK
 * packages) out. Unbundled
 * (the local runtime, the tests) these are unset and every client is there.
 */
export function bundleDefines(definition: FunctionDefinition): Record<string, string> {
  const flag = (on: boolean) => JSON.stringify(on ? 'true' : 'false');
  return {
    'process.env.DUTYLINE_BUNDLE_REFERRALS': flag([...definition.reads, ...definition.writes].includes('referrals')),
    'process.env.DUTYLINE_BUNDLE_DIRECTORY': flag([...definition.reads, ...definition.writes].includes('directory')),
    'process.env.DUTYLINE_BUNDLE_QUEUES': flag(definition.sendsTo.length > 0),
    'process.env.DUTYLINE_BUNDLE_SMS': flag(definition.sendsSms),
    'process.env.DUTYLINE_BUNDLE_VOICE': flag(definition.placesCalls === true),
    'process.env.DUTYLINE_BUNDLE_LINK_SECRET': flag(definition.signsLinks),
    'process.env.DUTYLINE_BUNDLE_WEB_SESSIONS': flag(definition.webSessions === true),
    'process.env.DUTYLINE_BUNDLE_WEBHOOK_SECRETS': flag(definition.webhookSecrets === true),
  };
}

/** The esbuild options of one function's bundle, as the stack builds it (for the benchmark). */
export const esbuildOptions = (definition: FunctionDefinition) => ({
  bundle: true,
  platform: 'node' as const,
  format: 'esm' as const,
  target: bundling.target,
  minify: bundling.minify,
  sourcemap: bundling.sourceMap,
  sourcesContent: bundling.sourcesContent,
  mainFields: [...bundling.mainFields],
  banner: { js: bundling.banner },
  external: [...bundling.externalModules],
  define: bundleDefines(definition),
});
