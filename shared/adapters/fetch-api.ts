/**
 * dutyline's own HTTP API, called over HTTP(S) with fetch: what the operator tools (`npm run load`,
 * `npm run smoke`) and the canary function use to act as a user would.
 */

/** The API's base URL without a trailing slash: the stack's `ApiUrl` output ends with one. */
export const baseUrlOf = (url: string) => url.replace(/\/+$/, '');

export interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read field by field
  body: Record<string, any>;
  ms: number;
}

export interface RequestOptions {
  token?: string;
  json?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Gives up after this long (default 30 s): a scheduled canary must not hang until its timeout. */
  timeoutMs?: number;
}

/** One request, timed; a body that is not JSON comes back as `{ text }`. */
export async function request(baseUrl: string, method: string, path: string, options: RequestOptions = {}): Promise<Answer> {
  const started = performance.now();
  const body = options.json !== undefined ? JSON.stringify(options.json) : options.text;
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(body !== undefined ? { 'content-type': options.contentType ?? 'application/json' } : {}),
      ...options.headers,
    },
    ...(body !== undefined ? { body } : {}),
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  const raw = await response.text();
  let parsed: Answer['body'];
  try {
    parsed = raw === '' ? {} : (JSON.parse(raw) as Answer['body']);
  } catch {
    parsed = { text: raw.slice(0, 200) };
  }
  return { status: response.status, body: parsed, ms: Math.round(performance.now() - started) };
}
