import type { ResidueProbeQuery, ResidueProbeResult } from '../../../../shared/src/contracts/dsr.js';
import type { WooStore } from './woo-store.js';

type Hit = ResidueProbeResult['hits'][number];

/**
 * The plugin's `dsr/residue` SQL search over the double's store, with the real plugin's table names: an
 * order's e-mail, note, IP and user agent are `wc_orders`, its addresses `wc_order_addresses`, its meta
 * `wc_orders_meta`, line-item meta `woocommerce_order_itemmeta`, notes `comments`, an account `users` and
 * its billing/shipping/meta `usermeta`. The double keeps no placeholder posts or sessions. Rows of an order in
 * `keep` are left out as the plugin leaves them out: its tables for the kept kinds of term, its notes when kept.
 */
export function residueProbe(store: WooStore, q: ResidueProbeQuery): ResidueProbeResult {
  const hits: Hit[] = [];
  const has = (v: unknown, term: string) =>
    v !== null && v !== undefined && typeof v !== 'object' && String(v).toLowerCase().includes(term);
  const keep = new Map((q.keep ?? []).map((k) => [k.orderId, k]));
  q.terms.forEach(({ kind, value }, term) => {
    const t = value.toLowerCase();
    for (const o of store.orders.values()) {
      const kept = keep.get(o.id);
      const add = (table: string, column: string, row: string | number) => {
        if (table === 'comments' ? kept?.notes : kept?.kinds.includes(kind)) return; // as the plugin's `keep` says
        hits.push({ table, column, row: String(row), orderId: o.id, userId: null, term });
      };
      if (has(o.billing?.email, t)) add('wc_orders', 'billing_email', o.id);
      for (const f of ['customer_note', 'customer_ip_address', 'customer_user_agent'] as const)
        if (has((o as Record<string, unknown>)[f], t)) add('wc_orders', f, o.id);
      for (const [type, a] of [
        ['billing', o.billing],
        ['shipping', o.shipping],
      ] as const)
        for (const [k, v] of Object.entries(a ?? {})) if (has(v, t)) add('wc_order_addresses', k, `${o.id}-${type}`);
      for (const m of o.meta_data ?? []) if (has(m.value, t)) add('wc_orders_meta', 'meta_value', m.id ?? m.key);
      for (const i of o.line_items ?? [])
        for (const m of i.meta_data ?? [])
          if (has(m.value, t)) add('woocommerce_order_itemmeta', 'meta_value', m.id ?? m.key);
      for (const n of store.notesOf(o.id)) if (has(n.note, t)) add('comments', 'comment_content', n.id);
    }
    for (const c of store.customers.values()) {
      const add = (table: string, column: string) =>
        hits.push({ table, column, row: String(c.id), orderId: null, userId: c.id, term });
      for (const f of ['email', 'first_name', 'last_name', 'username'] as const)
        if (has((c as Record<string, unknown>)[f], t)) add('users', f);
      for (const [type, a] of [
        ['billing', c.billing],
        ['shipping', c.shipping],
      ] as const)
        for (const [k, v] of Object.entries(a ?? {})) if (has(v, t)) add('usermeta', `${type}_${k}`);
    }
  });
  return {
    hits: hits.slice(0, 2000),
    tables: [
      'wc_orders',
      'wc_order_addresses',
      'wc_orders_meta',
      'woocommerce_order_itemmeta',
      'comments',
      'users',
      'usermeta',
    ],
    truncated: hits.length > 2000,
  };
}
