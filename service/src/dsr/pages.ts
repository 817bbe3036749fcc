import type { Policy } from '../../../shared/src/policy/index.js';
import { en } from './messages.en.js';
import { sq, type Messages } from './messages.sq.js';

/** Server-rendered documents for people: Albanian first, then English; no scripts, no external assets. */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (text: unknown) => String(text ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);

const STYLE = 'body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}section[lang]+section[lang]{border-top:3px solid #888;margin-top:3rem}table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}code{word-break:break-all}';

export function bilingualDocument(title: (m: Messages) => string, body: (m: Messages) => string): string {
  const section = (m: Messages) => `<section lang="${m.lang}"><h1>${esc(title(m))}</h1>${body(m)}</section>`;
  return `<!doctype html>\n<html lang="sq"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${esc(title(sq))} / ${esc(title(en))}</title><style>${STYLE}</style></head><body>${section(sq)}${section(en)}</body></html>`;
}

export const table = (head: readonly string[], rows: readonly (readonly unknown[])[]) =>
  rows.length === 0 ? '' : `<table><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</table>`;

/** A retention rule as a person reads it: its name and what it means, in the section's language; '' for an unknown rule. */
export function retentionText(policy: Policy, id: string | null, m: Messages): string {
  const rule = policy.retention.find((r) => r.id === id);
  return rule ? `${rule.name[m.lang as 'sq' | 'en']}: ${rule.description[m.lang as 'sq' | 'en']}` : '';
}
