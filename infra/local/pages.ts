import type { IncomingMessage, ServerResponse } from 'node:http';
import { webAssets } from '../../functions/web/assets.ts';
import { button, input } from '../../functions/commons/pages/govuk.ts';
import { html } from '../../functions/commons/pages/html.ts';
import { layout, pageHeaders } from '../../functions/commons/pages/layout.ts';
import { formatUkPhone, normaliseUkPhone } from '../../shared/domain/phone.ts';
import type { CanaryRun } from '../../shared/app/canary.ts';
import { scheduleTriggers } from '../definition.ts';
import { LOCAL_CANARY_PHONE } from './canary.ts';
import { readBody } from './http-api.ts';
import { demoReferrers, demoStaff } from './seed.ts';
import type { LocalCallOutbox } from './call-outbox.ts';
import type { LocalSmsOutbox } from './sms-outbox.ts';

/**
 * The local runtime's own pages: an index, and a "phone" per number showing the SMS it received
 * and the voice calls it was rung with (their words), with a reply box (a reply arrives as two-way SMS would). They exist only locally; the referral
 * form and status pages are the web function's, served as in AWS.
 */
export interface LocalPhone {
  outbox: LocalSmsOutbox;
  /** Voice calls placed to each phone, shown with their words. */
  calls: LocalCallOutbox;
  /** Sends a reply from `from` as two-way SMS would deliver it. */
  reply(from: string, body: string): Promise<void>;
  /** The canary's last run (infra/local/canary.ts), if it has run. */
  canary?: () => CanaryRun | undefined;
}

const owners = () => [
  { phone: LOCAL_CANARY_PHONE, name: 'the canary team (synthetic)' },
  ...demoStaff.map((staff) => ({ phone: staff.phone, name: `${staff.name} (${staff.roles.join(', ')})` })),
  ...demoReferrers.map((referrer) => ({ phone: referrer.phone, name: referrer.label })),
];

const LOCAL = 'dutyline (local)';

async function render(response: ServerResponse, status: number, title: string, body: ReturnType<typeof html>, announcer = false) {
  response.writeHead(status, pageHeaders());
  response.end(layout({ title, body, assets: await webAssets(), serviceName: LOCAL, announcer }));
}

/** The canary's last run: when, pass or fail, and each step's time (shared/app/canary.ts). */
function canarySection(run: CanaryRun | undefined) {
  if (!run) {
    return html`<h2 class="govuk-heading-m">Canary</h2>
<p class="govuk-body" id="canary">The canary has not run yet: it sends a synthetic referral every ${CANARY_MINUTES} minutes.</p>`;
  }
  return html`<h2 class="govuk-heading-m">Canary</h2>
<div id="canary">
<p class="govuk-body"><strong class="govuk-tag ${run.ok ? 'govuk-tag--green' : 'govuk-tag--red'}">${run.ok ? 'Passed' : 'Failed'}</strong>
 last run <time datetime="${run.at}">${run.at}</time>, ${run.totalMs} ms${run.reference ? html`, referral ${run.reference}` : ''} (every ${CANARY_MINUTES} minutes)</p>
${run.failure ? html`<p class="govuk-body">${run.failure}</p>` : ''}${run.cleanup ? html`<p class="govuk-body">${run.cleanup}</p>` : ''}
<table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--s">Steps</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Step</th><th scope="col" class="govuk-table__header">Result</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Time (ms)</th></tr></thead>
<tbody class="govuk-table__body">${run.steps.map(
    (step) =>
      html`<tr class="govuk-table__row"><td class="govuk-table__cell">${step.name}</td><td class="govuk-table__cell">${step.ok ? 'ok' : 'failed'}</td><td class="govuk-table__cell govuk-table__cell--numeric">${step.ms}</td></tr>`,
  )}</tbody></table>
</div>`;
}

const CANARY_MINUTES = scheduleTriggers.find((trigger) => trigger.function === 'canary')?.everyMinutes;

const index = (canary: CanaryRun | undefined) => html`<h1 class="govuk-heading-l">dutyline, running locally</h1>
<ul class="govuk-list">
<li><a class="govuk-link" href="/referrals/new">Make a referral</a> (sign in as the GP or the police officer)</li>
<li><a class="govuk-link" href="/referrals">Referrals you made</a></li>
<li><a class="govuk-link" href="/api/openapi.json">API description (OpenAPI)</a></li>
</ul>
<h2 class="govuk-heading-m">Phones</h2>
<ul class="govuk-list">${owners().map((owner) => html`<li><a class="govuk-link" href="/phone/${encodeURIComponent(owner.phone)}">Phone of ${owner.name}</a></li>`)}</ul>
${canarySection(canary)}`;

/** A text as a phone shows it: links can be followed (an accept link, locally). */
const withLinks = (body: string) =>
  body.split(/(https?:\/\/\S+)/).map((part, i) => (i % 2 === 1 ? html`<a class="govuk-link" href="${part}">${part}</a>` : part));

function phonePage(number: string, outbox: LocalSmsOutbox, callOutbox: LocalCallOutbox) {
  const owner = owners().find((o) => o.phone === number);
  const messages = outbox.list(number);
  const calls = callOutbox.list(number);
  const last = messages.at(-1);
  return html`<span class="govuk-caption-l">${owner?.name ?? 'Unknown owner'}</span>
<h1 class="govuk-heading-l">Phone ${formatUkPhone(number)}</h1>
<h2 class="govuk-heading-m">Messages</h2>
<div id="messages" data-refresh-seconds="2"${last ? html` data-announce="${last.direction === 'inbound' ? 'You sent' : 'New message'}: ${last.body}"` : ''}>
${
  messages.length === 0
    ? html`<p class="govuk-body">No messages yet.</p>`
    : html`<ol class="govuk-list">${messages.map(
        (m) =>
          html`<li class="dutyline-sms${m.direction === 'inbound' ? ' dutyline-sms--sent' : ''}"><span class="govuk-visually-hidden">${m.direction === 'inbound' ? 'You sent:' : 'Received:'} </span>${withLinks(m.body)}</li>`,
      )}</ol>`
}
<h2 class="govuk-heading-m">Calls</h2>
${
  calls.length === 0
    ? html`<p class="govuk-body">No calls yet.</p>`
    : html`<ol class="govuk-list">${calls.map((call) => html`<li class="dutyline-call"><span class="govuk-visually-hidden">Call: </span><strong>Rang at ${call.at.slice(11, 19)} UTC:</strong> ${call.words}</li>`)}</ol>`
}
</div>
<form method="post" novalidate>
${input({ id: 'reply', name: 'body', label: 'Reply', hint: '1 to accept, 2 to decline (a reason may follow)', autocomplete: 'off', classes: 'govuk-input--width-20' })}
${button('Send reply')}
</form>`;
}

export async function servePage(request: IncomingMessage, response: ServerResponse, url: URL, phone: LocalPhone): Promise<boolean> {
  const path = url.pathname;
  if (request.method === 'GET' && path === '/local') {
    await render(response, 200, 'Local runtime', index(phone.canary?.()));
    return true;
  }
  const match = /^\/phone\/([^/]+)$/.exec(path);
  if (!match?.[1]) return false;
  const number = decodeURIComponent(match[1]);
  if (request.method === 'POST') {
    const body = new URLSearchParams((await readBody(request, 16 * 1024))?.toString('utf8') ?? '').get('body')?.trim() ?? '';
    if (body && normaliseUkPhone(number)) await phone.reply(number, body);
    response.writeHead(303, { location: path, 'cache-control': 'no-store' });
    response.end();
    return true;
  }
  if (request.method !== 'GET') return false;
  await render(response, 200, `Phone ${number}`, phonePage(number, phone.outbox, phone.calls), true);
  return true;
}
