/**
 * The EDT managers' pages, in the GOV.UK layout (functions/commons/pages/layout.ts): the frame
 * every page shares (navigation, status, headers) and the formatting they have in common. Each
 * page is a file of its own: board-view.ts, handover-view.ts, report-view.ts (with
 * figures-views.ts), coverage-view.ts and audit-view.ts. No page shows personal data of the
 * subject: references, postcode districts, legal status and staff names only.
 */
import type { ClockLevel } from '../../shared/domain/board.ts';
import type { Position, StatutoryClock } from '../../shared/domain/types.ts';
import type { HttpResult } from '../commons/http.ts';
import type { WebAssets } from '../web/assets.ts';
import type { TagColour } from '../commons/pages/govuk.ts';
import { html, type SafeHtml } from '../commons/pages/html.ts';
import { layout, pageHeaders, type NavigationItem } from '../commons/pages/layout.ts';
import type { Session } from '../web/session.ts';
import { whenText } from '../web/pages.ts';

export type ManagerSection = 'board' | 'handover' | 'response-times' | 'coverage' | null;

/** How often the board asks for itself again (functions/web/client/dutyline.js swaps the region in). */
export const BOARD_REFRESH_SECONDS = 15;

const navigation = (section: ManagerSection, managing: boolean): NavigationItem[] =>
  managing
    ? [
        { href: '/manage/board', text: 'Live board', current: section === 'board' },
        { href: '/manage/handover', text: 'Handover', current: section === 'handover' },
        { href: '/manage/response-times', text: 'Response times', current: section === 'response-times' },
        { href: '/manage/coverage', text: 'Rota coverage', current: section === 'coverage' },
      ]
    : [];

export interface ManagerPageResponse {
  status: number;
  title: string;
  body: SafeHtml;
  session: Session | null;
  section?: ManagerSection;
  /** Show the managers' navigation (not to an AMHP recording an outcome). */
  managing?: boolean;
  announcer?: boolean;
  hasErrors?: boolean;
  formActionOrigins?: string[];
}

export function managerPage(assets: WebAssets, page: ManagerPageResponse): HttpResult {
  return {
    statusCode: page.status,
    headers: pageHeaders({ formActionOrigins: page.formActionOrigins ?? [] }),
    body: layout({
      title: page.title,
      body: page.body,
      assets,
      navigation: navigation(page.section ?? null, page.managing ?? true),
      signedIn: page.session !== null,
      announcer: page.announcer ?? false,
      hasErrors: page.hasErrors ?? false,
    }),
  };
}

export const messageBody = (title: string, lines: (string | SafeHtml)[]) =>
  html`<h1 class="govuk-heading-l">${title}</h1>${lines.map((line) => html`<p class="govuk-body">${line}</p>`)}`;

// --- formatting ---------------------------------------------------------------------------------

export const time = (instant: string) => html`<time datetime="${instant}">${whenText(instant)}</time>`;

/** `45 s`, `12 min`, `2 h 05 min`: minutes to the nearest. */
export function durationText(seconds: number | null): string {
  if (seconds === null) return '–';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

export const minutesText = (minutes: number | null) => (minutes === null ? '–' : minutes < 1 ? 'under 1 min' : durationText(minutes * 60));
export const percentText = (rate: number | null) => (rate === null ? '–' : `${Math.round(rate * 1000) / 10}%`);

export const clockColour: Record<ClockLevel, TagColour> = { running: 'green', warning: 'orange', critical: 'red', expired: 'red' };
export const clockName: Record<StatutoryClock['kind'], string> = { s136: 's136', s135: 's135', s5_2: 's5(2)', s5_4: 's5(4)', s135_2: 's135(2)', s4: 's4', s2: 's2', cto_recall: 'CTO recall' };

export const positionName: Record<Position, string> = { primary: 'Primary AMHP', secondary: 'Secondary AMHP', manager: 'Manager', additional: 'Additional AMHP' };
