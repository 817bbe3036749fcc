import { WooRestError } from './woo-errors.js';
import { toGmtString, tzOffsetMs } from './woo-format.js';
import { paginationHeaders } from './woo-http.js';
import { ParamReader } from './woo-params.js';
import type { RouteDef, WooCtx } from './woo-router.js';
import type { WebhookSender, WebhookStatus, WebhookTarget } from './webhook-sender.js';

/** Hooks WooCommerce lists per topic (`get_topic_hooks()`), as recorded for order.updated. */
const HOOKS: Record<string, string[]> = {
  'order.created': ['woocommerce_new_order'],
  'order.updated': ['woocommerce_update_order', 'woocommerce_order_refunded'],
  'order.deleted': ['wp_trash_post'],
  'order.restored': ['untrashed_post'],
  'customer.created': ['user_register', 'woocommerce_created_customer', 'woocommerce_new_customer'],
  'customer.updated': ['updated_user_meta', 'woocommerce_update_customer'],
  'customer.deleted': ['delete_user'],
};

const error = (status: number, code: string, message: string) => new WooRestError(status, { code, message, data: { status } });
const invalidId = () => error(404, 'woocommerce_rest_webhook_invalid_id', 'Invalid ID.');
const STATUSES: readonly WebhookStatus[] = ['active', 'paused', 'disabled'];

/**
 * `wc/v3/webhooks` (create, list, read, update, delete) over the double's WebhookSender, shaped like
 * `webhook-create-receiver-500`, `webhook-get-auto-disabled` and `webhook-delete`. Secrets are
 * accepted but, as on the real store, never returned.
 */
export function webhookRoutes(sender: WebhookSender, times: Map<number, { created: number; modified: number | null }>): RouteDef[] {
  const render = (t: WebhookTarget, ctx: WooCtx) => {
    const at = times.get(t.id) ?? { created: ctx.store.now(), modified: null };
    const local = (ms: number | null) => (ms === null ? null : toGmtString(ms + tzOffsetMs(ms, ctx.site.timeZone)));
    const [resource, event] = t.topic.split('.');
    return {
      id: t.id, name: t.name, status: t.status, topic: t.topic, resource, event, hooks: HOOKS[t.topic] ?? [],
      delivery_url: t.deliveryUrl, date_created: local(at.created), date_created_gmt: toGmtString(at.created),
      date_modified: local(at.modified), date_modified_gmt: at.modified === null ? null : toGmtString(at.modified),
      _links: {
        self: [{ href: `${ctx.home}/wp-json/wc/v3/webhooks/${t.id}`, targetHints: { allow: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] } }],
        collection: [{ href: `${ctx.home}/wp-json/wc/v3/webhooks` }],
      },
    };
  };
  const byId = (ctx: WooCtx) => {
    const t = sender.targets.get(Number(ctx.match[1]));
    if (!t) throw invalidId();
    return t;
  };
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const update = async (ctx: WooCtx) => {
    ctx.authorize();
    const t = byId(ctx);
    const status = str(ctx.body.status);
    sender.update(t.id, {
      ...(status && (STATUSES as readonly string[]).includes(status) ? { status: status as WebhookStatus } : {}),
      ...(str(ctx.body.delivery_url) ? { deliveryUrl: str(ctx.body.delivery_url)! } : {}),
      ...(str(ctx.body.secret) ? { secret: str(ctx.body.secret)! } : {}),
    });
    if (str(ctx.body.name)) t.name = str(ctx.body.name)!;
    times.set(t.id, { created: times.get(t.id)?.created ?? ctx.store.now(), modified: ctx.store.now() });
    return { body: render(t, ctx) };
  };
  return [
    {
      path: /^\/wc\/v3\/webhooks\/?$/, allow: 'GET, POST',
      methods: {
        GET: {
          perm: 'list',
          handle(ctx) {
            const p = new ParamReader(ctx.query);
            const page = p.int('page', 1, 1);
            const perPage = p.int('per_page', 10, 1, 100);
            const status = ctx.query.get('status');
            p.done();
            ctx.authorize();
            const rows = [...sender.targets.values()].filter((t) => !status || status === 'all' || t.status === status).sort((a, b) => b.id - a.id);
            const totalPages = Math.ceil(rows.length / perPage);
            return {
              body: rows.slice((page - 1) * perPage, page * perPage).map((t) => render(t, ctx)),
              headers: paginationHeaders({ home: ctx.home, route: 'wc/v3/webhooks', query: ctx.query, page, total: page > totalPages ? 0 : rows.length, totalPages: page > totalPages ? 0 : totalPages, defaults: [] }),
            };
          },
        },
        POST: {
          perm: 'create',
          async handle(ctx) {
            const topic = str(ctx.body.topic);
            const deliveryUrl = str(ctx.body.delivery_url);
            if (!topic || !deliveryUrl) throw error(400, 'rest_missing_callback_param', 'Missing parameter(s): topic, delivery_url');
            ctx.authorize();
            const status = str(ctx.body.status);
            const t = await sender.register({
              topic, deliveryUrl, secret: str(ctx.body.secret) ?? '', name: str(ctx.body.name),
              status: status && (STATUSES as readonly string[]).includes(status) ? (status as WebhookStatus) : 'active',
            });
            times.set(t.id, { created: ctx.store.now(), modified: null });
            return { status: 201, body: render(t, ctx), headers: { Location: `${ctx.home}/wp-json/wc/v3/webhooks/${t.id}` } };
          },
        },
      },
    },
    {
      path: /^\/wc\/v3\/webhooks\/(\d+)\/?$/, allow: 'GET, POST, PUT, PATCH, DELETE',
      methods: {
        GET: { perm: 'view', handle: (ctx) => { ctx.authorize(); return { body: render(byId(ctx), ctx) }; } },
        PUT: { perm: 'edit', handle: update },
        POST: { perm: 'edit', handle: update },
        PATCH: { perm: 'edit', handle: update },
        DELETE: {
          perm: 'delete',
          handle(ctx) {
            ctx.authorize();
            const t = byId(ctx);
            const body = render(t, ctx);
            sender.targets.delete(t.id);
            return { body };
          },
        },
      },
    },
  ];
}
