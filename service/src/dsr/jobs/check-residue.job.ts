import { normaliseEmail } from '../../ledger/index.js';
import { defineJob } from '../../platform/queue/define-job.js';
import { sensitive } from '../../platform/sensitive.js';
import type { WooOrder } from '../../woocommerce/index.js';
import { alreadyAnonymous, candidateFields } from '../erasure-plan.js';
import { judgeProbe } from '../residue-judge.js';
import { runStep, StepPayload, type DsrJobDeps } from './step.js';

export type Residue = { item: string; field?: string; reason: string };
const REMOVED_NOTE = /^Personal data removed\.?$/;


/**
 * Erasure, step 4: looks again. Every anonymised field whose value still has its old fingerprint, any
 * note left, an account that still exists, an order of the subject's e-mail found by WooCommerce's
 * own search (by e-mail, phone and name) that the plan did not keep, Redis job data or an export file
 * holding the subject's values. Anything found fails the request into "needs attention".
 */
export const checkResidueJob = defineJob({
  name: 'dsr.check-residue',
  payload: StepPayload,
  handle: (payload, deps: DsrJobDeps, ctx) => runStep('check-residue', payload, deps, ctx, async (row) => {
    const connector = deps.connector();
    const all = await deps.store.items(row.id);
    const mine = all.filter((i) => i.pass === payload.pass);
    const residue: Residue[] = [];
    const orderIds = [...new Set(mine.filter((i) => (i.resource === 'order' || i.resource === 'order-notes') && i.action !== 'retain').map((i) => i.resourceId!))];
    const current = new Map((await connector.orders(orderIds)).map((o) => [o.id, o]));
    const fp = (v: unknown) => deps.ledger.fingerprint(JSON.parse(JSON.stringify(v ?? null)));
    for (const item of mine) {
      const order = item.resourceId ? current.get(item.resourceId) : undefined;
      if (item.action === 'anonymise' && order) {
        const now = candidateFields(order);
        for (const field of item.fields) if (now.has(field) && fp(now.get(field)) === item.fingerprints[field] && !alreadyAnonymous(field, now.get(field))) residue.push({ item: item.item, field, reason: 'unchanged' });
      }
      if (item.resource === 'order-notes' && item.action === 'erase' && order) {
        const left = ((order.notes ?? []) as { note?: string }[]).filter((n) => !REMOVED_NOTE.test(n.note ?? '')).length;
        if (left > 0) residue.push({ item: item.item, reason: `notes-left:${left}` });
      }
      if (item.resource === 'customer' && item.action === 'erase' && item.resourceId && (await connector.customer(item.resourceId))) residue.push({ item: item.item, reason: 'account-exists' });
    }
    // The shop's own search, as an admin would run it: nothing of the subject's e-mail beyond what is kept.
    const email = normaliseEmail(deps.dsr.email(row).reveal());
    const terms = deps.dsr.terms(row).reveal();
    const keptWithEmail = new Set(all.filter((i) => i.action === 'retain' && i.releasedPass === null && i.fields.includes('billing.email')).map((i) => i.resourceId));
    const planned = new Set(all.map((i) => i.resourceId));
    for (const term of [email, ...terms.phones, ...terms.names]) {
      const found = await connector.search(sensitive(term));
      for (const o of found.orders as WooOrder[]) {
        const theirs = typeof o.billing?.email === 'string' && normaliseEmail(o.billing.email) === email;
        if (theirs && !keptWithEmail.has(o.id)) residue.push({ item: `order-${o.id}`, reason: planned.has(o.id) ? 'found-by-search' : 'unplanned-order' });
      }
      for (const c of found.customers) {
        const theirs = typeof c.email === 'string' && normaliseEmail(c.email) === email;
        const kept = all.some((i) => i.resource === 'customer' && i.resourceId === c.id && i.action === 'retain' && i.releasedPass === null);
        if (theirs && !kept) residue.push({ item: `customer-${c.id}`, reason: 'found-by-search' });
      }
    }
    // Where WooCommerce really keeps personal data, by SQL through the plugin (REST search sees a few order columns only).
    if (connector.probe) {
      const probeTerms = [{ kind: 'email' as const, value: email }, ...(terms.fullPhones ?? []).map((value) => ({ kind: 'phone' as const, value })), ...terms.names.map((value) => ({ kind: 'name' as const, value }))].filter((t) => t.value.length >= 3);
      const customers = new Set(all.filter((i) => i.resource === 'customer' && i.resourceId !== null).map((i) => i.resourceId!));
      residue.push(...judgeProbe(await connector.probe(row.id, sensitive(probeTerms)), probeTerms, all, customers));
    }
    for (const key of await deps.redisContaining([email, ...terms.phones])) residue.push({ item: 'redis', reason: `key:${key.replace(/[^A-Za-z0-9:_.-]/g, '?').slice(0, 120)}` });
    for (const e of await deps.store.liveExports({ subject: row.subject })) residue.push({ item: 'export-file', reason: `export:${e.id}` });
    const unique = [...new Map(residue.map((r) => [`${r.item}|${r.field ?? ''}|${r.reason}`, r])).values()];
    if (unique.length > 0) {
      await deps.dsr.transition(row.id, 'needs_attention', 'system/dsr.check-residue', { reason: `residue found: ${unique.length} item(s)` });
    }
    return { residue: unique.slice(0, 500).map((r) => ({ item: r.item, field: r.field ?? null, reason: r.reason })), count: unique.length, searched: 1 + terms.phones.length + terms.names.length };
  }),
});
