/** A referral's audit trail (/manage/referrals/{id}) and the form that records its outcome (/manage/referrals/{id}/close). */
import type { AuditLine } from '../../shared/domain/audit.ts';
import { assessmentResults, closeOutcomes, outcomeLabel, resultLabel, type Closure } from '../../shared/domain/outcomes.ts';
import type { DetailsRetention } from '../../shared/domain/retention.ts';
import { legalStatusLabel } from '../../shared/domain/sms.ts';
import type { Referral } from '../../shared/ports.ts';
import { button, errorSummary, notificationBanner, panel, radios, summaryList, tag, type SummaryError } from '../commons/pages/govuk.ts';
import { html, type SafeHtml } from '../commons/pages/html.ts';
import { referralStatusTag } from '../commons/pages/status-words.ts';
import { time, clockName } from './views.ts';

function closureText(closure: Closure): string {
  return `${outcomeLabel[closure.outcome]}${closure.result ? `: ${resultLabel[closure.result]}` : ''}`;
}

/** The person's details are kept apart from the audit trail, which outlives them. */
function retentionText(retention: DetailsRetention): SafeHtml {
  if (retention.status === 'held') return html`Kept until ${time(retention.removeAt)} under the retention policy`;
  return html`Removed${retention.removedAt ? html` ${time(retention.removedAt)}` : ''} under the retention policy; this audit trail is kept`;
}

export function auditPage(input: {
  referral: Referral;
  lines: readonly AuditLine[];
  teamName: string | null;
  holderName: string | null;
  legalStatus: keyof typeof legalStatusLabel;
  retention: DetailsRetention;
  canClose: boolean;
  notice?: string;
}): SafeHtml {
  const { referral } = input;
  const [text, colour] = referralStatusTag[referral.status];
  return html`${input.notice ? notificationBanner('Done', html`<p class="govuk-notification-banner__heading">${input.notice}</p>`, { success: true }) : ''}
<span class="govuk-caption-l">Audit trail</span>
<h1 class="govuk-heading-l">Referral ${referral.reference}</h1>
${summaryList([
  { key: 'Team', value: input.teamName ?? 'No team yet' },
  { key: 'Area', value: referral.district },
  { key: 'Legal status', value: legalStatusLabel[input.legalStatus] },
  { key: 'State', value: tag(text, colour), id: 'referral-state' },
  { key: 'Held by', value: input.holderName ?? 'Nobody' },
  { key: 'Received', value: time(referral.createdAt) },
  ...referral.clocks.map((clock) => ({ key: `${clockName[clock.kind]} clock`, value: html`from ${time(clock.startedAt)} to ${time(clock.expiresAt)}${clock.extension ? ' (extended)' : ''}` })),
  ...(referral.closure ? [{ key: 'Outcome', value: closureText(referral.closure), id: 'referral-outcome' }] : []),
  { key: 'Personal details', value: retentionText(input.retention), id: 'personal-details' },
])}
${input.canClose ? html`<a class="govuk-button" data-module="govuk-button" href="/manage/referrals/${referral.id}/close" role="button" draggable="false">Record the outcome</a>` : ''}
<h2 class="govuk-heading-m">Timeline</h2>
<p class="govuk-body">Everything that happened to this referral, oldest first, in UK time. <a class="govuk-link" href="/manage/referrals/${referral.id}?format=csv" download>Download as CSV</a> or <a class="govuk-link" href="/manage/referrals/${referral.id}?format=json" download>as JSON</a>.</p>
<table class="govuk-table dutyline-timeline" id="audit-timeline"><thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">When</th><th scope="col" class="govuk-table__header">What happened</th><th scope="col" class="govuk-table__header">Who</th></tr></thead>
<tbody class="govuk-table__body">${input.lines.map(
    (line) => html`<tr class="govuk-table__row" data-type="${line.type}"><td class="govuk-table__cell">${time(line.at)}</td><td class="govuk-table__cell">${line.text}</td><td class="govuk-table__cell">${line.who ?? ''}</td></tr>`,
  )}</tbody></table>`;
}

export interface CloseFormValues {
  outcome?: string;
  result?: string;
}

export function closeFormPage(input: { referral: Referral; values: CloseFormValues; errors: { outcome?: string; result?: string } }): SafeHtml {
  const { referral, values, errors } = input;
  const summary: SummaryError[] = [
    ...(errors.outcome ? [{ text: errors.outcome, href: '#outcome' }] : []),
    ...(errors.result ? [{ text: errors.result, href: '#result' }] : []),
  ];
  const resultRadios = radios({
    id: 'result',
    name: 'result',
    legend: 'What did the assessment decide?',
    error: errors.result,
    value: values.result,
    small: true,
    items: assessmentResults.map((result) => ({ value: result, text: resultLabel[result] })),
  });
  return html`${errorSummary(summary)}<span class="govuk-caption-l">Referral ${referral.reference}, ${referral.district}</span>
<form method="post" action="/manage/referrals/${referral.id}/close" novalidate>
${radios({
  id: 'outcome',
  name: 'outcome',
  legend: 'What was the outcome?',
  labelSize: 'l',
  hint: 'The referral leaves the live board once its outcome is recorded. Do not write anything about the person here.',
  error: errors.outcome,
  value: values.outcome,
  items: closeOutcomes.map((outcome) => ({
    value: outcome,
    text: outcomeLabel[outcome],
    ...(outcome === 'assessed' ? { conditional: resultRadios } : {}),
  })),
})}
${button('Record the outcome')}
</form>`;
}

export function closedPanel(referral: Referral, managing: boolean): SafeHtml {
  return html`${panel('Referral closed', html`${referral.reference}<br><strong>${referral.closure ? closureText(referral.closure) : ''}</strong>`)}
<p class="govuk-body">It has left the live board${referral.assignedTo ? ', and the AMHP who held it can be paged first again' : ''}.</p>
${managing ? html`<p class="govuk-body"><a class="govuk-link" href="/manage/board">Back to the live board</a></p><p class="govuk-body"><a class="govuk-link" href="/manage/referrals/${referral.id}">See its audit trail</a></p>` : ''}`;
}
