/**
 * GOV.UK Frontend components as typed functions. The markup follows the Design System's own
 * templates (node_modules/govuk-frontend/dist/govuk/components/*\/template.njk) for the options
 * dutyline uses, so the styles, the JavaScript and the accessibility work exactly as documented.
 */
import { attributes, html, type SafeHtml } from './html.ts';

export interface FieldOptions {
  id: string;
  name: string;
  label: string;
  hint?: string | SafeHtml;
  error?: string;
  /** Label or legend size: `s`, `m`, `l`; plain when absent. */
  labelSize?: 's' | 'm' | 'l';
}

const describedBy = (id: string, hint: unknown, error: unknown) =>
  [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

const hintBlock = (id: string, hint: FieldOptions['hint'], extraClass = '') =>
  hint ? html`<div id="${id}-hint" class="govuk-hint${extraClass}">${hint}</div>` : '';

export const errorMessage = (id: string, error: string | undefined) =>
  error ? html`<p id="${id}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${error}</p>` : '';

const group = (error: string | undefined, body: SafeHtml, extraClass = '') =>
  html`<div class="govuk-form-group${error ? ' govuk-form-group--error' : ''}${extraClass}">${body}</div>`;

const labelClass = (size: FieldOptions['labelSize']) => `govuk-label${size ? ` govuk-label--${size}` : ''}`;

export interface InputOptions extends FieldOptions {
  value?: string;
  type?: 'text' | 'tel' | 'email';
  inputmode?: 'numeric' | 'tel' | 'text';
  /** Personal data of the subject: `off`. The referrer's own details: a WCAG 1.3.5 token such as `name`. */
  autocomplete?: string;
  spellcheck?: boolean;
  /** e.g. `govuk-input--width-10`, `govuk-!-width-one-half`. */
  classes?: string;
}

export function input(o: InputOptions): SafeHtml {
  return group(
    o.error,
    html`<label class="${labelClass(o.labelSize)}" for="${o.id}">${o.label}</label>
${hintBlock(o.id, o.hint)}${errorMessage(o.id, o.error)}<input${attributes({
      class: `govuk-input${o.classes ? ` ${o.classes}` : ''}${o.error ? ' govuk-input--error' : ''}`,
      id: o.id,
      name: o.name,
      type: o.type ?? 'text',
      value: o.value || undefined,
      inputmode: o.inputmode,
      autocomplete: o.autocomplete,
      spellcheck: o.spellcheck === undefined ? undefined : String(o.spellcheck),
      'aria-describedby': describedBy(o.id, o.hint, o.error),
    })}>`,
  );
}

export function textarea(o: FieldOptions & { value?: string; rows?: number; autocomplete?: string; spellcheck?: boolean }): SafeHtml {
  return group(
    o.error,
    html`<label class="${labelClass(o.labelSize)}" for="${o.id}">${o.label}</label>
${hintBlock(o.id, o.hint)}${errorMessage(o.id, o.error)}<textarea${attributes({
      class: `govuk-textarea${o.error ? ' govuk-textarea--error' : ''}`,
      id: o.id,
      name: o.name,
      rows: o.rows ?? 5,
      autocomplete: o.autocomplete,
      spellcheck: o.spellcheck === undefined ? undefined : String(o.spellcheck),
      'aria-describedby': describedBy(o.id, o.hint, o.error),
    })}>${o.value ?? ''}</textarea>`,
  );
}

export function select(o: FieldOptions & { value?: string; items: { value: string; text: string }[] }): SafeHtml {
  return group(
    o.error,
    html`<label class="${labelClass(o.labelSize)}" for="${o.id}">${o.label}</label>
${hintBlock(o.id, o.hint)}${errorMessage(o.id, o.error)}<select${attributes({
      class: `govuk-select${o.error ? ' govuk-select--error' : ''}`,
      id: o.id,
      name: o.name,
      'aria-describedby': describedBy(o.id, o.hint, o.error),
    })}>${o.items.map((item) => html`<option${attributes({ value: item.value, selected: item.value === (o.value ?? '') })}>${item.text}</option>`)}</select>`,
  );
}

function legend(text: string, size: FieldOptions['labelSize']): SafeHtml {
  return size
    ? html`<legend class="govuk-fieldset__legend govuk-fieldset__legend--${size}"><h2 class="govuk-fieldset__heading">${text}</h2></legend>`
    : html`<legend class="govuk-fieldset__legend">${text}</legend>`;
}

export interface ChoiceItem {
  value: string;
  text: string;
  hint?: string;
  /**
   * Shown when this item is chosen (always shown without JavaScript). dutyline.js reveals it, not
   * GOV.UK Frontend's script: that one sets aria-expanded on a radio, which ARIA does not allow.
   */
  conditional?: SafeHtml;
}

interface ChoiceOptions extends Omit<FieldOptions, 'label'> {
  legend: string;
  items: ChoiceItem[];
  small?: boolean;
  /** Extra attributes for the form group (e.g. a data hook for dutyline.js). */
  groupId?: string;
}

/**
 * Attributes of content revealed by dutyline.js when one of `values` is chosen for `name`: shown
 * from the start when already chosen (a form given back with errors), and always without JavaScript.
 */
export function revealFor(name: string, values: readonly string[], chosen: boolean) {
  return {
    class: `dutyline-conditional${chosen ? ' dutyline-conditional--shown' : ''}`,
    'data-show-for': values.join(' '),
    'data-show-for-name': name,
  };
}

/** Item ids are `id`, `id-2`, `id-3`…: the error summary links to the first. */
const itemId = (id: string, index: number) => (index === 0 ? id : `${id}-${index + 1}`);

function choices(kind: 'radios' | 'checkboxes', o: ChoiceOptions, isChecked: (value: string) => boolean): SafeHtml {
  const items = o.items.map((item, index) => {
    const id = itemId(o.id, index);
    const checked = isChecked(item.value);
    return html`<div class="govuk-${kind}__item"><input${attributes({
      class: `govuk-${kind}__input`,
      id,
      name: o.name,
      type: kind === 'radios' ? 'radio' : 'checkbox',
      value: item.value,
      checked,
      'aria-describedby': item.hint ? `${id}-item-hint` : undefined,
    })}><label class="govuk-label govuk-${kind}__label" for="${id}">${item.text}</label>${
      item.hint ? html`<div id="${id}-item-hint" class="govuk-hint govuk-${kind}__hint">${item.hint}</div>` : ''
    }</div>${
      item.conditional
        ? html`<div${attributes({ ...revealFor(o.name, [item.value], checked), class: `govuk-${kind}__conditional ${revealFor(o.name, [item.value], checked).class}`, id: `conditional-${id}` })}>${item.conditional}</div>`
        : ''
    }`;
  });
  return html`<div${attributes({
    class: `govuk-form-group${o.error ? ' govuk-form-group--error' : ''}`,
    id: o.groupId,
  })}><fieldset${attributes({ class: 'govuk-fieldset', 'aria-describedby': describedBy(o.id, o.hint, o.error) })}>${legend(o.legend, o.labelSize)}
${hintBlock(o.id, o.hint)}${errorMessage(o.id, o.error)}<div class="govuk-${kind}${o.small ? ` govuk-${kind}--small` : ''}" data-module="govuk-${kind}">${items}</div></fieldset></div>`;
}

export const radios = (o: ChoiceOptions & { value?: string }) => choices('radios', o, (value) => value === o.value);

export const checkboxes = (o: ChoiceOptions & { values?: readonly string[] }) =>
  choices('checkboxes', o, (value) => (o.values ?? []).includes(value));

export interface DateParts {
  day?: string;
  month?: string;
  year?: string;
}

/** Day, month and year boxes in one fieldset; `extra` adds fields (a time) inside the same group. */
export function dateInput(o: Omit<FieldOptions, 'label'> & { legend: string; values: DateParts; extra?: SafeHtml; groupId?: string }): SafeHtml {
  const part = (key: keyof DateParts, label: string, width: number) =>
    html`<div class="govuk-date-input__item"><div class="govuk-form-group"><label class="govuk-label govuk-date-input__label" for="${o.id}-${key}">${label}</label><input${attributes({
      class: `govuk-input govuk-date-input__input govuk-input--width-${width}${o.error ? ' govuk-input--error' : ''}`,
      id: `${o.id}-${key}`,
      name: `${o.name}-${key}`,
      type: 'text',
      inputmode: 'numeric',
      autocomplete: 'off',
      value: o.values[key] || undefined,
    })}></div></div>`;
  return html`<div${attributes({
    class: `govuk-form-group${o.error ? ' govuk-form-group--error' : ''}`,
    id: o.groupId,
  })}><fieldset${attributes({ class: 'govuk-fieldset', role: 'group', 'aria-describedby': describedBy(o.id, o.hint, o.error) })}>${legend(o.legend, o.labelSize)}
${hintBlock(o.id, o.hint)}${errorMessage(o.id, o.error)}<div class="govuk-date-input" id="${o.id}">${part('day', 'Day', 2)}${part('month', 'Month', 2)}${part('year', 'Year', 4)}</div>${o.extra ?? ''}</fieldset></div>`;
}

export interface SummaryError {
  text: string;
  href: string;
}

export function errorSummary(errors: readonly SummaryError[]): SafeHtml | '' {
  if (errors.length === 0) return '';
  return html`<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2><div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list">${errors.map(
    (error) => html`<li><a href="${error.href}">${error.text}</a></li>`,
  )}</ul></div></div></div>`;
}

export function button(text: string, options: { secondary?: boolean; name?: string; value?: string } = {}): SafeHtml {
  return html`<button${attributes({
    type: 'submit',
    class: `govuk-button${options.secondary ? ' govuk-button--secondary' : ''}`,
    'data-module': 'govuk-button',
    'data-prevent-double-click': 'true',
    name: options.name,
    value: options.value,
  })}>${text}</button>`;
}

export const panel = (title: string, body: SafeHtml) =>
  html`<div class="govuk-panel govuk-panel--confirmation"><h1 class="govuk-panel__title">${title}</h1><div class="govuk-panel__body">${body}</div></div>`;

export function summaryList(rows: readonly { key: string; value: SafeHtml | string; id?: string }[]): SafeHtml {
  return html`<dl class="govuk-summary-list">${rows.map(
    (row) =>
      html`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${row.key}</dt><dd${attributes({ class: 'govuk-summary-list__value', id: row.id })}>${row.value}</dd></div>`,
  )}</dl>`;
}

export type TagColour = 'grey' | 'green' | 'turquoise' | 'blue' | 'light-blue' | 'purple' | 'pink' | 'red' | 'orange' | 'yellow';

export const tag = (text: string, colour?: TagColour) =>
  html`<strong class="govuk-tag${colour ? ` govuk-tag--${colour}` : ''}">${text}</strong>`;

export const insetText = (body: SafeHtml | string) => html`<div class="govuk-inset-text">${body}</div>`;

export const warningText = (text: string | SafeHtml) =>
  html`<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span> ${text}</strong></div>`;

export function notificationBanner(title: string, body: SafeHtml, options: { success?: boolean } = {}): SafeHtml {
  return html`<div${attributes({
    class: `govuk-notification-banner${options.success ? ' govuk-notification-banner--success' : ''}`,
    role: options.success ? 'alert' : 'region',
    'aria-labelledby': 'govuk-notification-banner-title',
    'data-module': 'govuk-notification-banner',
  })}><div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="govuk-notification-banner-title">${title}</h2></div><div class="govuk-notification-banner__content">${body}</div></div>`;
}
