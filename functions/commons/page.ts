/** A minimal, accessible page shell for the few server-rendered pages the functions return. */
const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => escapes[c] ?? c);

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} – dutyline</title>
<style>
body{font-family:system-ui,Arial,sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem;line-height:1.5;color:#0b0c0c}
button,input,select,textarea{font:inherit}button{background:#00703c;color:#fff;border:0;padding:.6rem 1.2rem;font-weight:600}
label{display:block;font-weight:600;margin-top:.8rem}input,select,textarea{width:100%;padding:.4rem;border:2px solid #0b0c0c;box-sizing:border-box}
.error{color:#d4351c}.panel{border:4px solid #00703c;padding:1rem}pre{white-space:pre-wrap}
</style>
</head>
<body><main id="main">
<h1>${escapeHtml(title)}</h1>
${body}
</main></body></html>`;
}
