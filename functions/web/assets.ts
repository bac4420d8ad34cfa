import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { HttpEvent, HttpResult } from '../commons/http.ts';
import { header } from '../commons/http.ts';

/**
 * The web assets (dutyline.css, GOV.UK Frontend's JavaScript, dutyline.js), served by the web
 * function itself: no CDN, nothing fetched at runtime. In a Lambda bundle they sit, built and
 * pre-compressed, in `web-assets/` beside the handler; locally they are built on first use.
 */
export type WebAssetName = 'dutyline.css' | 'govuk-frontend.min.js' | 'dutyline.js';
const names: readonly WebAssetName[] = ['dutyline.css', 'govuk-frontend.min.js', 'dutyline.js'];

interface WebAsset {
  body: Buffer;
  br: Buffer;
  gzip: Buffer;
  type: string;
  /** A short hash of the content: asset URLs carry it, so a new deploy is never served a stale copy. */
  version: string;
}

export type WebAssets = Record<WebAssetName, WebAsset>;

const types: Record<WebAssetName, string> = {
  'dutyline.css': 'text/css; charset=utf-8',
  'govuk-frontend.min.js': 'text/javascript; charset=utf-8',
  'dutyline.js': 'text/javascript; charset=utf-8',
};

const bundledDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'web-assets');

async function load(): Promise<WebAssets> {
  let built: Record<string, Buffer>;
  const bundled = existsSync(path.join(bundledDir, 'dutyline.css'));
  if (bundled) {
    built = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await readFile(path.join(bundledDir, name))] as const)));
  } else {
    // Not bundled: this is the local runtime or a test, where the build-time module is at hand.
    // The specifier is computed so that esbuild does not pull the Sass compiler into a bundle.
    const builder = './build-assets.ts';
    built = await ((await import(builder)) as { buildWebAssets(): Promise<Record<string, Buffer>> }).buildWebAssets();
  }
  const entries = await Promise.all(
    names.map(async (name) => {
      const body = built[name];
      if (!body) throw new Error(`web asset ${name} is missing`);
      const [br, gzip] = bundled
        ? await Promise.all([readFile(path.join(bundledDir, `${name}.br`)), readFile(path.join(bundledDir, `${name}.gz`))])
        : [brotliCompressSync(body), gzipSync(body)];
      const version = createHash('sha256').update(body).digest('base64url').slice(0, 12);
      return [name, { body, br, gzip, type: types[name], version }] as const;
    }),
  );
  return Object.fromEntries(entries) as WebAssets;
}

let loaded: Promise<WebAssets> | undefined;

export function webAssets(): Promise<WebAssets> {
  loaded ??= load().catch((error: unknown) => {
    loaded = undefined;
    throw error;
  });
  return loaded;
}

export const assetUrl = (assets: WebAssets, name: WebAssetName) => `/assets/${name}?v=${assets[name].version}`;

const YEAR_SECONDS = 365 * 24 * 3600;

/** `GET /assets/{file}`: a known name only; compressed when the browser accepts it. */
export function serveAsset(assets: WebAssets, event: HttpEvent): HttpResult {
  const name = event.pathParameters?.file ?? '';
  if (!(names as readonly string[]).includes(name)) {
    return { statusCode: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Not found' };
  }
  const asset = assets[name as WebAssetName];
  const etag = `"${asset.version}"`;
  // Kept for a year only when asked for by this content's version; a module imported by plain
  // name (dutyline.js imports govuk-frontend.min.js) is checked with the server each time.
  const versioned = event.queryStringParameters?.v === asset.version;
  const common = {
    'content-type': asset.type,
    'cache-control': versioned ? `public, max-age=${YEAR_SECONDS}, immutable` : 'public, no-cache',
    etag,
    vary: 'accept-encoding',
    'x-content-type-options': 'nosniff',
  };
  if (header(event, 'if-none-match') === etag) return { statusCode: 304, headers: common };
  const accepts = header(event, 'accept-encoding') ?? '';
  const [body, encoding] = /\bbr\b/.test(accepts) ? [asset.br, 'br'] : /\bgzip\b/.test(accepts) ? [asset.gzip, 'gzip'] : [asset.body, undefined];
  return {
    statusCode: 200,
    headers: { ...common, ...(encoding ? { 'content-encoding': encoding } : {}) },
    body: body.toString('base64'),
    isBase64Encoded: true,
  };
}
