import { html, Html } from '../platform/http/html.js';
import { en } from './messages.en.js';
import { sq, type Messages } from './messages.sq.js';

/** Server-rendered pages for people: Albanian first, then English; no scripts, no external assets. */
export { escapeHtml, html, Html } from '../platform/http/html.js';

const STYLE = 'body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#222}section+section{border-top:1px solid #ccc;margin-top:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}code{word-break:break-all}button{font-size:1rem;padding:.5rem 1rem}';

/** One page with the same content in both languages, each in its own `lang` section. */
export function bilingualPage(title: (m: Messages) => string, body: (m: Messages) => Html): string {
  const section = (m: Messages) => html`<section lang="${m.lang}"><h1>${title(m)}</h1>${body(m)}</section>`;
  return `<!doctype html>\n${html`<html lang="sq"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${title(sq)} / ${title(en)}</title><style>${new Html(STYLE)}</style></head><body>${section(sq)}${section(en)}</body></html>`}`;
}

export const CATALOGUES = { sq, en } as const;
