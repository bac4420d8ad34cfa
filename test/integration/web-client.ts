/**
 * A browser without JavaScript, over HTTP: keeps cookies, follows redirects one by one (so a test
 * can see each), and posts forms as `application/x-www-form-urlencoded` with the page's Origin.
 */
export interface Page {
  status: number;
  url: string;
  html: string;
  headers: Headers;
  /** Each redirect on the way, with its Set-Cookie headers. */
  hops: { status: number; location: string; setCookies: string[] }[];
}

export class WebClient {
  readonly cookies = new Map<string, string>();

  constructor(private readonly baseUrl: string) {}

  private remember(setCookies: string[]) {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private cookieHeader() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async request(method: 'GET' | 'POST', path: string, form?: Record<string, string | string[]>, headers: Record<string, string> = {}): Promise<Page> {
    const hops: Page['hops'] = [];
    let url = new URL(path, this.baseUrl).toString();
    let body: string | undefined;
    if (form) {
      const params = new URLSearchParams();
      for (const [name, value] of Object.entries(form)) for (const v of [value].flat()) params.append(name, v);
      body = params.toString();
    }
    for (let i = 0; i < 10; i++) {
      const response = await fetch(url, {
        method,
        redirect: 'manual',
        headers: {
          ...(this.cookies.size > 0 ? { cookie: this.cookieHeader() } : {}),
          ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(this.baseUrl).origin } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body } : {}),
      });
      const setCookies = response.headers.getSetCookie();
      this.remember(setCookies);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        hops.push({ status: response.status, location, setCookies });
        url = new URL(location, url).toString();
        method = 'GET';
        body = undefined;
        continue;
      }
      return { status: response.status, url, html: await response.text(), headers: response.headers, hops };
    }
    throw new Error('too many redirects');
  }

  get(path: string) {
    return this.request('GET', path);
  }

  post(path: string, form: Record<string, string | string[]>, headers: Record<string, string> = {}) {
    return this.request('POST', path, form, headers);
  }

  /** Through /auth/login, the local sign-in page and /auth/callback, as a person would. */
  async signIn(username: string, next = '/referrals/new'): Promise<Page> {
    const signInPage = await this.get(`/auth/login?next=${encodeURIComponent(next)}`);
    const hidden = Object.fromEntries(
      [...signInPage.html.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map(([, name, value]) => [name ?? '', decode(value ?? '')]),
    );
    return this.post('/local/sign-in', { ...hidden, user: username });
  }
}

const decode = (text: string) => text.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/** The value of a hidden input on a page. */
export const hiddenValue = (html: string, name: string) => decode(new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '');
