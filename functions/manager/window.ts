/** The window of a response-time report: London dates, both ends included; the last 28 days by default, a year at most. */
import * as z from 'zod';
import { addDays, instantToLocal, isLocalDate, startOfLocalDay } from '../../shared/domain/rota-time.ts';

/** A year and a day: the annual returns (Home Office, AMHP surveys) cover a year, leap years included. */
export const MAX_REPORT_DAYS = 366;
export const DEFAULT_REPORT_DAYS = 28;

const localDate = z.string().refine(isLocalDate, 'must be a date such as 2026-10-24');

export const reportQuery = z.object({
  from: localDate.optional(),
  to: localDate.optional(),
  format: z.enum(['html', 'csv', 'json', 'figures-csv']).default('html'),
});

export interface ReportWindow {
  fromDate: string;
  toDate: string;
  from: Date;
  to: Date;
}

export type WindowResult = { ok: true; window: ReportWindow; format: 'html' | 'csv' | 'json' | 'figures-csv' } | { ok: false; issues: { path: string; message: string }[] };

export function reportWindow(query: Record<string, string | undefined> | undefined, now: Date): WindowResult {
  const parsed = reportQuery.safeParse(query ?? {});
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
  const toDate = parsed.data.to ?? instantToLocal(now).date;
  const fromDate = parsed.data.from ?? addDays(toDate, -(DEFAULT_REPORT_DAYS - 1));
  if (fromDate > toDate) return { ok: false, issues: [{ path: 'from', message: 'must be on or before the end date' }] };
  if (addDays(fromDate, MAX_REPORT_DAYS - 1) < toDate) return { ok: false, issues: [{ path: 'to', message: `must be at most ${MAX_REPORT_DAYS} days after the start date` }] };
  return {
    ok: true,
    format: parsed.data.format,
    window: { fromDate, toDate, from: startOfLocalDay(fromDate), to: startOfLocalDay(addDays(toDate, 1)) },
  };
}
