/** What the rota handlers share: who may see and change a team's rota, and bodies in three formats. */
import { hasRole, isTeamStaff, type Caller } from '../../shared/app/caller.ts';
import type { RotaFormat } from '../../shared/app/directory-admin.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { header, problem, type HttpEvent, type HttpResult } from '../commons/http.ts';

/** A year or two of shifts as CSV or iCalendar is a few MB; Lambda takes at most 6 MB in a request. */
export const MAX_ROTA_BYTES = 5 * 1024 * 1024;

export const canSeeRota = async (deps: Dependencies, caller: Caller, teamId: string) =>
  hasRole(caller, 'admin') || (await isTeamStaff(deps, caller, teamId));

export const canChangeRota = async (deps: Dependencies, caller: Caller, teamId: string) =>
  hasRole(caller, 'admin') || (hasRole(caller, 'manager') && (await isTeamStaff(deps, caller, teamId)));

const formats: [RegExp, RotaFormat][] = [
  [/^application\/json\b/i, 'json'],
  [/^text\/csv\b/i, 'csv'],
  [/^text\/calendar\b/i, 'ics'],
];

export type RotaBody = { ok: true; format: RotaFormat; value: unknown } | { ok: false; response: HttpResult };

/** The body and its format, by Content-Type: JSON is parsed, CSV and iCalendar stay text. */
export function rotaBody(event: HttpEvent): RotaBody {
  const raw = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : (event.body ?? '');
  if (Buffer.byteLength(raw) > MAX_ROTA_BYTES) {
    return { ok: false, response: problem(413, 'body_too_large', `the body must be at most ${MAX_ROTA_BYTES} bytes`) };
  }
  const type = header(event, 'content-type') ?? '';
  const format = formats.find(([pattern]) => pattern.test(type))?.[1];
  if (!format) {
    return { ok: false, response: problem(415, 'unsupported_media_type', 'the body must be application/json, text/csv or text/calendar') };
  }
  if (format !== 'json') return { ok: true, format, value: raw };
  try {
    return { ok: true, format, value: JSON.parse(raw) };
  } catch {
    return { ok: false, response: problem(400, 'invalid_json', 'the body is not valid JSON') };
  }
}

/** Which export a request wants: `?format=` first, then the Accept header; JSON by default. */
export function wantedFormat(event: HttpEvent, format: RotaFormat | undefined): RotaFormat {
  if (format) return format;
  const accept = header(event, 'accept') ?? '';
  if (/text\/csv/i.test(accept)) return 'csv';
  if (/text\/calendar/i.test(accept)) return 'ics';
  return 'json';
}

export const text = (statusCode: number, body: string, contentType: string, filename?: string): HttpResult => ({
  statusCode,
  headers: {
    'content-type': contentType,
    'cache-control': 'no-store',
    ...(filename ? { 'content-disposition': `attachment; filename="${filename}"` } : {}),
  },
  body,
});
