import type { Policy } from '../../../shared/src/policy/index.js';
import type { TimelineEntry } from '../ledger/index.js';
import type { Collected } from './erasure-plan.js';
import { isSpecial, retentionOf } from './held-detail.js';
import type { Messages } from './messages.sq.js';
import { bilingualDocument, esc, retentionText, table } from './pages.js';

/**
 * The export: `export.json` (format documented in docs/dsr-export.md) and `index.html` (the same data,
 * readable, grouped, Albanian then English). Built from what WooCommerce holds and what the ledger
 * knows (consents with policy versions, what was collected for which purpose and basis, each category
 * with how long it is kept, disclosures, earlier requests) plus the processors named by the policy.
 */
export const EXPORT_FORMAT = 'privacy-bridge-export/1';

type Meta = { key: string; value: unknown };
const visible = (meta: readonly Meta[] | undefined) => (meta ?? []).filter((m) => m.value !== '' && m.value !== null);

export function buildExportJson(input: { requestId: string; generatedAt: string; collected: Collected; timeline: readonly TimelineEntry[]; policy: Policy }) {
  const { collected, timeline, policy } = input;
  const ledger = (kinds: readonly string[]) => timeline.filter((e) => kinds.includes(e.kind)).map((e) => ({
    kind: e.kind, at: e.at, purpose: e.purpose, legalBasis: e.legalBasis, categories: e.categories, source: e.source, detail: e.detail, values: e.personal,
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
    recipients: policy.recipients.map((r) => ({ id: r.id, role: r.role, name: r.name, description: r.description, categories: r.categories, purposes: r.purposes })),
  };
}
export type ExportJson = ReturnType<typeof buildExportJson>;

export function renderExportHtml(x: ExportJson, policy: Policy): string {
  const name = (list: readonly { id: string; name: { sq: string; en: string } }[], id: string | null, m: Messages) =>
    list.find((e) => e.id === id)?.name[m.lang as 'sq' | 'en'] ?? id ?? '';
  return bilingualDocument((m) => m.exportTitle, (m) => {
    const lang = m.lang as 'sq' | 'en';
    const c = x.woocommerce.customer as Record<string, unknown> | null;
    const account = c
      ? table([m.field, m.value], Object.entries(c).filter(([k, v]) => k !== '_links' && v !== '' && v !== null && typeof v !== 'object').map(([k, v]) => [k, v]))
      : `<p>${esc(m.noAccount)}</p>`;
    const orders = x.woocommerce.orders.map((o) => {
      const b = (o.billing ?? {}) as Record<string, unknown>;
      const items = (o.line_items ?? []).map((i) => `${i.name ?? ''}${visible(i.meta_data as Meta[]).filter((mm) => !mm.key.startsWith('_')).map((mm) => ` · ${mm.key}: ${String(mm.value)}`).join('')}`);
      const notes = ((o.notes ?? []) as { date_created?: string; note?: string }[]).map((n) => [n.date_created ?? '', n.note ?? '']);
      const refunds = ((o.refunds ?? []) as { reason?: string; total?: string }[]).map((r) => [r.total ?? '', r.reason ?? '']);
      return `<h3>${esc(m.order)} #${esc(o.id)}</h3>${table([m.date, m.status, m.total, m.items], [[o.date_created ?? '', o.status, `${String(o.total ?? '')} ${String(o.currency ?? '')}`, items.join(' | ')]])}`
        + table([m.field, m.value], Object.entries(b).filter(([, v]) => v !== '').map(([k, v]) => [`billing.${k}`, v]).concat(
          [['customer_note', o.customer_note], ['customer_ip_address', o.customer_ip_address], ['customer_user_agent', o.customer_user_agent]].filter(([, v]) => v)))
        + (visible(o.meta_data as Meta[]).length ? table(['meta', m.value], visible(o.meta_data as Meta[]).map((mm) => [mm.key, String(mm.value)])) : '')
        + (notes.length ? `<h4>${esc(m.notes)}</h4>${table([m.date, m.value], notes)}` : '')
        + (refunds.length ? `<h4>${esc(m.refunds)}</h4>${table([m.total, m.why], refunds)}` : '');
    }).join('');
    const bookings = table(['id', 'start', 'end', m.status], x.woocommerce.bookings.map((b) => [b.id, b.start ? new Date(b.start * 1000).toISOString() : '', b.end ? new Date(b.end * 1000).toISOString() : '', b.status ?? '']));
    const consents = table([m.date, m.source, 'detail'], x.ledger.consents.map((e) => [e.at, e.source, JSON.stringify(e.detail)]));
    // An entry holds one purpose's data: a row per category, with how long that category is kept.
    const collected = table([m.purpose, m.legalBasis, m.category, m.kept, m.source, m.date], x.ledger.collected.flatMap((e) =>
      (e.categories.length ? e.categories : [null]).map((c) => [
        name(policy.purposes, e.purpose, m), name(policy.legalBases, e.legalBasis, m),
        c === null ? '' : `${name(policy.categories, c, m)}${isSpecial(policy, e, c) ? ` (${m.specialCategory})` : ''}`,
        c === null ? '' : retentionText(policy, retentionOf(policy, e, c), m), e.source, e.at])));
    const recipients = table([m.source, m.purpose], x.recipients.filter((r) => r.role === 'processor').map((r) => [r.name[lang], r.description[lang]]));
    const disclosures = table([m.date, 'recipient', m.legalBasis, m.category], x.ledger.disclosures.map((e) => [e.at, String((e.detail as Record<string, unknown> | null)?.recipient ?? ''), e.legalBasis ?? String((e.detail as Record<string, unknown> | null)?.legalBasis ?? ''), e.categories.join(', ')]));
    const requests = table([m.date, m.request, m.status], x.ledger.requests.map((e) => [e.at, String((e.detail as Record<string, unknown> | null)?.kind ?? ''), String((e.detail as Record<string, unknown> | null)?.to ?? 'received')]));
    return `<p>${esc(m.exportIntro)}</p><p>${esc(m.request)}: <code>${esc(x.requestId)}</code> · ${esc(m.generatedAt)} ${esc(x.generatedAt)}</p>`
      + `<h2>${esc(m.account)}</h2>${account}<h2>${esc(m.orders)} (${x.woocommerce.orders.length})</h2>${orders || `<p>${esc(m.none)}</p>`}`
      + `<h2>${esc(m.bookings)}</h2>${bookings || `<p>${esc(m.none)}</p>`}<h2>${esc(m.consents)}</h2>${consents || `<p>${esc(m.none)}</p>`}`
      + `<h2>${esc(m.collected)}</h2>${collected || `<p>${esc(m.none)}</p>`}<h2>${esc(m.recipients)}</h2>${recipients}`
      + `<h2>${esc(m.disclosures)}</h2>${disclosures || `<p>${esc(m.none)}</p>`}<h2>${esc(m.earlierRequests)}</h2>${requests || `<p>${esc(m.none)}</p>`}`;
  });
}
