/**
 * HTML by tagged template: every interpolated value is escaped unless it is already `SafeHtml`
 * (the output of another `html` template), so markup is composed and data can never become markup.
 */

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => escapes[c] ?? c);

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => (out += render(value) + (strings[i + 1] ?? '')));
  return new SafeHtml(out);
}

/** Attributes from a record: `undefined`/`false` are left out, `true` is a bare attribute, the rest escaped. */
export function attributes(record: Record<string, string | number | boolean | undefined | null>): SafeHtml {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(record)) {
    if (value === undefined || value === null || value === false) continue;
    parts.push(value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`);
  }
  return new SafeHtml(parts.join(''));
}

export const raw = (trusted: string): SafeHtml => new SafeHtml(trusted);
