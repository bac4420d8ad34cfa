import type { Dependencies } from '../../shared/ports.ts';
import type { HttpResult } from '../commons/http.ts';
import { lambdaEntry } from '../commons/wiring.ts';
import { openApiDocument } from './document.ts';

/** `GET /api/openapi.json`: built once per instance from the definition and the zod schemas. */
export const makeHandler = (deps: Dependencies) => {
  let document: string | undefined;
  return async (): Promise<HttpResult> => {
    document ??= JSON.stringify(openApiDocument(deps.publicBaseUrl || undefined));
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/vnd.oai.openapi+json; charset=utf-8', 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' },
      body: document,
    };
  };
};

export const handler = lambdaEntry(makeHandler);
