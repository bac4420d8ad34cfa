import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeHtml, page } from '../../functions/commons/page.ts';
import { demoReferrers, demoStaff } from './seed.ts';

/**
 * The local runtime's minimal pages: a referral form, a live status page, and a "phone" per
 * number showing its SMS with a reply box. They call the same API as any client would.
 */

const form = () =>
  page(
    'Refer for an urgent MHA assessment',
    `<form id="referral">
<label for="as">You are</label>
<select id="as">${demoReferrers.map((r) => `<option value="${r.username}" data-phone="${r.phone}">${escapeHtml(r.label)}</option>`).join('')}</select>
<label for="kind">Referrer type</label>
<select id="kind"><option value="gp">GP</option><option value="police">Police</option><option value="emergency_department">Emergency department</option><option value="crisis_team">Crisis team</option></select>
<label for="organisation">Organisation</label><input id="organisation" value="Leeds Central Surgery">
<label for="collar">Collar number (police)</label><input id="collar">
<label for="givenName">Person's given name</label><input id="givenName" autocomplete="off" required>
<label for="familyName">Person's family name</label><input id="familyName" autocomplete="off" required>
<label for="dateOfBirth">Date of birth</label><input id="dateOfBirth" type="date" autocomplete="off" required>
<label for="nhsNumber">NHS number (or leave blank)</label><input id="nhsNumber" inputmode="numeric" autocomplete="off">
<label for="postcode">Postcode where the person is now</label><input id="postcode" value="LS1 4AP" required>
<label for="locationKind">Where</label>
<select id="locationKind"><option value="home">Home</option><option value="police_station">Police station</option><option value="place_of_safety">Place of safety</option><option value="emergency_department">Emergency department</option><option value="public_place">Public place</option></select>
<label for="status">Legal status</label>
<select id="status"><option value="none">None</option><option value="s136">s136</option><option value="s135_1">s135(1)</option><option value="s5_2">s5(2)</option><option value="s5_4">s5(4)</option></select>
<label for="detentionStart">Detention start (s135, s136, s5)</label><input id="detentionStart" type="datetime-local">
<label for="urgency">Urgency</label>
<select id="urgency"><option value="immediate">Immediate</option><option value="within_4_hours">Within 4 hours</option><option value="within_24_hours">Within 24 hours</option></select>
<label for="reason">Reason for referral</label><textarea id="reason" rows="4" required></textarea>
<p><button type="submit">Send referral</button></p>
</form>
<div id="errors" class="error" role="alert"></div>
<script>
const $ = (id) => document.getElementById(id);
$('referral').addEventListener('submit', async (event) => {
  event.preventDefault();
  const as = $('as').selectedOptions[0];
  const login = await fetch('/local/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: as.value }) });
  const { token } = await login.json();
  sessionStorage.setItem('token', token);
  const kind = $('kind').value;
  const status = $('status').value;
  const body = {
    referrer: { name: as.textContent.split(',')[0], kind, organisation: $('organisation').value, phone: as.dataset.phone,
      ...(kind === 'police' ? { policeForce: 'West Yorkshire Police', collarNumber: $('collar').value } : {}) },
    subject: { givenName: $('givenName').value, familyName: $('familyName').value, dateOfBirth: $('dateOfBirth').value,
      ...($('nhsNumber').value ? { nhsNumber: $('nhsNumber').value } : { nhsNumberUnknownReason: 'Not known to the referrer' }),
      currentLocation: { kind: $('locationKind').value, postcode: $('postcode').value } },
    legal: { status, ...($('detentionStart').value ? { detentionStart: new Date($('detentionStart').value).toISOString() } : {}) },
    reason: $('reason').value, risks: [], urgency: $('urgency').value,
  };
  const response = await fetch('/api/referrals', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token, 'idempotency-key': crypto.randomUUID() }, body: JSON.stringify(body) });
  const result = await response.json();
  if (response.status === 202) { location.href = '/referrals/' + result.id; return; }
  $('errors').innerHTML = '<h2>There is a problem</h2><ul>' + (result.issues || [{ path: '', message: result.message }]).map((i) => '<li></li>').join('') + '</ul>';
  [...$('errors').querySelectorAll('li')].forEach((li, n) => { const i = (result.issues || [{ path: '', message: result.message }])[n]; li.textContent = i.path + ' ' + i.message; });
});
</script>`,
  );

const status = (id: string) =>
  page(
    'Referral status',
    `<div id="status" aria-live="polite">Loading…</div>
<h2>Timeline</h2><ol id="timeline"></ol>
<script>
async function refresh() {
  const response = await fetch('/api/referrals/${encodeURIComponent(id)}', { headers: { authorization: 'Bearer ' + sessionStorage.getItem('token') } });
  if (!response.ok) { document.getElementById('status').textContent = 'Could not load the referral (' + response.status + ')'; return; }
  const r = await response.json();
  document.getElementById('status').innerHTML = '<p>Reference <strong></strong></p><p>Status: <strong id="state"></strong></p>';
  document.querySelector('#status strong').textContent = r.reference;
  document.getElementById('state').textContent = r.status + (r.assignedTo ? ' by ' + r.assignedTo : '');
  const list = document.getElementById('timeline');
  list.replaceChildren(...r.timeline.map((e) => { const li = document.createElement('li'); li.textContent = new Date(e.at).toLocaleTimeString('en-GB') + ' ' + e.type.replaceAll('_', ' ') + (e.staffId ? ' (' + e.staffId + ')' : '') + (e.position ? ' ' + e.position : ''); return li; }));
}
refresh(); setInterval(refresh, 2000);
</script>`,
  );

const phone = (number: string) => {
  const owner = [...demoStaff, ...demoReferrers.map((r) => ({ ...r, name: r.label }))].find((p) => p.phone === number);
  return page(
    `Phone ${number}`,
    `<p>${owner ? escapeHtml(owner.name) : 'Unknown owner'}</p>
<ol id="messages" aria-live="polite"></ol>
<form id="reply"><label for="body">Reply</label><input id="body" autocomplete="off"><p><button type="submit">Send</button></p></form>
<script>
const number = ${JSON.stringify(number)};
async function refresh() {
  const { messages } = await (await fetch('/local/sms?to=' + encodeURIComponent(number))).json();
  document.getElementById('messages').replaceChildren(...messages.map((m) => { const li = document.createElement('li'); li.textContent = (m.direction === 'inbound' ? 'You: ' : '') + m.body; return li; }));
}
document.getElementById('reply').addEventListener('submit', async (event) => {
  event.preventDefault();
  await fetch('/local/sms/inbound', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: number, body: document.getElementById('body').value }) });
  document.getElementById('body').value = '';
  setTimeout(refresh, 300);
});
refresh(); setInterval(refresh, 2000);
</script>`,
  );
};

const home = () =>
  page(
    'dutyline (local)',
    `<ul><li><a href="/referrals/new">Make a referral</a></li>
${[...demoStaff, ...demoReferrers.map((r) => ({ ...r, name: r.label }))]
  .map((p) => `<li><a href="/phone/${encodeURIComponent(p.phone)}">Phone of ${escapeHtml(p.name)}</a></li>`)
  .join('\n')}</ul>`,
  );

export async function servePage(request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> {
  if (request.method !== 'GET') return false;
  const path = url.pathname;
  let body: string | null = null;
  if (path === '/') body = home();
  else if (path === '/referrals/new') body = form();
  else if (/^\/referrals\/[0-9A-Z]{26}$/.test(path)) body = status(path.split('/')[2] ?? '');
  else if (/^\/phone\/[^/]+$/.test(path)) body = phone(decodeURIComponent(path.split('/')[2] ?? ''));
  if (body === null) return false;
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  response.end(body);
  return true;
}
