/* global document, window, fetch, DOMParser */
// dutyline's progressive enhancement. Every page works without it: forms post and redirect,
// conditional questions are all shown, and status pages have a link to check again.
// It keeps nothing: no cookies, localStorage or sessionStorage.
import { initAll } from './govuk-frontend.min.js';

initAll();

// Questions that only apply to some answers (police details for police officers, the detention
// start for s135, s136 and s5) are hidden until one of those answers is chosen; the stylesheet
// hides them as soon as the page is marked as having JavaScript. Hidden answers are ignored by
// the server. (GOV.UK Frontend's own reveal sets aria-expanded on radios, which ARIA forbids.)
for (const group of document.querySelectorAll('[data-show-for]')) {
  const form = group.closest('form');
  const name = group.getAttribute('data-show-for-name');
  const values = (group.getAttribute('data-show-for') ?? '').split(' ');
  const sync = () => {
    const chosen = [...(form?.querySelectorAll(`input[name="${name}"]:checked`) ?? [])].some((input) => values.includes(input.value));
    group.classList.toggle('dutyline-conditional--shown', chosen);
  };
  form?.addEventListener('change', sync);
  sync();
}

// Regions marked data-refresh-seconds are fetched again from the same page while they ask for it.
// A change of their data-announce text is read out by screen readers through the announcer.
const announcer = document.getElementById('live-announcer');

function refreshLater(region, seconds) {
  window.setTimeout(async () => {
    let next = Math.min(seconds * 2, 60);
    try {
      const response = await fetch(window.location.href, { credentials: 'same-origin', cache: 'no-store', redirect: 'manual' });
      if (response.type === 'opaqueredirect') {
        if (announcer) announcer.textContent = 'Your sign-in has ended. Reload the page to sign in again.';
        return;
      }
      if (response.ok) {
        const fresh = new DOMParser().parseFromString(await response.text(), 'text/html').getElementById(region.id);
        if (!fresh) return;
        if (fresh.innerHTML !== region.innerHTML) region.innerHTML = fresh.innerHTML;
        const announce = fresh.getAttribute('data-announce');
        if (announce && announce !== region.getAttribute('data-announce')) {
          region.setAttribute('data-announce', announce);
          if (announcer) announcer.textContent = announce;
        }
        const again = fresh.getAttribute('data-refresh-seconds');
        if (!again) {
          region.removeAttribute('data-refresh-seconds');
          return;
        }
        next = Number(again);
      }
    } catch {
      // Offline for a moment: try again, less often.
    }
    refreshLater(region, next);
  }, seconds * 1000);
}

for (const region of document.querySelectorAll('[data-refresh-seconds]')) {
  if (region.id) refreshLater(region, Number(region.getAttribute('data-refresh-seconds')) || 5);
}

// "Now" beside a date and time: fills the day, month, year and time boxes with the London date and
// time now (the server reads them as London time too). Without JavaScript the button stays hidden.
const londonParts = () =>
  Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'numeric', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date())
      .map((part) => [part.type, part.value]),
  );
for (const button of document.querySelectorAll('[data-now-for]')) {
  const prefix = button.getAttribute('data-now-for');
  button.hidden = false;
  button.addEventListener('click', () => {
    const now = londonParts();
    const set = (suffix, value) => {
      const box = document.getElementById(`${prefix}-${suffix}`);
      if (box) box.value = value;
    };
    set('day', now.day);
    set('month', now.month);
    set('year', now.year);
    set('time', `${now.hour}:${now.minute}`);
    document.getElementById(`${prefix}-time`)?.focus();
  });
}
