import { ERR, WooRestError } from './woo-errors.js';
import { paginationHeaders } from './woo-http.js';
import { applyOrderUpdate, createOrderFromBody, type Product } from './woo-order-writes.js';
import { ParamReader } from './woo-params.js';
import { renderNote, renderOrder, renderRefund } from './woo-render.js';
import { ALLOW_COLLECTION, type RouteDef, type WooCtx } from './woo-router.js';
import { orderOr404 } from './woo-orders.routes.js';

const BATCH_LIMIT = 100;
const inline = (id: number, e: unknown) => {
  if (!(e instanceof WooRestError)) throw e;
  return { id, error: e.body };
};

/** Order notes, refunds (per order and `GET /wc/v3/refunds`) and `POST /orders/batch`. */
export function orderChildRoutes(products: ReadonlyMap<number, Product>, version: string): RouteDef[] {
  const orderFor = (ctx: WooCtx) => {
    const order = ctx.store.orders.get(Number(ctx.match[1]));
    if (!order) throw ERR.orderIdInvalid();
    return order;
  };
  const refundsPage = (
    ctx: WooCtx,
    route: string,
    rows: ReturnType<WooCtx['store']['refundsOf']>,
    withParent: boolean,
  ) => {
    const p = new ParamReader(ctx.query);
    const page = p.int('page', 1, 1);
    const perPage = p.int('per_page', 10, 1, 100);
    p.done();
    ctx.authorize();
    let [total, totalPages] = [rows.length, Math.ceil(rows.length / perPage)];
    const slice = rows.slice((page - 1) * perPage, page * perPage);
    if (page > totalPages) [total, totalPages] = [0, 0];
    return {
      body: slice.map((r) => renderRefund(r, ctx.render(), withParent)),
      headers: paginationHeaders({
        home: ctx.home,
        route,
        query: ctx.query,
        page,
        total,
        totalPages,
        defaults: [
          ['dp', '0'],
          ['context', 'view'],
        ],
      }),
    };
  };
  return [
    {
      path: /^\/wc\/v3\/orders\/(\d+)\/notes\/?$/,
      allow: ALLOW_COLLECTION,
      methods: {
        GET: {
          perm: 'list',
          handle(ctx) {
            const type = new ParamReader(ctx.query).oneOf('type', ['any', 'customer', 'internal'] as const, 'any');
            ctx.authorize();
            const notes = ctx.store
              .notesOf(orderFor(ctx).id)
              .filter((n) => type === 'any' || (type === 'customer') === n.customer_note);
            return { body: notes.map((n) => renderNote(n, ctx.render())) };
          },
        },
        POST: {
          perm: 'create',
          handle(ctx) {
            ctx.authorize();
            const order = orderFor(ctx);
            const byUser = ctx.body.added_by_user === true;
            const note = ctx.store.addNote(order.id, {
              note: String(ctx.body.note ?? ''),
              customer_note: ctx.body.customer_note === true,
              author: byUser ? 'admin' : 'WooCommerce',
            });
            return {
              status: 201,
              body: renderNote(note, ctx.render()),
              headers: { Location: `${ctx.home}/wp-json/wc/v3/orders/${order.id}/notes/${note.id}` },
            };
          },
        },
      },
    },
    {
      path: /^\/wc\/v3\/orders\/(\d+)\/notes\/(\d+)\/?$/,
      allow: 'GET, DELETE',
      methods: {
        GET: {
          perm: 'view',
          handle(ctx) {
            ctx.authorize();
            return { body: renderNote(noteFor(ctx, orderFor(ctx).id), ctx.render()) };
          },
        },
        DELETE: {
          perm: 'delete',
          handle(ctx) {
            const force = new ParamReader(ctx.query).bool('force', false);
            ctx.authorize();
            const note = noteFor(ctx, orderFor(ctx).id);
            if (!force) throw ERR.trashNotSupported('Order notes');
            ctx.store.deleteNote(note.id);
            return { body: renderNote(note, ctx.render()) };
          },
        },
      },
    },
    {
      path: /^\/wc\/v3\/orders\/(\d+)\/refunds\/?$/,
      allow: ALLOW_COLLECTION,
      methods: {
        GET: {
          perm: 'list',
          handle: (ctx) =>
            refundsPage(ctx, `wc/v3/orders/${ctx.match[1]}/refunds`, ctx.store.refundsOf(orderFor(ctx).id), false),
        },
        POST: {
          perm: 'create',
          handle(ctx) {
            ctx.authorize();
            const order = orderFor(ctx);
            const amount = Number(ctx.body.amount ?? 0);
            const already = ctx.store.refundsOf(order.id).reduce((s, r) => s + Number(r.amount), 0);
            if (!(amount > 0) || amount + already > Number(order.total)) throw ERR.refundTooLarge();
            const refund = ctx.store.addRefund({
              orderId: order.id,
              amount: String(amount),
              reason: String(ctx.body.reason ?? ''),
              refunded_by: 1,
              refunded_payment: false,
              meta_data: [],
              line_items: [],
            });
            // Recorded verbatim: WooCommerce 9.9.5 leaves the route regex in this Location header.
            const location = `${ctx.home}/wp-json/wc/v3/orders/(?P<order_id>[\\d]+)/refunds/${refund.id}`;
            return { status: 201, body: renderRefund(refund, ctx.render()), headers: { Location: location } };
          },
        },
      },
    },
    {
      path: /^\/wc\/v3\/orders\/(\d+)\/refunds\/(\d+)\/?$/,
      allow: 'GET, DELETE',
      methods: {
        GET: {
          perm: 'view',
          handle(ctx) {
            ctx.authorize();
            const refund = ctx.store.refunds.get(Number(ctx.match[2]));
            if (!refund || refund.orderId !== orderFor(ctx).id) throw ERR.refundNotFound();
            return { body: renderRefund(refund, ctx.render()) };
          },
        },
      },
    },
    {
      path: /^\/wc\/v3\/refunds\/?$/,
      allow: 'GET',
      methods: {
        GET: { perm: 'list', handle: (ctx) => refundsPage(ctx, 'wc/v3/refunds', ctx.store.refundsOf(), true) },
      },
    },
    {
      path: /^\/wc\/v3\/orders\/batch\/?$/,
      allow: 'POST, PUT, PATCH',
      methods: Object.fromEntries(
        (['POST', 'PUT', 'PATCH'] as const).map((m) => [
          m,
          {
            perm: 'batch' as const,
            handle(ctx: WooCtx) {
              const list = (k: string) => (Array.isArray(ctx.body[k]) ? (ctx.body[k] as unknown[]) : []);
              const [create, update, del] = [list('create'), list('update'), list('delete')];
              if (create.length + update.length + del.length > BATCH_LIMIT) throw ERR.batchTooLarge(BATCH_LIMIT);
              ctx.authorize();
              const single = { single: true };
              const out: Record<string, unknown[]> = {};
              if (create.length)
                out.create = create.map((b) => {
                  try {
                    return renderOrder(
                      createOrderFromBody(ctx.store, products, b as never, version),
                      ctx.store,
                      ctx.render(single),
                    );
                  } catch (e) {
                    return inline(0, e);
                  }
                });
              if (update.length)
                out.update = update.map((b) => {
                  const id = Number((b as { id?: unknown }).id);
                  try {
                    return renderOrder(
                      applyOrderUpdate(ctx.store, orderOr404(ctx, String(id)), b as never),
                      ctx.store,
                      ctx.render(single),
                    );
                  } catch (e) {
                    return inline(id, e);
                  }
                });
              // Batch delete is a permanent delete (force): no order.deleted webhook.
              if (del.length)
                out.delete = del.map((raw) => {
                  const id = Number(raw);
                  try {
                    const body = renderOrder(orderOr404(ctx, String(id)), ctx.store, ctx.render(single));
                    ctx.store.deleteOrder(id);
                    return body;
                  } catch (e) {
                    return inline(id, e);
                  }
                });
              return { body: out };
            },
          },
        ]),
      ),
    },
  ];
}

function noteFor(ctx: WooCtx, orderId: number) {
  const note = ctx.store.notes.get(Number(ctx.match[2]));
  if (!note || note.orderId !== orderId) throw ERR.noteNotFound();
  return note;
}
