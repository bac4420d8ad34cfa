import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Dependencies } from '../../shared/ports.ts';
import { header, type HttpEvent, type HttpResult } from '../commons/http.ts';
import type { WebAssets } from './assets.ts';
import type { SafeHtml } from '../commons/pages/html.ts';
import { layout, pageHeaders, type NavigationItem } from '../commons/pages/layout.ts';
import type { Session } from './session.ts';

/** `amhp`: the AMHP's own pages, which do not make or list referrals. */
export type Section = 'new' | 'list' | 'amhp' | null;

export interface PageResponse {
  status: number;
  title: string;
  body: SafeHtml;
  session: Session | null;
  section?: Section;
  hasErrors?: boolean;
  announcer?: boolean;
  cookies?: string[];
}

function navigation(session: Session | null, section: Section | undefined): NavigationItem[] {
  if (!session) return [];
  if (section === 'amhp') return [{ href: '/amhp', text: 'Your open referrals', current: true }];
  return [
    { href: '/referrals/new', text: 'Make a referral', current: section === 'new' },
    { href: '/referrals', text: 'Your referrals', current: section === 'list' },
  ];
}

export function pageResult(deps: Dependencies, assets: WebAssets, page: PageResponse): HttpResult {
  return {
    statusCode: page.status,
    headers: pageHeaders({ formActionOrigins: deps.signIn?.origin ? [deps.signIn.origin] : [] }),
    body: layout({
      title: page.title,
      body: page.body,
      assets,
      hasErrors: page.hasErrors ?? false,
      navigation: navigation(page.session, page.section),
      signedIn: page.session !== null,
      announcer: page.announcer ?? false,
    }),
    ...(page.cookies ? { cookies: page.cookies } : {}),
  };
}

/** 303 See Other: after a POST the browser GETs the new page, so a refresh never posts again. */
export const redirect = (location: string, cookies?: string[]): HttpResult => ({
  statusCode: 303,
  headers: { location, 'cache-control': 'no-store' },
  ...(cookies ? { cookies } : {}),
});

/**
 * API Gateway's HTTP API does not compress responses, and the form is ~24 KB of HTML: compressed,
 * ~4 KB, which matters on a phone with one bar of signal. Brotli at a fast setting, else gzip.
 */
export function compressed(event: HttpEvent, result: HttpResult): HttpResult {
  const type = String(result.headers?.['content-type'] ?? '');
  if (result.isBase64Encoded || !result.body || result.body.length < 1024 || !type.startsWith('text/html')) return result;
  const accepts = header(event, 'accept-encoding') ?? '';
  const encoding = /\bbr\b/.test(accepts) ? 'br' : /\bgzip\b/.test(accepts) ? 'gzip' : null;
  if (!encoding) return result;
  const body =
    encoding === 'br'
      ? brotliCompressSync(result.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })
      : gzipSync(result.body, { level: 6 });
  return {
    ...result,
    headers: { ...result.headers, 'content-encoding': encoding, vary: 'accept-encoding' },
    body: body.toString('base64'),
    isBase64Encoded: true,
  };
}
