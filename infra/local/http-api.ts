import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { routes, type RouteDefinition } from '../definition.ts';
import type { LocalIdentityProvider } from './identity.ts';
import { lambdaContext, type Invoke } from './queue-poller.ts';

export type HttpInvoke = Invoke<APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2>;

/** API Gateway's own limit on a request body. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  names: string[];
}

const compiled: CompiledRoute[] = routes.map((route) => {
  const names: string[] = [];
  const pattern = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${pattern}$`), names };
});

/** The routes this stand-in for API Gateway serves. */
export const servedRoutes = (): RouteDefinition[] => compiled.map(({ route }) => route);

/** A malformed escape (`%E0%A4%A`) is kept as sent rather than failing the request. */
function decodePathParameter(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function matchRoute(method: string, path: string) {
  for (const { route, pattern, names } of compiled) {
    if (route.method !== method) continue;
    const match = pattern.exec(path);
    if (match) {
      return { route, pathParameters: Object.fromEntries(names.map((n, i) => [n, decodePathParameter(match[i + 1] ?? '')])) };
    }
  }
  return null;
}

export async function readBody(request: IncomingMessage, limit = MAX_REQUEST_BYTES): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function send(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(body);
}

/**
 * What API Gateway's HTTP API does in front of the functions: match the route, check the JWT on
 * protected routes (401 before the function runs), and hand over a payload-format 2.0 event.
 */
export async function serveApiRoute(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  identity: LocalIdentityProvider,
  invokers: (route: RouteDefinition) => Promise<HttpInvoke>,
  onError: (error: unknown, requestId: string) => void,
): Promise<boolean> {
  const method = request.method ?? 'GET';
  const matched = matchRoute(method, url.pathname);
  if (!matched) return false;
  const { route, pathParameters } = matched;
  let claims: Record<string, string | number | boolean | string[]> | undefined;
  if (route.auth === 'jwt') {
    const payload = await identity.verify(request.headers.authorization);
    if (!payload) {
      send(response, 401, JSON.stringify({ message: 'Unauthorized' }));
      return true;
    }
    claims = payload as typeof claims;
  }
  const body = await readBody(request);
  if (body === null) {
    send(response, 413, JSON.stringify({ message: 'Request Entity Too Large' }));
    return true;
  }
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[key.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  // Payload format 2.0 moves the Cookie header into `cookies`.
  const cookies = headers.cookie?.split(';').map((c) => c.trim()).filter(Boolean);
  delete headers.cookie;
  const textBody = isTextContent(headers['content-type']);
  const query = Object.fromEntries(url.searchParams.entries());
  const now = Date.now();
  const event: APIGatewayProxyEventV2WithJWTAuthorizer = {
    version: '2.0',
    routeKey: `${route.method} ${route.path}`,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'local',
      http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: request.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey: `${route.method} ${route.path}`,
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: claims ?? {}, scopes: [] } },
    },
    ...(cookies && cookies.length > 0 ? { cookies } : {}),
    ...(body.length > 0 ? { body: body.toString(textBody ? 'utf8' : 'base64') } : {}),
    isBase64Encoded: body.length > 0 && !textBody,
  };
  let result: APIGatewayProxyStructuredResultV2;
  try {
    result = await (await invokers(route))(event, lambdaContext(route.function));
  } catch (error) {
    // As API Gateway does when the function fails: no detail leaves the server, the log has the id.
    onError(error, event.requestContext.requestId);
    send(response, 500, JSON.stringify({ message: 'Internal Server Error' }), { 'x-request-id': event.requestContext.requestId });
    return true;
  }
  const responseHeaders: Record<string, string | string[]> = { 'content-type': 'application/json' };
  for (const [key, value] of Object.entries(result.headers ?? {})) responseHeaders[key.toLowerCase()] = String(value);
  // Each of the result's `cookies` becomes a Set-Cookie header; a base64 body is sent as bytes.
  if (result.cookies && result.cookies.length > 0) responseHeaders['set-cookie'] = result.cookies;
  response.writeHead(result.statusCode ?? 200, responseHeaders);
  response.end(result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? ''));
  return true;
}

/** API Gateway hands text bodies over as they are and base64-encodes the rest (form posts included). */
function isTextContent(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return type === '' || type.startsWith('text/') || /^application\/(.+\+)?(json|xml|javascript)$/.test(type);
}
