import { ERR } from './woo-errors.js';
import { tzOffsetMs } from './woo-format.js';
import { paginationHeaders } from './woo-http.js';
import { ParamReader } from './woo-params.js';
import { BOOKING_STATUSES } from './woo-records.js';
import { renderBooking } from './woo-render.js';
import type { RouteDef, WooCtx } from './woo-router.js';

/**
 * `wc-bookings/v1/bookings` (WooCommerce Bookings; protocol-facts §C1 — no fixture exists, list
 * filters are undocumented, so only page/per_page/status/customer/order are honoured) and the
 * unauthenticated REST index `GET /wp-json/`.
 */
export function miscRoutes(shop: { name: string; description: string }, routePaths: () => string[]): RouteDef[] {
  const bookingOr404 = (ctx: WooCtx) => {
    const b = ctx.store.bookings.get(Number(ctx.match[1]));
    if (!b) throw ERR.bookingNotFound();
    return b;
  };
  return [
    {
      path: /^\/wc-bookings\/v1\/bookings\/?$/,
      allow: 'GET, POST',
      methods: {
        GET: {
          perm: 'list',
          handle(ctx) {
            const p = new ParamReader(ctx.query);
            const page = p.int('page', 1, 1);
            const perPage = p.int('per_page', 10, 1, 100);
            const status = p.list('status');
            const customer = ctx.query.has('customer_id') ? p.int('customer_id', 0, 0) : undefined;
            const orderId = ctx.query.has('order_id') ? p.int('order_id', 0, 0) : undefined;
            status?.forEach((s, i) => {
              if (!(BOOKING_STATUSES as readonly string[]).includes(s))
                p.fail(
                  'status',
                  { code: 'rest_not_in_enum', message: `status[${i}] is not one of ${BOOKING_STATUSES.join(', ')}.` },
                  undefined,
                );
            });
            p.done();
            ctx.authorize();
            const rows = [...ctx.store.bookings.values()]
              .filter(
                (b) =>
                  (status ? status.includes(b.status) : b.status !== 'trash') &&
                  (customer === undefined || b.customer_id === customer) &&
                  (orderId === undefined || b.order_id === orderId),
              )
              .sort((a, b) => b.id - a.id);
            let [total, totalPages] = [rows.length, Math.ceil(rows.length / perPage)];
            const slice = rows.slice((page - 1) * perPage, page * perPage);
            if (page > totalPages) [total, totalPages] = [0, 0];
            return {
              body: slice.map((b) => renderBooking(b, ctx.render())),
              headers: paginationHeaders({
                home: ctx.home,
                route: 'wc-bookings/v1/bookings',
                query: ctx.query,
                page,
                total,
                totalPages,
                defaults: [],
              }),
            };
          },
        },
      },
    },
    {
      path: /^\/wc-bookings\/v1\/bookings\/(\d+)\/?$/,
      allow: 'GET, POST, PUT, PATCH, DELETE',
      methods: {
        GET: {
          perm: 'view',
          handle: (ctx) => {
            ctx.authorize();
            return { body: renderBooking(bookingOr404(ctx), ctx.render()) };
          },
        },
        DELETE: {
          perm: 'delete',
          handle(ctx) {
            const force = new ParamReader(ctx.query).bool('force', false);
            ctx.authorize();
            const b = bookingOr404(ctx);
            const body = renderBooking(b, ctx.render());
            if (force) ctx.store.bookings.delete(b.id);
            else ctx.store.putBooking({ ...b, status: 'trash', date_modified: Math.floor(ctx.store.now() / 1000) });
            return { body };
          },
        },
      },
    },
    {
      path: /^\/?$/,
      allow: 'GET',
      methods: {
        GET: {
          perm: 'public',
          handle(ctx) {
            const offsetH = tzOffsetMs(ctx.store.now(), ctx.site.timeZone) / 3_600_000;
            return {
              body: {
                name: shop.name,
                description: shop.description,
                url: ctx.home,
                home: ctx.home,
                gmt_offset: offsetH,
                timezone_string: ctx.site.timeZone,
                namespaces: ['oembed/1.0', 'wc/v3', 'wc/v1', 'wc-bookings/v1', 'wc/v2', 'wp/v2'],
                authentication: {
                  'application-passwords': {
                    endpoints: { authorization: `${ctx.home}/wp-admin/authorize-application.php` },
                  },
                },
                routes: Object.fromEntries(
                  routePaths().map((r) => [r, { namespace: r.split('/').slice(1, 3).join('/') }]),
                ),
              },
            };
          },
        },
      },
    },
  ];
}
