import type { HttpResult } from '../commons/http.ts';
import { json } from '../commons/http.ts';

export const handler = async (): Promise<HttpResult> => json(200, { status: 'ok' });
