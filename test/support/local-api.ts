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
