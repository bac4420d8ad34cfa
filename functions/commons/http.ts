import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { roles, type Role } from '../../infra/definition-names.ts';
import type { Caller } from '../../shared/app/caller.ts';
import { fieldsNeedAttention } from '../../shared/domain/wording.ts';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResult = APIGatewayProxyStructuredResultV2;

export interface Issue {
  path: string;
  message: string;
}

export const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(body),
});

export const html = (statusCode: number, body: string): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  body,
});

/** Contract v1 error body. Messages name the field and the reason, never the value. */
export const problem = (statusCode: number, error: string, message: string, issues?: Issue[]): HttpResult =>
  json(statusCode, { error, message, ...(issues ? { issues } : {}) });

export const invalid = (issues: Issue[]) =>
  problem(400, 'validation_failed', fieldsNeedAttention(issues.length), issues);
export const forbidden = (message = 'You are not allowed to do this') => problem(403, 'forbidden', message);
export const notFound = (what: string) => problem(404, 'not_found', `${what} not found`);

/** Limit on request bodies; API Gateway allows 10 MB, a referral is a few KB. */
export const MAX_BODY_BYTES = 256 * 1024;

export type BodyResult = { ok: true; value: unknown } | { ok: false; response: HttpResult };

/**
 * The body as text, after the checks every JSON endpoint wants: size and content type. For a
 * caller that needs the exact bytes (the signed telephony webhook) before parsing them.
 */
export function jsonText(event: HttpEvent): { ok: true; text: string } | { ok: false; response: HttpResult } {
  const text = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : (event.body ?? '');
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
    return { ok: false, response: problem(413, 'body_too_large', `the body must be at most ${MAX_BODY_BYTES} bytes`) };
  }
  if (!/^application\/json\b/i.test(header(event, 'content-type') ?? '')) {
    return { ok: false, response: problem(415, 'unsupported_media_type', 'the body must be application/json') };
  }
  return { ok: true, text };
}

/** Parses a JSON body with the checks every endpoint wants: size, content type, syntax. */
export function jsonBody(event: HttpEvent): BodyResult {
  const text = jsonText(event);
  if (!text.ok) return text;
  try {
    return { ok: true, value: JSON.parse(text.text) };
  } catch {
    return { ok: false, response: problem(400, 'invalid_json', 'the body is not valid JSON') };
  }
}

export function header(event: HttpEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** Cognito puts groups in `cognito:groups`; through an HTTP API authorizer they arrive as "[a b]". */
function groupsOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.map(String);
  if (typeof claim !== 'string') return [];
  return claim.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean);
}

export function callerOf(event: HttpEvent): Caller | null {
  return callerFromClaims(event.requestContext.authorizer?.jwt?.claims);
}

/** The caller named by verified ID-token claims: from the API's authorizer, or from a web session cookie. */
export function callerFromClaims(claims: Record<string, unknown> | undefined | null): Caller | null {
  if (!claims || typeof claims.sub !== 'string') return null;
  const staffId = claims['custom:staffId'];
  return {
    userId: claims.sub,
    roles: groupsOf(claims['cognito:groups']).filter((g): g is Role => (roles as string[]).includes(g)),
    ...(typeof staffId === 'string' && staffId ? { staffId } : {}),
  };
}

export const unauthorised = () => problem(401, 'unauthorised', 'sign in first');
