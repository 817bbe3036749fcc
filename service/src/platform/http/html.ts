/** The page kit: every person- and operator-facing page is built with `html`, which escapes by default. */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: unknown) => String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);

/** Markup that is already safe: only `html` makes one (or `Html.trusted` for constant text written here). */
export class Html {
  constructor(readonly text: string) {}
  toString() {
    return this.text;
  }
}

/** A tagged template that escapes every interpolated value unless it is already `Html`; arrays are joined. */
export const html = (parts: TemplateStringsArray, ...values: unknown[]) =>
  new Html(parts.reduce((out, part, i) => out + part + (i < values.length ? render(values[i]) : ''), ''));
const render = (v: unknown): string => (v instanceof Html ? v.text : Array.isArray(v) ? v.map(render).join('') : escapeHtml(v ?? ''));

/** One document: no scripts, no external assets, readable on a phone, never indexed. */
export function htmlDocument(doc: { lang: string; title: string; style: string; body: Html; refreshSeconds?: number }): string {
  const refresh = doc.refreshSeconds ? html`<meta http-equiv="refresh" content="${doc.refreshSeconds}">` : '';
  return `<!doctype html>\n${html`<html lang="${doc.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">${refresh}<title>${doc.title}</title><style>${new Html(doc.style)}</style></head><body>${doc.body}</body></html>`}`;
}
