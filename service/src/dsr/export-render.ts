import type { Policy } from '../../../shared/src/policy/index.js';
import type { TimelineEntry } from '../ledger/index.js';
import { cardTable, html, type Html } from '../platform/http/html.js';
import type { Collected } from './erasure-plan.js';
import { dateLabel, isTime, keyLabel, noteText, sourceLabel, statusLabel, type Lang } from './field-labels.js';
import { isSpecial, retentionOf } from './held-detail.js';
import type { Messages } from './messages.sq.js';
import { dsrDocument, retentionText } from './pages.js';

/**
 * The export: `export.json` (format documented in docs/dsr-export.md) and `index.html` (the same data,
 * readable, grouped, Albanian then English). Built from what WooCommerce holds and what the ledger
 * knows (consents with policy versions, what was collected for which purpose and basis, each category
 * with how long it is kept, disclosures, earlier requests) plus the processors named by the policy.
 */
export const EXPORT_FORMAT = 'privacy-bridge-export/1';

type Meta = { key: string; value: unknown };
const visible = (meta: readonly Meta[] | undefined) => (meta ?? []).filter((m) => m.value !== '' && m.value !== null);

export function buildExportJson(input: {
  requestId: string;
  generatedAt: string;
  collected: Collected;
  timeline: readonly TimelineEntry[];
  policy: Policy;
}) {
  const { collected, timeline, policy } = input;
  const ledger = (kinds: readonly string[]) =>
    timeline
      .filter((e) => kinds.includes(e.kind))
      .map((e) => ({
        kind: e.kind,
        at: e.at,
        purpose: e.purpose,
        legalBasis: e.legalBasis,
        categories: e.categories,
        source: e.source,
        detail: e.detail,
        values: e.personal,
      }));
  return {
    format: EXPORT_FORMAT,
    requestId: input.requestId,
    generatedAt: input.generatedAt,
    controller: { name: policy.controller.name, email: policy.controller.email },
    policyVersion: policy.version.label,
    woocommerce: { customer: collected.customer, orders: collected.orders, bookings: collected.bookings },
    ledger: {
      consents: ledger(['consent.recorded']),
      collected: ledger(['data.held', 'appointment.held', 'customer.registered']),
      disclosures: ledger(['disclosure.recorded']),
      requests: ledger(['dsr.received', 'dsr.status']),
    },
    recipients: policy.recipients.map((r) => ({
      id: r.id,
      role: r.role,
      name: r.name,
      description: r.description,
      categories: r.categories,
      purposes: r.purposes,
    })),
  };
}
export type ExportJson = ReturnType<typeof buildExportJson>;

type Row = readonly [string, unknown];
/** Label/value pairs as a definition list: reads as two columns on a wide screen, stacked on a phone. */
const pairs = (rows: readonly Row[]): Html => {
  const shown = rows.filter(([, v]) => v !== '' && v !== null && v !== undefined);
  return shown.length ? html`<dl>${shown.map(([k, v]) => html`<dt>${k}</dt><dd>${String(v)}</dd>`)}</dl>` : html``;
};
const isInternal = (key: string) => key.startsWith('_');
/** A WooCommerce field shown to a person: times as dates in the shop's zone, statuses translated, else as held. */
const shown = (key: string, value: unknown, lang: Lang) =>
  isTime(key, value)
    ? dateLabel(value, lang)
    : key === 'status'
      ? statusLabel(value, lang)
      : typeof value === 'boolean'
        ? value
          ? lang === 'sq'
            ? 'Po'
            : 'Yes'
          : lang === 'sq'
            ? 'Jo'
            : 'No'
        : value;
/** An address block (billing or shipping) with the person's labels. */
const address = (a: unknown, lang: Lang) =>
  Object.entries((a ?? {}) as Record<string, unknown>).map(([k, v]) => [keyLabel(k, lang) ?? k, v] as Row);
/** The account's or an order's own meta: the shop's keys are its labels; internal (underscore) ones are left to export.json and said in a sentence. */
const metaRows = (meta: readonly Meta[] | undefined, lang: Lang): { rows: Row[]; hidden: boolean } => {
  const list = visible(meta);
  return {
    rows: list
      .filter((m) => !isInternal(m.key))
      .map((m) => [
        keyLabel(m.key, lang) ?? m.key,
        typeof m.value === 'object' ? JSON.stringify(m.value) : shown(m.key, m.value, lang),
      ]),
    hidden: list.some((m) => isInternal(m.key)),
  };
};

export function renderExportHtml(x: ExportJson, policy: Policy): string {
  const name = (list: readonly { id: string; name: { sq: string; en: string } }[], id: string | null, m: Messages) =>
    list.find((e) => e.id === id)?.name[m.lang as Lang] ?? id ?? '';
  return dsrDocument(
    (m) => m.exportTitle,
    (m) => {
      const lang = m.lang as Lang;
      const internalNote = html`<p class="note">${m.internalMeta}</p>`;
      const filled = (a: unknown) => address(a, lang).some(([, v]) => v);
      const none = html`<p>${m.none}</p>`;
      const orNone = (part: Html) => (String(part) ? part : none);
      const c = x.woocommerce.customer as Record<string, unknown> | null;
      // The account: WooCommerce's `_gmt` times are the true ones; the local copies, ids of other systems and links are left to export.json.
      const skip = new Set(['_links', 'id', 'date_created', 'date_modified', 'meta_data', 'billing', 'shipping']);
      const accountMeta = c && metaRows(c.meta_data as Meta[], lang);
      const account =
        c && accountMeta
          ? [
              pairs(
                Object.entries(c)
                  .filter(([k, v]) => !skip.has(k) && typeof v !== 'object')
                  .map(([k, v]) => [keyLabel(k, lang) ?? k, shown(k, v, lang)]),
              ),
              filled(c.billing) ? html`<h3>${m.billing}</h3>${pairs(address(c.billing, lang))}` : '',
              filled(c.shipping) ? html`<h3>${m.shipping}</h3>${pairs(address(c.shipping, lang))}` : '',
              pairs(accountMeta.rows),
              accountMeta.hidden ? internalNote : '',
            ]
          : html`<p>${m.noAccount}</p>`;
      const orders = x.woocommerce.orders.map((o) => {
        const items = (o.line_items ?? []).map(
          (i) =>
            html`<li>${i.name ?? ''}${visible(i.meta_data as Meta[])
              .filter((mm) => !isInternal(mm.key))
              .map((mm) => html`<br>${mm.key}: ${String(mm.value)}`)}</li>`,
        );
        const notes = ((o.notes ?? []) as { date_created_gmt?: string; date_created?: string; note?: string }[]).map(
          (n) =>
            html`<li><span class="when">${dateLabel(n.date_created_gmt ?? n.date_created ?? '', lang)}</span> ${noteText(String(n.note ?? '').replace(/<[^>]*>/g, ''), lang)}</li>`,
        );
        const refunds = ((o.refunds ?? []) as { reason?: string; total?: string }[]).map(
          (r) => [r.reason || m.refunds, r.total ?? ''] as Row,
        );
        const meta = metaRows(o.meta_data as Meta[], lang);
        const internalItems = (o.line_items ?? []).some((i) =>
          visible(i.meta_data as Meta[]).some((mm) => isInternal(mm.key)),
        );
        return html`<section class="order"><h3>${m.order} #${o.id}</h3>${[
          pairs([
            [m.date, dateLabel(o.date_created_gmt ?? o.date_created ?? '', lang)],
            [m.status, statusLabel(o.status, lang)],
            [m.total, `${String(o.total ?? '')} ${String(o.currency ?? '')}`],
            [m.payment, o.payment_method_title ?? o.payment_method ?? ''],
          ]),
          items.length ? html`<h4>${m.items}</h4><ul>${items}</ul>` : '',
          html`<h4>${m.billing}</h4>${pairs(address(o.billing, lang))}`,
          filled(o.shipping) ? html`<h4>${m.shipping}</h4>${pairs(address(o.shipping, lang))}` : '',
          pairs([
            [m.yourNote, o.customer_note],
            [keyLabel('customer_ip_address', lang)!, o.customer_ip_address],
            [m.device, o.customer_user_agent],
            ...meta.rows,
          ]),
          notes.length ? html`<h4>${m.notes}</h4><ul class="notes">${notes}</ul>` : '',
          refunds.length ? html`<h4>${m.refunds}</h4>${pairs(refunds)}` : '',
          meta.hidden || internalItems ? internalNote : '',
        ]}</section>`;
      });
      const bookings = cardTable(
        [m.start, m.end, m.status],
        x.woocommerce.bookings.map((b) => [
          b.start ? dateLabel(b.start, lang) : '',
          b.end ? dateLabel(b.end, lang) : '',
          statusLabel(b.status ?? '', lang),
        ]),
      );
      const consents = cardTable(
        [m.date, m.source, m.details],
        x.ledger.consents.map((e) => [
          dateLabel(e.at, lang),
          sourceLabel(e.source ?? '', lang),
          JSON.stringify(e.detail),
        ]),
      );
      // An entry holds one purpose's data: a row per category, with how long that category is kept.
      const collected = cardTable(
        [m.purpose, m.legalBasis, m.category, m.kept, m.source, m.date],
        x.ledger.collected.flatMap((e) =>
          (e.categories.length ? e.categories : [null]).map((c) => [
            name(policy.purposes, e.purpose, m),
            name(policy.legalBases, e.legalBasis, m),
            c === null
              ? ''
              : `${name(policy.categories, c, m)}${isSpecial(policy, e, c) ? ` (${m.specialCategory})` : ''}`,
            c === null ? '' : retentionText(policy, retentionOf(policy, e, c), m),
            sourceLabel(e.source ?? '', lang),
            dateLabel(e.at, lang),
          ]),
        ),
      );
      const recipients = cardTable(
        [m.source, m.purpose],
        x.recipients.filter((r) => r.role === 'processor').map((r) => [r.name[lang], r.description[lang]]),
      );
      const disclosures = cardTable(
        [m.date, m.recipient, m.legalBasis, m.category],
        x.ledger.disclosures.map((e) => {
          const to = String((e.detail as Record<string, unknown> | null)?.recipient ?? '');
          return [
            dateLabel(e.at, lang),
            name(policy.recipients, to, m) || to,
            name(policy.legalBases, e.legalBasis, m) ||
              String((e.detail as Record<string, unknown> | null)?.legalBasis ?? ''),
            e.categories.map((c) => name(policy.categories, c, m)).join(', '),
          ];
        }),
      );
      const requests = cardTable(
        [m.date, m.request, m.status],
        x.ledger.requests.map((e) => [
          dateLabel(e.at, lang),
          String((e.detail as Record<string, unknown> | null)?.kind ?? ''),
          String((e.detail as Record<string, unknown> | null)?.to ?? 'received'),
        ]),
      );
      return html`${[
        html`<p>${m.exportIntro}</p><p>${m.request}: <code>${x.requestId}</code> · ${m.generatedAt} ${dateLabel(x.generatedAt, lang)}</p>`,
        html`<h2>${m.account}</h2>${account}<h2>${m.orders} (${x.woocommerce.orders.length})</h2>${orders.length ? orders : none}`,
        html`<h2>${m.bookings}</h2>${orNone(bookings)}<h2>${m.consents}</h2>${orNone(consents)}<h2>${m.collected}</h2>${orNone(collected)}`,
        html`<h2>${m.recipients}</h2>${recipients}<h2>${m.disclosures}</h2>${orNone(disclosures)}<h2>${m.earlierRequests}</h2>${orNone(requests)}`,
      ]}`;
    },
  );
}
