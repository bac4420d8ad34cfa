import { createHash } from 'node:crypto';
import { assetUrl, type WebAssets } from '../../web/assets.ts';
import { attributes, html, raw, type SafeHtml } from './html.ts';

/** GOV.UK Frontend's one inline script: marks the page as having JavaScript before it paints. */
const jsEnabledScript =
  "document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');";
const jsEnabledHash = `'sha256-${createHash('sha256').update(jsEnabledScript).digest('base64')}'`;

export interface NavigationItem {
  href: string;
  text: string;
  current?: boolean;
}

export interface LayoutOptions {
  /** The page's own title; the service name is added. */
  title: string;
  body: SafeHtml;
  assets: WebAssets;
  /** Prefixes the title with "Error: ", as GOV.UK pages do when a form has errors. */
  hasErrors?: boolean;
  navigation?: NavigationItem[];
  /** Shows the sign-out button. */
  signedIn?: boolean;
  /** Pages that keep themselves up to date need somewhere to announce the change. */
  announcer?: boolean;
  serviceName?: string;
}

export const SERVICE_NAME = 'dutyline';

function serviceNavigation(options: LayoutOptions): SafeHtml {
  const items = options.navigation ?? [];
  return html`<section aria-label="Service information" class="govuk-service-navigation" data-module="govuk-service-navigation"><div class="govuk-width-container"><div class="govuk-service-navigation__container"><span class="govuk-service-navigation__service-name"><a href="/" class="govuk-service-navigation__link">${
    options.serviceName ?? SERVICE_NAME
  }</a></span>${
    items.length > 0 || options.signedIn
      ? html`<nav aria-label="Menu" class="govuk-service-navigation__wrapper"><button type="button" class="govuk-service-navigation__toggle govuk-js-service-navigation-toggle" aria-controls="navigation" hidden aria-hidden="true">Menu</button><ul class="govuk-service-navigation__list" id="navigation">${items.map((item) =>
          item.current
            ? html`<li class="govuk-service-navigation__item govuk-service-navigation__item--active"><a class="govuk-service-navigation__link" href="${item.href}" aria-current="page"><strong class="govuk-service-navigation__active-fallback">${item.text}</strong></a></li>`
            : html`<li class="govuk-service-navigation__item"><a class="govuk-service-navigation__link" href="${item.href}">${item.text}</a></li>`,
        )}${
          options.signedIn
            ? html`<li class="govuk-service-navigation__item"><form method="post" action="/auth/logout" class="dutyline-inline-form"><button type="submit" class="dutyline-link-button govuk-service-navigation__link">Sign out</button></form></li>`
            : ''
        }</ul></nav>`
      : ''
  }</div></div></section>`;
}

export function layout(options: LayoutOptions): string {
  const title = `${options.hasErrors ? 'Error: ' : ''}${options.title} – ${options.serviceName ?? SERVICE_NAME}`;
  return html`<!DOCTYPE html>
<html lang="en-GB" class="govuk-template">
<head>
<meta charset="utf-8">
<title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="theme-color" content="#0b0c0c">
<meta name="robots" content="noindex, nofollow">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${assetUrl(options.assets, 'dutyline.css')}">
</head>
<body class="govuk-template__body">
<script>${raw(jsEnabledScript)}</script>
<a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">Skip to main content</a>
<header class="govuk-template__header">${serviceNavigation(options)}</header>
<div class="govuk-width-container">
<main class="govuk-main-wrapper" id="main-content">
${options.body}
</main>
</div>
${options.announcer ? html`<div id="live-announcer" class="govuk-visually-hidden" aria-live="polite" aria-atomic="true"></div>` : ''}
<footer class="govuk-footer"><div class="govuk-width-container"><p class="govuk-body-s">dutyline: the out-of-hours emergency referral line for AMHP services in England and Wales. In an emergency where someone is at immediate risk, call 999.</p></div></footer>
<script type="module"${attributes({ src: assetUrl(options.assets, 'dutyline.js') })}></script>
</body>
</html>`.value;
}

/**
 * Security headers of every page. Pages hold personal data, so nothing is cached (no-store also
 * keeps them out of the back-forward cache); scripts and styles come only from this origin.
 */
export function pageHeaders(options: { formActionOrigins?: string[] } = {}): Record<string, string> {
  const formAction = ["'self'", ...(options.formActionOrigins ?? [])].join(' ');
  return {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': [
      "default-src 'none'",
      `script-src 'self' ${jsEnabledHash}`,
      "style-src 'self'",
      "img-src 'self' data:",
      "connect-src 'self'",
      `form-action ${formAction}`,
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
    'referrer-policy': 'same-origin',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'permissions-policy': 'camera=(), microphone=(), geolocation=()',
  };
}
