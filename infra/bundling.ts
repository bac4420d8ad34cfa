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
   * A source map beside each bundle, which Node reads at start-up (`nodeOptions`) to report errors
   * at their source lines. Mappings only: without the sources' text it is a quarter of the size,
   * and quicker to read at every cold start.
   */
  sourceMap: true,
  sourcesContent: false,
  nodeOptions: '--enable-source-maps',
  /** `require` for the few CommonJS dependencies that still call it from inside an ESM bundle. */
  banner: "import { createRequire } from 'module';const require = createRequire(import.meta.url);",
  /**
   * The AWS SDK v3 that the Lambda Node.js runtime provides, as NodejsFunction leaves it out by
   * default: a function runs the runtime's SDK (its version, not package-lock.json's; see the
   * README). Only `@aws-sdk/*` is named: our code and our other dependencies import no `@smithy/*`
   * package, so all of it comes in through the SDK and none is bundled (test/infra/bundles.test.ts
   * checks), and the runtime keeps its `@smithy/*` beneath its `@aws-sdk`, where a bundle's own
   * import could not find it.
   */
  externalModules: ['@aws-sdk/*'],
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
