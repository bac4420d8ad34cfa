/** What the operator tools (`npm run load`, `npm run smoke`) share: the HTTP API, sign-in and output. */
import { request, type Answer } from '../../shared/adapters/fetch-api.ts';

export { baseUrlOf, request, type Answer, type RequestOptions } from '../../shared/adapters/fetch-api.ts';
export { refusalOf as refusal } from '../../shared/app/line-check.ts';

/** Where the tools write; tests collect the lines. */
export interface Output {
  line(text: string): void;
}

export const consoleOutput: Output = { line: (text) => console.log(text) };

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
