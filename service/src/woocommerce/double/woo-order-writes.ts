import { randomBytes } from 'node:crypto';
import { ERR, INVALID_EMAIL } from './woo-errors.js';
import { isEmail } from './woo-params.js';
import { EMPTY_ADDRESS, type Address, type LineItem, type Meta, type OrderRecord } from './woo-records.js';
import type { WooStore } from './woo-store.js';

export type Product = Readonly<{ id: number; name: string; price: number; sku: string }>;

const STATUS_LABEL: Record<string, string> = {
  pending: 'Pending payment',
  processing: 'Processing',
  'on-hold': 'On hold',
  completed: 'Completed',
  cancelled: 'Cancelled',
  refunded: 'Refunded',
  failed: 'Failed',
  'checkout-draft': 'Draft',
};
type Body = Record<string, unknown>;
const obj = (v: unknown): Body | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Body) : undefined;
const str = (v: unknown, def: string): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : def);

/** Schema validation that runs before anything is written (recorded: `billing.email` "" is invalid too). */
export function validateAddressEmail(body: Body, field: 'billing'): void {
  const address = obj(body[field]);
  if (address && 'email' in address && !isEmail(str(address.email, '')))
    throw ERR.invalidParams({ [field]: INVALID_EMAIL });
}

export const mergeAddress = (current: Address, patch: unknown): Address => {
  const p = obj(patch);
  if (!p) return current;
  const next: Record<string, string> = { ...current } as Record<string, string>;
  for (const k of Object.keys({ ...EMPTY_ADDRESS, email: '' })) if (k in p) next[k] = str(p[k], '');
  return next as unknown as Address;
};

/** Meta writes: an entry with `id` updates that row, otherwise the first row with the same key, else a new row. */
export function mergeMeta(
  store: WooStore,
  current: readonly Meta[],
  patch: unknown,
  kind: 'orderMeta' | 'userMeta',
): Meta[] {
  if (!Array.isArray(patch)) return [...current];
  const next = [...current];
  for (const raw of patch) {
    const m = obj(raw);
    if (!m || typeof m.key !== 'string') continue;
    const i = next.findIndex((x) => (m.id !== undefined ? x.id === Number(m.id) : x.key === m.key));
    if (i >= 0) next[i] = { ...next[i]!, key: m.key, value: m.value };
    else next.push({ id: store.next(kind), key: m.key, value: m.value });
  }
  return next;
}

export function buildLineItems(store: WooStore, products: ReadonlyMap<number, Product>, raw: unknown): LineItem[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((r) => {
    const item = obj(r) ?? {};
    const product = products.get(Number(item.product_id));
    if (!product) throw ERR.invalidProduct();
    const quantity = Number(item.quantity ?? 1);
    const total = String(product.price * quantity);
    const meta = Array.isArray(item.meta_data) ? item.meta_data.map((m) => obj(m) ?? {}) : [];
    return store.lineItem({
      name: product.name,
      product_id: product.id,
      variation_id: 0,
      quantity,
      tax_class: '',
      subtotal: total,
      subtotal_tax: '0',
      total,
      total_tax: '0',
      taxes: [],
      sku: product.sku,
      price: product.price,
      image: { id: '', src: '' },
      parent_name: null,
      meta_data: store.itemMeta(meta.map((m) => ({ key: str(m.key, ''), value: m.value }))),
    });
  });
}

/** Status transition side effects of WC_Order::status_transition(): system note, date_paid/date_completed. */
export function statusPatch(store: WooStore, order: OrderRecord, to: string): Partial<OrderRecord> {
  if (to === order.status) return {};
  const now = store.nowGmt();
  store.addNote(order.id, {
    author: 'WooCommerce',
    customer_note: false,
    note: `Order status changed from ${STATUS_LABEL[order.status] ?? order.status} to ${STATUS_LABEL[to] ?? to}.`,
  });
  const patch: Partial<OrderRecord> = { status: to };
  if (['processing', 'completed'].includes(to) && !order.paid) patch.paid = now;
  if (to === 'completed') patch.completed = now;
  return patch;
}

/** Applies a REST update body; read-only fields (customer_ip_address, customer_user_agent, …) are ignored as recorded. */
export function applyOrderUpdate(store: WooStore, order: OrderRecord, body: Body): OrderRecord {
  validateAddressEmail(body, 'billing');
  const patch: Partial<OrderRecord> = {};
  for (const k of ['currency', 'customer_note', 'payment_method', 'payment_method_title', 'transaction_id'] as const) {
    if (k in body) patch[k] = str(body[k], '');
  }
  if ('customer_id' in body) patch.customer_id = Number(body.customer_id);
  if ('billing' in body) patch.billing = mergeAddress(order.billing, body.billing);
  if ('shipping' in body) patch.shipping = mergeAddress(order.shipping, body.shipping);
  if ('meta_data' in body) patch.meta_data = mergeMeta(store, order.meta_data, body.meta_data, 'orderMeta');
  if (body.set_paid === true && !order.paid) patch.paid = store.nowGmt();
  if (typeof body.status === 'string') Object.assign(patch, statusPatch(store, order, body.status));
  return store.updateOrder(order.id, patch);
}

export function createOrderFromBody(
  store: WooStore,
  products: ReadonlyMap<number, Product>,
  body: Body,
  version: string,
): OrderRecord {
  validateAddressEmail(body, 'billing');
  const now = store.nowGmt();
  const items = buildLineItems(store, products, body.line_items);
  const record: OrderRecord = {
    id: store.next('post'),
    parent_id: 0,
    status: 'pending',
    currency: str(body.currency, 'ALL'),
    version,
    prices_include_tax: false,
    discount_total: '0',
    discount_tax: '0',
    shipping_total: '0',
    shipping_tax: '0',
    cart_tax: '0',
    total: String(items.reduce((s, i) => s + Number(i.total), 0)),
    total_tax: '0',
    customer_id: Number(body.customer_id ?? 0),
    order_key: `wc_order_${randomKey(13)}`,
    billing: mergeAddress({ ...EMPTY_ADDRESS, email: '' }, body.billing),
    shipping: mergeAddress(EMPTY_ADDRESS, body.shipping),
    payment_method: str(body.payment_method, ''),
    payment_method_title: str(body.payment_method_title, ''),
    transaction_id: str(body.transaction_id, ''),
    customer_ip_address: '',
    customer_user_agent: '',
    created_via: 'rest-api',
    customer_note: str(body.customer_note, ''),
    cart_hash: '',
    meta_data: mergeMeta(store, [], body.meta_data, 'orderMeta'),
    line_items: items,
    tax_lines: [],
    shipping_lines: [],
    fee_lines: [],
    coupon_lines: [],
    created: now,
    modified: now,
    completed: null,
    paid: body.set_paid === true ? now : null,
  };
  const status = typeof body.status === 'string' ? body.status : body.set_paid === true ? 'processing' : 'pending';
  store.putOrder({ ...record, status }, 'created');
  // Recorded: a REST create also delivers order.updated (the order is saved again after creation).
  store.updateOrder(record.id, {}, {});
  return store.mustOrder(record.id);
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const randomKey = (n: number): string => [...randomBytes(n)].map((b) => ALNUM[b % ALNUM.length]).join('');

/** What wp-admin / a gateway does when an order changes status: transition note, dates, `order.updated`. */
export function setOrderStatus(store: WooStore, id: number, to: string): OrderRecord {
  return store.updateOrder(id, statusPatch(store, store.mustOrder(id), to));
}
