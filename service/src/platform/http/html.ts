import { PAGE_STYLE } from './page-style.js';

/**
 * The page kit: every page a person or an operator reads is built with `html`, which escapes every
 * interpolated value; markup passes through only when it is `Html` (made by `html` or, for trusted
 * fragments written in this codebase, by `raw`). No scripts, no external assets.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: unknown) => String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);

/** Markup that is already safe. Its text is private, so nothing outside this file can pass a string off as one. */
class Markup {
  readonly #text: string;
  constructor(text: string) {
    this.#text = text;
  }
  toString() {
    return this.#text;
  }
}
export type Html = Markup;

/** The one way round escaping: markup written here (a stylesheet, a constant fragment), never data. */
export const raw = (trusted: string): Html => new Markup(trusted);

/** A tagged template that escapes every interpolated value unless it is already `Html`; arrays are joined; null and undefined are ''. */
export const html = (parts: TemplateStringsArray, ...values: unknown[]): Html =>
  new Markup(parts.reduce((out, part, i) => out + part + (i < values.length ? render(values[i]) : ''), ''));
const render = (v: unknown): string =>
  v instanceof Markup ? v.toString() : Array.isArray(v) ? v.map(render).join('') : escapeHtml(v ?? '');

export type Lang = 'sq' | 'en';

/** One document in one language: the kit's stylesheet, readable on a phone, never indexed. */
export function htmlDocument(doc: { lang: Lang; title: string; body: Html; refreshSeconds?: number }): string {
  const refresh = doc.refreshSeconds ? html`<meta http-equiv="refresh" content="${doc.refreshSeconds}">` : '';
  return `<!doctype html>\n${html`<html lang="${doc.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">${refresh}<title>${doc.title}</title><style>${raw(PAGE_STYLE)}</style></head><body>${doc.body}</body></html>`}`;
}

/**
 * One document with the same content in both languages, Albanian first, each in its own `lang` section
 * under its own heading; the title names both (once when they are the same).
 */
export function bilingualDocument<M>(
  catalogues: { readonly sq: M; readonly en: M },
  title: (m: M) => string,
  body: (m: M) => Html,
): string {
  const section = (lang: Lang) =>
    html`<section lang="${lang}"><h1>${title(catalogues[lang])}</h1>${body(catalogues[lang])}</section>`;
  const [sq, en] = [title(catalogues.sq), title(catalogues.en)];
  return htmlDocument({
    lang: 'sq',
    title: sq === en ? sq : `${sq} / ${en}`,
    body: html`${section('sq')}${section('en')}`,
  });
}

/**
 * A table of text cells under a header row ('' when there are no rows). On a phone each row becomes a card
 * whose cells carry their column's name (data-label). A cell is shown as text, an array as "a,b".
 */
export const cardTable = (head: readonly string[], rows: readonly (readonly unknown[])[]): Html =>
  rows.length === 0
    ? html``
    : html`<div class="cards"><table><tr>${head.map((h) => html`<th>${h}</th>`)}</tr>${rows.map((r) => html`<tr>${r.map((c, i) => html`<td data-label="${head[i] ?? ''}">${String(c ?? '')}</td>`)}</tr>`)}</table></div>`;
