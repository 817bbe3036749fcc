import { fieldsEn, monthsEn, statusesEn } from './field-labels.en.js';
import { fieldsSq, monthsSq, statusesSq, wooNotesSq } from './field-labels.sq.js';

/** What people read instead of WooCommerce's keys, ISO times and English statuses (catalogues: field-labels.sq.ts, .en.ts). */
export type Lang = 'sq' | 'en';
const FIELDS: Record<Lang, Record<string, string>> = { sq: fieldsSq, en: fieldsEn };
const STATUSES: Record<Lang, Record<string, string>> = { sq: statusesSq, en: statusesEn };
const MONTHS: Record<Lang, readonly string[]> = { sq: monthsSq, en: monthsEn };
const TIME_ZONE = 'Europe/Tirane';

/** One key's label, or null when the catalogue does not know it. */
export const keyLabel = (key: string, lang: Lang): string | null => FIELDS[lang][key] ?? null;

/**
 * A field path as a person reads it: `billing.first_name` → "Adresa e faturimit · Emri",
 * `line_items[0].meta_data[Ora]` → "Shërbimi 1 · Ora" (the shop's own meta keys are its own labels),
 * an unknown key stays as it is.
 */
export function fieldLabel(path: string, lang: Lang): string {
  const parts: string[] = [];
  const segs = path.match(/[^.[\]]+|\[[^\]]*\]/g) ?? [path];
  for (const [i, seg] of segs.entries()) {
    if (seg === 'meta_data' && segs[i + 1]?.startsWith('[') && !/^\[\d+\]$/.test(segs[i + 1]!)) continue; // a meta key names itself
    if (/^\[\d+\]$/.test(seg)) {
      parts[parts.length - 1] = `${parts.at(-1)} ${Number(seg.slice(1, -1)) + 1}`;
      continue;
    }
    const key = seg.startsWith('[') ? seg.slice(1, -1) : seg;
    parts.push(keyLabel(key, lang) ?? key);
  }
  return parts.join(' · ');
}

/** WooCommerce's status, translated; an unknown one as it is. */
export const statusLabel = (status: unknown, lang: Lang): string =>
  STATUSES[lang][String(status)] ?? String(status ?? '');

/**
 * A time as a person reads it, in the shop's time zone: "28 tetor 2026, 13:40" / "28 October 2026, 13:40".
 * Accepts ISO strings with or without a zone (without one, UTC: read WooCommerce's `_gmt` fields) and Unix seconds.
 */
export function dateLabel(value: unknown, lang: Lang): string {
  const ms =
    typeof value === 'number'
      ? value * 1000
      : typeof value === 'string' && value !== ''
        ? Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`)
        : NaN;
  if (!Number.isFinite(ms)) return String(value ?? '');
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: TIME_ZONE,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(ms))
      .map((x) => [x.type, x.value]),
  );
  return `${Number(p.day)} ${MONTHS[lang][Number(p.month) - 1]} ${p.year}, ${p.hour}:${p.minute}`;
}

/** Whether a value looks like a WooCommerce time (ISO date-time), to be shown with dateLabel. */
export const isTime = (key: string, value: unknown) =>
  typeof value === 'string' && /^date_|_at$|^start$|^end$/.test(key) && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value);

/** `order-28` → "Porosia #28" / "Order #28"; anything else as recorded. */
export function sourceLabel(source: string, lang: Lang): string {
  const found = /^(order|customer|booking)-(\d+)$/.exec(source);
  if (!found) return source;
  const word = {
    order: lang === 'sq' ? 'Porosia' : 'Order',
    customer: lang === 'sq' ? 'Llogaria' : 'Account',
    booking: lang === 'sq' ? 'Rezervimi' : 'Booking',
  }[found[1] as 'order' | 'customer' | 'booking'];
  return `${word} #${found[2]}`;
}

/** A WooCommerce note in the reader's language: its own English notes translated where the catalogue knows them (statuses too). */
export function noteText(note: string, lang: Lang): string {
  if (lang === 'en') return note;
  const byEnglish = new Map(Object.entries(statusesEn).map(([k, v]) => [v.toLowerCase(), k]));
  const status = (s: string) => statusLabel(byEnglish.get(s.toLowerCase()) ?? s.toLowerCase(), 'sq');
  let text = note;
  for (const [pattern, sq] of wooNotesSq)
    text = text.replace(pattern, (...m: string[]) =>
      sq.replace(/\$(\d)/g, (_, n: string) => status(m[Number(n)] ?? '')),
    );
  return text;
}
