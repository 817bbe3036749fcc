import type { Policy } from '../../../shared/src/policy/index.js';
import { en } from './messages.en.js';
import { sq, type Messages } from './messages.sq.js';

/** Server-rendered documents for people: Albanian first, then English; no scripts, no external assets. */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (text: unknown) => String(text ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);

// Phone first: nothing wider than the screen (long values wrap anywhere), label/value lists stack, and
// each table row becomes a card whose cells carry their column's name (data-label) below 40rem.
const STYLE = 'body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#222;line-height:1.45;overflow-wrap:anywhere}'
  + 'section[lang]+section[lang]{border-top:3px solid #888;margin-top:3rem}h1{font-size:1.5rem}h2{font-size:1.25rem;margin-top:2rem}h3{font-size:1.1rem}'
  + 'section.order{border:1px solid #ddd;border-radius:6px;padding:0 .75rem .5rem;margin:1rem 0}dl{display:grid;grid-template-columns:minmax(8rem,35%) 1fr;gap:.2rem .75rem;margin:.5rem 0}dt{color:#555}dd{margin:0}'
  + 'ul{padding-left:1.2rem}.when{color:#555;white-space:nowrap}.note{color:#555;font-size:.9rem}'
  + 'table{border-collapse:collapse;margin:.5rem 0;width:100%}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}code{word-break:break-all}'
  + '@media (max-width:40rem){dl{grid-template-columns:1fr}dt{font-weight:600;margin-top:.4rem}table,tbody,tr,td{display:block;width:auto}tr:first-child{display:none}tr{border:1px solid #ccc;border-radius:6px;margin:.5rem 0;padding:.25rem .5rem}td{border:0;padding:.1rem 0}td[data-label]:not([data-label=""])::before{content:attr(data-label) ": ";color:#555}}';

export function bilingualDocument(title: (m: Messages) => string, body: (m: Messages) => string): string {
  const section = (m: Messages) => `<section lang="${m.lang}"><h1>${esc(title(m))}</h1>${body(m)}</section>`;
  return `<!doctype html>\n<html lang="sq"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${esc(title(sq))} / ${esc(title(en))}</title><style>${STYLE}</style></head><body>${section(sq)}${section(en)}</body></html>`;
}

export const table = (head: readonly string[], rows: readonly (readonly unknown[])[]) =>
  rows.length === 0 ? '' : `<table><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.map((c, i) => `<td data-label="${esc(head[i] ?? '')}">${esc(c)}</td>`).join('')}</tr>`).join('')}</table>`;

/** A retention rule as a person reads it: its name and what it means, in the section's language; '' for an unknown rule. */
export function retentionText(policy: Policy, id: string | null, m: Messages): string {
  const rule = policy.retention.find((r) => r.id === id);
  return rule ? `${rule.name[m.lang as 'sq' | 'en']}: ${rule.description[m.lang as 'sq' | 'en']}` : '';
}
