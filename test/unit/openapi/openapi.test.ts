import { describe, expect, it } from 'vitest';
import { isApiRoute, openApiDocument, operations } from '../../../functions/openapi/document.ts';
import { routes } from '../../../infra/definition.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- an OpenAPI document is checked key by key

const document = openApiDocument() as Json;
const operationKeys = (doc: Json) =>
  Object.entries(doc.paths as Json).flatMap(([path, methods]) => Object.keys(methods as Json).map((method) => `${method.toUpperCase()} ${path}`));

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1', () => {
    expect(document.openapi).toBe('3.1.0');
  });

  it('describes exactly the API routes of infra/definition.ts, with the auth each has', () => {
    const apiRoutes = routes.filter(isApiRoute);
    expect(operationKeys(document).sort()).toEqual(apiRoutes.map((route) => `${route.method} ${route.path}`).sort());
    for (const route of apiRoutes) {
      const operation = document.paths[route.path][route.method.toLowerCase()] as Json;
      expect(operation.security, `${route.method} ${route.path}`).toEqual(route.auth === 'jwt' ? [{ bearerAuth: [] }] : expect.not.arrayContaining([{ bearerAuth: [] }]));
      for (const [, name] of route.path.matchAll(/\{(\w+)\}/g)) {
        expect(operation.parameters).toContainEqual(expect.objectContaining({ name, in: 'path', required: true }));
      }
    }
  });

  it('has no description of a route that does not exist', () => {
    const defined = new Set(routes.map((route) => `${route.method} ${route.path}`));
    for (const key of Object.keys(operations)) expect(defined, key).toContain(key);
  });

  it('leaves out the web pages and texted links, which are not for integrators', () => {
    expect(Object.keys(document.paths)).not.toContain('/referrals/new');
    expect(Object.keys(document.paths)).not.toContain('/a/{token}');
  });

  it('takes its request bodies from the same zod schemas the API validates with', () => {
    const { WebReferral, PhoneReferral, TelephonyReferral } = document.components.schemas as Json;
    expect(WebReferral.required).toEqual(expect.arrayContaining(['referrer', 'subject', 'legal', 'reason', 'urgency']));
    expect(WebReferral.properties.referrer.properties.kind.enum).toContain('police');
    expect(WebReferral.properties.legal.properties.status.enum).toEqual(['none', 's136', 's135_1', 's135_2', 's5_2', 's5_4', 's2', 's3', 'other', 's4', 'cto_recall']);
    expect(PhoneReferral.required).toEqual(['channel', 'callbackPhone', 'currentLocation', 'legal', 'urgency']);
    expect(TelephonyReferral.required).toEqual(['callbackPhone', 'currentLocation', 'legal', 'urgency']);
    expect(document.paths['/api/referrals'].post.requestBody.content['application/json'].schema).toEqual({
      oneOf: [{ $ref: '#/components/schemas/WebReferral' }, { $ref: '#/components/schemas/PhoneReferral' }],
    });
  });

  it('documents the s136B extension body the endpoint takes, superintendent included', () => {
    const { ClockExtension } = document.components.schemas as Json;
    expect(Object.keys(ClockExtension.properties).sort()).toEqual(['doctorName', 'hours', 'reason', 'superintendentName']);
  });

  it('documents how telephony webhooks are signed', () => {
    const webhook = document.paths['/api/telephony/referrals'].post as Json;
    expect(webhook.security).toEqual([{ webhookSignature: [] }]);
    expect(webhook.description).toContain('HMAC-SHA256');
    expect(webhook.responses).toHaveProperty('409');
  });

  it('has every $ref resolve', () => {
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map(([, name]) => name);
    expect(refs.length).toBeGreaterThan(5);
    for (const name of refs) expect(document.components.schemas).toHaveProperty(name!);
  });
});
