import { ERR } from './woo-errors.js';
import { toGmtString } from './woo-format.js';
import { paginationHeaders } from './woo-http.js';
import { applyOrderUpdate, createOrderFromBody, type Product } from './woo-order-writes.js';
import { firstAfter, ordersModifiedAfter } from './woo-order-pages.js';
import { foldForSearch, ParamReader, readStatuses } from './woo-params.js';
import type { OrderRecord } from './woo-records.js';
import { renderOrder } from './woo-render.js';
import { ALLOW_COLLECTION, ALLOW_ITEM, type RouteDef, type WooCtx } from './woo-router.js';

const ORDERBY = ['date', 'id', 'include', 'title', 'slug', 'modified'] as const;
export const ORDER_ARRAY_PARAMS = [
  'status',
  'include',
  'exclude',
  'include_meta',
  'exclude_meta',
  'parent',
  'parent_exclude',
];

/** `GET /wc/v3/orders` filters used by sync and DSR, with WooCommerce's defaults (date desc, status any). */
export function listOrders(ctx: WooCtx) {
  const p = new ParamReader(ctx.query);
  const page = p.int('page', 1, 1);
  const perPage = p.int('per_page', 10, 1, 100);
  p.oneOf('context', ['view', 'edit'], 'view');
  const gmt = p.bool('dates_are_gmt', false);
  const tz = ctx.site.timeZone;
  const [after, before, modAfter, modBefore] = ['after', 'before', 'modified_after', 'modified_before'].map((n) =>
    p.date(n, tz, gmt),
  );
  const orderby = p.oneOf('orderby', ORDERBY, 'date');
  const order = p.oneOf('order', ['asc', 'desc'] as const, 'desc');
  const statuses = readStatuses(p);
  const customer = ctx.query.has('customer') ? p.int('customer', 0, 0) : undefined;
  const include = p.ids('include');
  const exclude = p.ids('exclude');
  const parent = p.ids('parent');
  const needle = foldForSearch(p.string('search') ?? '');
  const includeMeta = p.list('include_meta');
  const excludeMeta = p.list('exclude_meta');
  p.done();
  ctx.authorize();

  const wanted = new Set(statuses.includes('any') ? [] : statuses);
  const anyStatus = statuses.includes('any');
  // Stored dates are whole-second GMT strings, so comparing strings against the bound rounded to the
  // second gives the same answer as comparing instants, without parsing a date per order per request.
  const [createdAfter, createdBefore, modifiedAfter, modifiedBefore] = [
    floorGmt(after),
    ceilGmt(before),
    floorGmt(modAfter),
    ceilGmt(modBefore),
  ];
  const keep = (o: OrderRecord) =>
    (anyStatus ? !['trash', 'auto-draft'].includes(o.status) || wanted.has(o.status) : wanted.has(o.status)) &&
    (customer === undefined || o.customer_id === customer) &&
    (!include || include.includes(o.id)) &&
    (!exclude || !exclude.includes(o.id)) &&
    (!parent || parent.includes(o.parent_id)) &&
    (createdAfter === undefined || o.created > createdAfter) &&
    (createdBefore === undefined || o.created < createdBefore) &&
    (modifiedAfter === undefined || o.modified > modifiedAfter) &&
    (modifiedBefore === undefined || o.modified < modifiedBefore) &&
    (!needle || matchesSearch(o, needle));
  // The sync walk (modified ascending, statuses only) pages from the per-status index; the rest filters.
  const statusOnly =
    orderby === 'modified' &&
    order === 'asc' &&
    customer === undefined &&
    !include &&
    !exclude &&
    !parent &&
    !needle &&
    createdAfter === undefined &&
    createdBefore === undefined &&
    modifiedBefore === undefined;
  const listed = statusOnly
    ? ordersModifiedAfter(
        ctx.store,
        anyStatus ? ctx.store.orderStatuses().filter((s) => !['trash', 'auto-draft'].includes(s)) : wanted,
        modifiedAfter,
        (page - 1) * perPage,
        perPage,
      )
    : filtered(ctx, keep, orderby, order, include, modifiedAfter, page, perPage);
  const slice = listed.rows;
  let total = listed.total;
  let totalPages = Math.ceil(total / perPage);
  if (page > totalPages) [total, totalPages] = [0, 0]; // recorded: past the last page the totals read 0
  const render = ctx.render({ includeMeta, excludeMeta });
  return {
    body: slice.map((o) => renderOrder(o, ctx.store, render)),
    headers: paginationHeaders({
      home: ctx.home,
      route: 'wc/v3/orders',
      query: ctx.query,
      page,
      total,
      totalPages,
      arrayParams: ORDER_ARRAY_PARAMS,
      defaults: [
        ['status[0]', 'any'],
        ['dp', '0'],
        ['context', 'view'],
      ],
    }),
  };
}

function filtered(
  ctx: WooCtx,
  keep: (o: OrderRecord) => boolean,
  orderby: (typeof ORDERBY)[number],
  order: 'asc' | 'desc',
  include: number[] | undefined,
  modifiedAfter: string | undefined,
  page: number,
  perPage: number,
) {
  const base = ctx.store.sortedOrders(
    orderby === 'modified' ? 'modified' : orderby === 'id' || orderby === 'include' ? 'id' : 'date',
    order,
  );
  // An incremental walk (modified ascending, modified_after) only needs the tail after the bound.
  const from =
    orderby === 'modified' && order === 'asc' && modifiedAfter !== undefined ? firstAfter(base, modifiedAfter) : 0;
  let rows = (from > 0 ? base.slice(from) : base).filter(keep);
  if (orderby === 'include' && include) rows = [...rows].sort((a, b) => include.indexOf(a.id) - include.indexOf(b.id));
  return { total: rows.length, rows: rows.slice((page - 1) * perPage, page * perPage) };
}

const floorGmt = (ms: number | undefined) => (ms === undefined ? undefined : toGmtString(Math.floor(ms / 1000) * 1000));
const ceilGmt = (ms: number | undefined) => (ms === undefined ? undefined : toGmtString(Math.ceil(ms / 1000) * 1000));

const BILLING_INDEX = [
  'first_name',
  'last_name',
  'company',
  'address_1',
  'address_2',
  'city',
  'state',
  'postcode',
  'country',
  'email',
  'phone',
] as const;
const SHIPPING_INDEX = [
  'first_name',
  'last_name',
  'company',
  'address_1',
  'address_2',
  'city',
  'state',
  'postcode',
  'country',
  'phone',
] as const;
const addressIndex = (a: Record<string, unknown>, keys: readonly string[]) =>
  keys.map((k) => (typeof a[k] === 'string' ? a[k] : '')).join(' ');

/**
 * HPOS search as WooCommerce 9.9 runs it without full-text indexes (OrdersTableSearchQuery, search_filter
 * "all"): the id, `billing_email LIKE 'term%'`, transaction id, item names, and the `_billing_address_index`
 * / `_shipping_address_index` meta — each address's values joined by spaces, so a full name or a spaced
 * phone matches across fields. Case- and accent-insensitive, as WordPress's utf8mb4_unicode_520_ci tables are.
 */
function matchesSearch(o: OrderRecord, needle: string): boolean {
  if (String(o.id) === needle) return true;
  if (foldForSearch(o.billing.email ?? '').startsWith(needle)) return true;
  const hay = [
    addressIndex(o.billing, BILLING_INDEX),
    addressIndex(o.shipping, SHIPPING_INDEX),
    o.transaction_id,
    ...o.line_items.map((i) => i.name),
  ];
  return hay.some((v) => foldForSearch(v).includes(needle));
}

export const orderOr404 = (ctx: WooCtx, id: string): OrderRecord => {
  const order = ctx.store.orders.get(Number(id));
  if (!order) throw ERR.orderNotFound();
  return order;
};

export function orderRoutes(products: ReadonlyMap<number, Product>, version: string): RouteDef[] {
  const single = (ctx: WooCtx, o: OrderRecord) => renderOrder(o, ctx.store, ctx.render({ single: true }));
  return [
    {
      path: /^\/wc\/v3\/orders\/?$/,
      allow: ALLOW_COLLECTION,
      methods: {
        GET: { perm: 'list', handle: listOrders },
        POST: {
          perm: 'create',
          handle(ctx) {
            ctx.authorize();
            const order = createOrderFromBody(ctx.store, products, ctx.body, version);
            return {
              status: 201,
              body: single(ctx, order),
              headers: { Location: `${ctx.home}/wp-json/wc/v3/orders/${order.id}` },
            };
          },
        },
      },
    },
    {
      path: /^\/wc\/v3\/orders\/(\d+)\/?$/,
      allow: ALLOW_ITEM,
      methods: {
        GET: {
          perm: 'view',
          handle: (ctx) => {
            ctx.authorize();
            return { body: single(ctx, orderOr404(ctx, ctx.match[1]!)) };
          },
        },
        ...Object.fromEntries(
          (['POST', 'PUT', 'PATCH'] as const).map((m) => [
            m,
            {
              perm: 'edit' as const,
              handle(ctx: WooCtx) {
                ctx.authorize();
                const order = orderOr404(ctx, ctx.match[1]!);
                return { body: single(ctx, applyOrderUpdate(ctx.store, order, ctx.body)) };
              },
            },
          ]),
        ),
        DELETE: {
          perm: 'delete',
          handle(ctx) {
            const force = new ParamReader(ctx.query).bool('force', false);
            ctx.authorize();
            const order = orderOr404(ctx, ctx.match[1]!);
            const before = single(ctx, order); // the response shows the order as it was
            if (force) ctx.store.deleteOrder(order.id);
            else if (order.status === 'trash') throw ERR.alreadyTrashed();
            else ctx.store.trashOrder(order.id);
            return { body: before };
          },
        },
      },
    },
  ];
}
