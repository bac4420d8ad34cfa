/**
 * Signs in on the local runtime's stand-in for Cognito (`POST /local/login`) and returns the
 * bearer token. A refused sign-in throws, so a test never goes on with no token.
 */
export async function localToken(baseUrl: string, username: string, roles?: string[]): Promise<string> {
  const response = await fetch(`${baseUrl}/local/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, ...(roles ? { roles } : {}) }),
  });
  if (response.status !== 200) throw new Error(`local sign-in as ${username} answered ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

/** An answer from the local API: its status and JSON body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
export type ApiAnswer = { status: number; body: Record<string, any> };

/**
 * `api(method, path, token, body?, headers?)` against a local runtime's HTTP API, with the
 * bearer token and a JSON body; the answer's body is parsed as JSON (empty bodies as `{}`).
 */
export function localApi(baseUrl: string | (() => string)) {
  return async (method: string, path: string, token: string | undefined, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> => {
    const response = await fetch(`${typeof baseUrl === 'string' ? baseUrl : baseUrl()}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as ApiAnswer['body']) };
  };
}
