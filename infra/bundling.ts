/**
 * How every Lambda is bundled by esbuild, shared by the CDK stack (NodejsFunction) and the
 * benchmark that reports bundle sizes, so the numbers measured are those deployed.
 */
export const bundling = {
  target: 'node24',
  minify: true,
  mainFields: ['module', 'main'],
  /** `require` for the few CommonJS dependencies that still call it from inside an ESM bundle. */
  banner: "import { createRequire } from 'module';const require = createRequire(import.meta.url);",
} as const;
