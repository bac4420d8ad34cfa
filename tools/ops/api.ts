/** What the operator tools (`npm run load`, `npm run smoke`) share: the HTTP API, sign-in and output. */

/** Where the tools write; tests collect the lines. */
export interface Output {
  line(text: string): void;
}

export const consoleOutput: Output = { line: (text) => console.log(text) };

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
}

/** The API's base URL without a trailing slash: the stack's `ApiUrl` output ends with one. */
export const baseUrlOf = (url: string) => url.replace(/\/+$/, '');

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

/**
 * Signs in on the local runtime's stand-in for Cognito. Anything but a local runtime answers
 * `/local/login` with 404 (API Gateway has no such route), which is named, so an operator who
 * forgot `--token` against AWS is told so rather than shown a 404.
 */
export async function localSignIn(baseUrl: string, username: string, roles?: string[]): Promise<{ token: string } | { error: string }> {
  let answer: Answer;
  try {
    answer = await request(baseUrl, 'POST', '/local/login', { json: { username, ...(roles ? { roles } : {}) } });
  } catch (error) {
    return { error: `cannot reach ${baseUrl} (${error instanceof Error ? error.message : 'no answer'})` };
  }
  if (answer.status === 200 && typeof answer.body.token === 'string') return { token: answer.body.token };
  if (answer.status === 404) {
    return { error: `no token was given and ${baseUrl} is not a local runtime (POST /local/login answered ${answer.status}): against AWS, give --token <ID token> or set DUTYLINE_TOKEN` };
  }
  return { error: `local sign-in as ${username} answered ${answer.status}` };
}

/** What an API refusal says, without echoing what was sent. */
export function refusal(answer: Answer): string {
  const { error, message } = answer.body;
  if (answer.status === 401) return 'the token was refused (an ID token lasts 1 hour: sign in again)';
  if (answer.status === 403) return `forbidden: ${typeof message === 'string' ? message : 'the signed-in user may not do this'}`;
  const parts = [typeof error === 'string' ? error : '', typeof message === 'string' ? message : ''].filter(Boolean);
  return parts.length > 0 ? parts.join(': ') : `HTTP ${answer.status}`;
}

/**
 * The claims of a Cognito ID token, read without checking the signature (the API checks it): only
 * to tell the operator early that they passed the wrong user's token.
 */
export function unverifiedClaims(token: string): Record<string, unknown> | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export const groupsOf = (claims: Record<string, unknown> | null): string[] => {
  const groups = claims?.['cognito:groups'];
  return Array.isArray(groups) ? groups.filter((group): group is string => typeof group === 'string') : [];
};
