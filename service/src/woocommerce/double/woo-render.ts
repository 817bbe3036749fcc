import { avatarUrl, gmtToLocal } from './woo-format.js';
import type {
  Address,
  BookingRecord,
  CustomerRecord,
  LineItem,
  Meta,
  NoteRecord,
  OrderRecord,
  RefundRecord,
} from './woo-records.js';
import type { WooStore } from './woo-store.js';

/** Site facts that shape every body (fixtures: ALL, 0 decimals, "L", Europe/Tirane). */
export type SiteSettings = Readonly<{
  timeZone: string;
  currencySymbol: string;
  wcVersion: string;
  wpVersion: string;
}>;

export type RenderContext = Readonly<{
  /** Home URL as WordPress would print it for this request, e.g. `http://127.0.0.1:8080`. */
  home: string;
  site: SiteSettings;
  /** Single-item read (`GET /orders/<id>`, webhook payloads). */
  single?: boolean;
  /** The API key's user: WordPress does not offer DELETE on yourself. */
  currentUserId?: number;
  includeMeta?: readonly string[];
  excludeMeta?: readonly string[];
}>;

const ALLOW_ITEM = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const ALLOW_SUB = ['GET', 'DELETE'];
const api = (ctx: RenderContext, path: string) => `${ctx.home}/wp-json/wc/v3/${path}`;
const local = (ctx: RenderContext, gmt: string | null) => (gmt === null ? null : gmtToLocal(gmt, ctx.site.timeZone));

const orderAddress = (a: Address, withEmail: boolean) => ({
  first_name: a.first_name,
  last_name: a.last_name,
  company: a.company,
  address_1: a.address_1,
  address_2: a.address_2,
  city: a.city,
  state: a.state,
  postcode: a.postcode,
  country: a.country,
  ...(withEmail ? { email: a.email ?? '' } : {}),
  phone: a.phone,
});

const customerAddress = (a: Address, withEmail: boolean) => ({
  first_name: a.first_name,
  last_name: a.last_name,
  company: a.company,
  address_1: a.address_1,
  address_2: a.address_2,
  city: a.city,
  postcode: a.postcode,
  country: a.country,
  state: a.state,
  ...(withEmail ? { email: a.email ?? '' } : {}),
  phone: a.phone,
});

export const renderItemMeta = (meta: readonly Meta[]) =>
  meta.map((m) => ({ id: m.id, key: m.key, value: m.value, display_key: m.key, display_value: m.value }));

export const renderLineItem = (item: LineItem) => ({
  id: item.id,
  name: item.name,
  product_id: item.product_id,
  variation_id: item.variation_id,
  quantity: item.quantity,
  tax_class: item.tax_class,
  subtotal: item.subtotal,
  subtotal_tax: item.subtotal_tax,
  total: item.total,
  total_tax: item.total_tax,
  taxes: item.taxes,
  meta_data: renderItemMeta(item.meta_data),
  sku: item.sku,
  price: item.price,
  image: item.image,
  parent_name: item.parent_name,
});

function orderMeta(order: OrderRecord, ctx: RenderContext): Meta[] {
  // No ORDER BY in WooCommerce's meta read: recorded single reads come back sorted by key.
  let meta = [...order.meta_data].sort((a, b) => (a.key === b.key ? a.id - b.id : a.key < b.key ? -1 : 1));
  if (ctx.includeMeta?.length) meta = meta.filter((m) => ctx.includeMeta!.includes(m.key));
  if (ctx.excludeMeta?.length) meta = meta.filter((m) => !ctx.excludeMeta!.includes(m.key));
  return meta;
}

/** The wc/v3 order representation, field for field in WooCommerce's order. */
export function renderOrder(order: OrderRecord, store: WooStore, ctx: RenderContext) {
  const editable = ['pending', 'on-hold', 'auto-draft'].includes(order.status);
  const needsPayment = ['pending', 'failed'].includes(order.status) && Number(order.total) > 0;
  const links: Record<string, unknown> = {
    self: [{ href: api(ctx, `orders/${order.id}`), targetHints: { allow: ALLOW_ITEM } }],
    collection: [{ href: api(ctx, 'orders') }],
    email_templates: [{ embeddable: true, href: api(ctx, `orders/${order.id}/actions/email_templates`) }],
  };
  if (order.customer_id > 0) links.customer = [{ href: api(ctx, `customers/${order.customer_id}`) }];
  return {
    id: order.id,
    parent_id: order.parent_id,
    status: order.status,
    currency: order.currency,
    version: order.version,
    prices_include_tax: order.prices_include_tax,
    date_created: local(ctx, order.created),
    date_modified: local(ctx, order.modified),
    discount_total: order.discount_total,
    discount_tax: order.discount_tax,
    shipping_total: order.shipping_total,
    shipping_tax: order.shipping_tax,
    cart_tax: order.cart_tax,
    total: order.total,
    total_tax: order.total_tax,
    customer_id: order.customer_id,
    order_key: order.order_key,
    billing: orderAddress(order.billing, true),
    shipping: orderAddress(order.shipping, false),
    payment_method: order.payment_method,
    payment_method_title: order.payment_method_title,
    transaction_id: order.transaction_id,
    customer_ip_address: order.customer_ip_address,
    customer_user_agent: order.customer_user_agent,
    created_via: order.created_via,
    customer_note: order.customer_note,
    date_completed: local(ctx, order.completed),
    date_paid: local(ctx, order.paid),
    cart_hash: order.cart_hash,
    number: String(order.id),
    meta_data: orderMeta(order, ctx),
    line_items: order.line_items.map(renderLineItem),
    tax_lines: order.tax_lines,
    shipping_lines: order.shipping_lines,
    fee_lines: order.fee_lines,
    coupon_lines: order.coupon_lines,
    refunds: store.refundsOf(order.id).map((r) => ({ id: r.id, reason: r.reason, total: `-${r.amount}` })),
    payment_url: `${ctx.home}/checkout/order-pay/${order.id}/?pay_for_order=true&key=${order.order_key}`,
    is_editable: editable,
    needs_payment: needsPayment,
    needs_processing: true,
    date_created_gmt: order.created,
    date_modified_gmt: order.modified,
    date_completed_gmt: order.completed,
    date_paid_gmt: order.paid,
    currency_symbol: ctx.site.currencySymbol,
    _links: links,
  };
}

export function renderCustomer(c: CustomerRecord, ctx: RenderContext) {
  return {
    id: c.id,
    date_created: local(ctx, c.created),
    date_created_gmt: c.created,
    date_modified: local(ctx, c.modified),
    date_modified_gmt: c.modified,
    email: c.email,
    first_name: c.first_name,
    last_name: c.last_name,
    role: c.role,
    username: c.username,
    billing: customerAddress(c.billing, true),
    shipping: customerAddress(c.shipping, false),
    is_paying_customer: c.is_paying_customer,
    avatar_url: avatarUrl(c.email),
    meta_data: c.meta_data,
    _links: {
      self: [
        {
          href: api(ctx, `customers/${c.id}`),
          targetHints: { allow: c.id === ctx.currentUserId ? ALLOW_ITEM.slice(0, 4) : ALLOW_ITEM },
        },
      ],
      collection: [{ href: api(ctx, 'customers') }],
    },
  };
}

export function renderNote(n: NoteRecord, ctx: RenderContext) {
  return {
    id: n.id,
    author: n.author,
    date_created: local(ctx, n.created),
    date_created_gmt: n.created,
    note: n.note,
    customer_note: n.customer_note,
    _links: {
      self: [{ href: api(ctx, `orders/${n.orderId}/notes/${n.id}`), targetHints: { allow: ALLOW_SUB } }],
      collection: [{ href: api(ctx, `orders/${n.orderId}/notes`) }],
      up: [{ href: api(ctx, `orders/${n.orderId}`) }],
    },
  };
}

/** `withParent`: the top-level `GET /wc/v3/refunds` adds `parent_id` after `id`. */
export function renderRefund(r: RefundRecord, ctx: RenderContext, withParent = false) {
  return {
    id: r.id,
    ...(withParent ? { parent_id: r.orderId } : {}),
    date_created: local(ctx, r.created),
    date_created_gmt: r.created,
    amount: r.amount,
    reason: r.reason,
    refunded_by: r.refunded_by,
    refunded_payment: r.refunded_payment,
    meta_data: r.meta_data,
    line_items: r.line_items.map(renderLineItem),
    shipping_lines: [],
    tax_lines: [],
    fee_lines: [],
    _links: {
      self: [{ href: api(ctx, `orders/${r.orderId}/refunds/${r.id}`), targetHints: { allow: ALLOW_SUB } }],
      collection: [{ href: api(ctx, `orders/${r.orderId}/refunds`) }],
      up: [{ href: api(ctx, `orders/${r.orderId}`) }],
    },
  };
}

/** WooCommerce Bookings `wc-bookings/v1` booking (protocol-facts §C1; no fixture was captured). */
export function renderBooking(b: BookingRecord, ctx: RenderContext) {
  const base = `${ctx.home}/wp-json/wc-bookings/v1/bookings`;
  return {
    id: b.id,
    all_day: b.all_day,
    cost: b.cost,
    customer_id: b.customer_id,
    date_created: b.date_created,
    date_modified: b.date_modified,
    end: b.end,
    google_calendar_event_id: b.google_calendar_event_id,
    order_id: b.order_id,
    order_item_id: b.order_item_id,
    parent_id: b.parent_id,
    person_counts: b.person_counts,
    product_id: b.product_id,
    resource_id: b.resource_id,
    start: b.start,
    status: b.status,
    local_timezone: b.local_timezone,
    _links: { self: [{ href: `${base}/${b.id}` }], collection: [{ href: base }] },
  };
}
