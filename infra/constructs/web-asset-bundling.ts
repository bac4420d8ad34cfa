import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * The web function serves its own styles and scripts (no CDN, nothing fetched at runtime), so its
 * bundle carries them: after esbuild, functions/web/build-assets.ts compiles GOV.UK Frontend's
 * Sass and writes the assets, pre-compressed, to `web-assets/` beside the handler, where
 * functions/web/assets.ts looks first. Node 24 runs the .ts file directly (type stripping).
 */
export const webAssetCommandHooks: ICommandHooks = {
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (inputDir: string, outputDir: string) => [`node "${inputDir}/functions/web/build-assets.ts" "${outputDir}/web-assets"`],
};
