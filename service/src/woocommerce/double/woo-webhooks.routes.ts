import { WooRestError } from './woo-errors.js';
import { toGmtString, tzOffsetMs } from './woo-format.js';
import { paginationHeaders } from './woo-http.js';
import { ParamReader } from './woo-params.js';
import type { RouteDef, WooCtx } from './woo-router.js';
import type { WebhookSender, WebhookStatus, WebhookTarget } from './webhook-sender.js';

/** Hooks WooCommerce lists per topic (`get_topic_hooks()`), as recorded in `webhooks-list`. */
const HOOKS: Record<string, string[]> = {
  'order.created': ['woocommerce_new_order'],
  'order.updated': ['woocommerce_update_order', 'woocommerce_order_refunded'],
  'order.deleted': ['wp_trash_post', 'woocommerce_trash_order'],
  'order.restored': ['untrashed_post', 'woocommerce_untrash_order'],
  'customer.created': ['user_register', 'woocommerce_created_customer', 'woocommerce_new_customer'],
  'customer.updated': ['profile_update', 'woocommerce_update_customer'],
  'customer.deleted': ['delete_user'],
};

const error = (status: number, code: string, message: string) =>
  new WooRestError(status, { code, message, data: { status } });
const invalidId = () => error(404, 'woocommerce_rest_webhook_invalid_id', 'Invalid ID.');
const STATUSES: readonly WebhookStatus[] = ['active', 'paused', 'disabled'];

/**
 * `wc/v3/webhooks` (create, list, read, update, delete) over the double's WebhookSender, shaped like
 * `webhook-create-receiver-500`, `webhook-get-auto-disabled` and `webhook-delete`. Secrets are
 * accepted but, as on the real store, never returned.
 */
export function webhookRoutes(sender: WebhookSender): RouteDef[] {
  const render = (t: WebhookTarget, ctx: WooCtx) => {
    const at = { created: t.createdAt ?? ctx.store.now(), modified: t.modifiedAt ?? null };
    const local = (ms: number | null) => (ms === null ? null : toGmtString(ms + tzOffsetMs(ms, ctx.site.timeZone)));
    const [resource, event] = t.topic.split('.');
    return {
      id: t.id,
      name: t.name,
      status: t.status,
      topic: t.topic,
      resource,
      event,
      hooks: HOOKS[t.topic] ?? [],
      delivery_url: t.deliveryUrl,
      date_created: local(at.created),
      date_created_gmt: toGmtString(at.created),
      date_modified: local(at.modified),
      date_modified_gmt: at.modified === null ? null : toGmtString(at.modified),
      _links: {
        self: [
          {
            href: `${ctx.home}/wp-json/wc/v3/webhooks/${t.id}`,
            targetHints: { allow: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] },
          },
        ],
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
    t.modifiedAt = ctx.store.now();
    return { body: render(t, ctx) };
  };
  return [
    {
      path: /^\/wc\/v3\/webhooks\/?$/,
      allow: 'GET, POST',
      methods: {
        GET: {
          perm: 'list',
          handle(ctx) {
            const p = new ParamReader(ctx.query);
            const page = p.int('page', 1, 1);
            const perPage = p.int('per_page', 10, 1, 100);
            const status = p.oneOf('status', ['all', ...STATUSES] as const, 'all');
            const order = p.oneOf('order', ['asc', 'desc'] as const, 'desc');
            const orderby = p.oneOf('orderby', ['date', 'id', 'include', 'title', 'slug', 'modified'] as const, 'date');
            p.done();
            ctx.authorize();
            // WP_Webhook_Data_Store::search_webhooks(): ORDER BY the column, webhook_id as the tiebreak.
            const key = (t: WebhookTarget) =>
              orderby === 'date'
                ? (t.createdAt ?? 0)
                : orderby === 'modified'
                  ? (t.modifiedAt ?? 0)
                  : orderby === 'title' || orderby === 'slug'
                    ? t.name
                    : t.id;
            const dir = order === 'asc' ? 1 : -1;
            const rows = [...sender.targets.values()]
              .filter((t) => status === 'all' || t.status === status)
              .sort((a, b) => (key(a) === key(b) ? a.id - b.id : key(a) < key(b) ? -1 : 1) * dir);
            const totalPages = Math.ceil(rows.length / perPage);
            return {
              body: rows.slice((page - 1) * perPage, page * perPage).map((t) => render(t, ctx)),
              headers: paginationHeaders({
                home: ctx.home,
                route: 'wc/v3/webhooks',
                query: ctx.query,
                page,
                total: page > totalPages ? 0 : rows.length,
                totalPages: page > totalPages ? 0 : totalPages,
                defaults: [],
              }),
            };
          },
        },
        POST: {
          perm: 'create',
          async handle(ctx) {
            const topic = str(ctx.body.topic);
            const deliveryUrl = str(ctx.body.delivery_url);
            if (!topic || !deliveryUrl)
              throw error(400, 'rest_missing_callback_param', 'Missing parameter(s): topic, delivery_url');
            ctx.authorize();
            const status = str(ctx.body.status);
            const t = await sender.register({
              topic,
              deliveryUrl,
              secret: str(ctx.body.secret) ?? '',
              name: str(ctx.body.name),
              status: status && (STATUSES as readonly string[]).includes(status) ? (status as WebhookStatus) : 'active',
            });
            return {
              status: 201,
              body: render(t, ctx),
              headers: { Location: `${ctx.home}/wp-json/wc/v3/webhooks/${t.id}` },
            };
          },
        },
      },
    },
    {
      path: /^\/wc\/v3\/webhooks\/(\d+)\/?$/,
      allow: 'GET, POST, PUT, PATCH, DELETE',
      methods: {
        GET: {
          perm: 'view',
          handle: (ctx) => {
            ctx.authorize();
            return { body: render(byId(ctx), ctx) };
          },
        },
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
