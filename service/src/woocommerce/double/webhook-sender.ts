import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { wpHash, wpJsonEncode } from './woo-format.js';
import type { StoreChange, WooStore } from './woo-store.js';

export type WebhookStatus = 'active' | 'paused' | 'disabled';
export type WebhookTarget = {
  id: number;
  name: string;
  topic: string;
  deliveryUrl: string;
  secret: string;
  status: WebhookStatus;
  failureCount: number;
  pendingDelivery: boolean;
  /** Epoch ms of the post's creation and last save (`date_created_gmt`, `date_modified_gmt`; null until first re-saved). */
  createdAt?: number;
  modifiedAt?: number | null;
};
export type DeliveryLog = {
  webhookId: number;
  kind: 'ping' | 'delivery';
  topic?: string;
  resourceId?: number;
  url: string;
  headers: Record<string, string>;
  body: string;
  status: number | 'error';
};

/** `base64( HMAC-SHA256( raw body bytes, secret ) )` — WC_Webhook::generate_signature(). */
export const signWebhookBody = (body: string | Buffer, secret: string): string =>
  createHmac('sha256', secret).update(body).digest('base64');

const MAX_FAILURES = 5; // woocommerce_max_webhook_delivery_failures
const TIMEOUT_MS = 60_000;

export type WebhookSenderOptions = {
  store: WooStore;
  /** `X-WC-Webhook-Source`: home URL with trailing slash. */
  source: () => string;
  /** The body: same JSON as GET /wc/v3/<resource>s/<id>, rendered at delivery time (null: gone). */
  payload: (resource: 'order' | 'customer', id: number) => unknown | null;
  userAgent: string;
  salt: string;
};

/**
 * WooCommerce's webhook delivery as recorded: changes are queued per (webhook, resource) and
 * coalesced until `flush()` (the Action Scheduler run), each delivery is attempted once, success
 * is HTTP 200–302, the 7th consecutive failure disables the webhook, and while the creation ping
 * never got a 200 every save of the webhook re-sends the unsigned `webhook_id=N` ping.
 */
export class WebhookSender {
  readonly targets = new Map<number, WebhookTarget>();
  readonly log: DeliveryLog[] = [];
  enabled = true;
  /** When true (default), queued deliveries run on the next tick; false: only on flush(). */
  autoFlush = true;
  private nextId = 0;
  private readonly queue = new Map<string, { webhookId: number; change: StoreChange }>();
  private scheduled: Promise<DeliveryLog[]> | null = null;

  constructor(private readonly opts: WebhookSenderOptions) {
    opts.store.changes.on('change', (change: StoreChange) => this.enqueue(change));
  }

  /** Like POST /wc/v3/webhooks: saved first, then pinged synchronously (result ignored). */
  async register(t: {
    topic: string;
    deliveryUrl: string;
    secret: string;
    name?: string;
    status?: WebhookStatus;
    id?: number;
    createdAt?: number;
    modifiedAt?: number | null;
  }): Promise<WebhookTarget> {
    const target: WebhookTarget = {
      id: t.id ?? ++this.nextId,
      name: t.name ?? t.topic,
      topic: t.topic,
      deliveryUrl: t.deliveryUrl,
      secret: t.secret,
      status: t.status ?? 'active',
      failureCount: 0,
      pendingDelivery: true,
      createdAt: t.createdAt ?? this.opts.store.now(),
      modifiedAt: t.modifiedAt ?? null,
    };
    this.nextId = Math.max(this.nextId, target.id);
    this.targets.set(target.id, target);
    if (target.status === 'active' && this.enabled) await this.ping(target);
    return target;
  }

  update(id: number, patch: Partial<Pick<WebhookTarget, 'status' | 'deliveryUrl' | 'secret'>>): WebhookTarget {
    const target = this.targets.get(id);
    if (!target) throw new Error(`no webhook ${id}`);
    Object.assign(target, patch); // re-enabling does not reset failureCount (recorded)
    return target;
  }

  private enqueue(change: StoreChange): void {
    if (!this.enabled) return;
    for (const t of this.targets.values()) {
      if (t.status !== 'active' || t.topic !== `${change.resource}.${change.event}`) continue;
      const key = `${t.id}:${change.resource}:${change.event}:${change.id}`;
      if (!this.queue.has(key)) this.queue.set(key, { webhookId: t.id, change }); // coalescing
    }
    if (this.autoFlush && this.queue.size && !this.scheduled) {
      this.scheduled = new Promise((resolve) => setImmediate(() => resolve(this.flush())));
    }
  }

  /** Runs every queued delivery (what WP-Cron's Action Scheduler run does). */
  async flush(): Promise<DeliveryLog[]> {
    const jobs = [...this.queue.values()];
    this.queue.clear();
    this.scheduled = null;
    const out: DeliveryLog[] = [];
    for (const job of jobs) {
      const t = this.targets.get(job.webhookId);
      if (!t || t.status !== 'active' || !this.enabled) continue; // disabled meanwhile: dropped, not queued
      const entry = await this.deliver(t, job.change);
      if (entry) out.push(entry);
    }
    return out;
  }

  /** Awaits deliveries already scheduled by autoFlush, then anything still queued. */
  async settle(): Promise<DeliveryLog[]> {
    const first = this.scheduled ? await this.scheduled : [];
    return [...first, ...(await this.flush())];
  }

  private async deliver(t: WebhookTarget, change: StoreChange): Promise<DeliveryLog | null> {
    const payload = change.event === 'deleted' ? { id: change.id } : this.opts.payload(change.resource, change.id);
    if (payload === null) return null;
    const body = wpJsonEncode(payload).trim();
    const headers: Record<string, string> = {
      'User-Agent': this.opts.userAgent,
      Accept: '*/*',
      'Accept-Encoding': 'deflate, gzip, br, zstd',
      'Content-Type': 'application/json',
      'X-WC-Webhook-Source': this.opts.source(),
      'X-WC-Webhook-Topic': t.topic,
      'X-WC-Webhook-Resource': change.resource,
      'X-WC-Webhook-Event': change.event,
      'X-WC-Webhook-Signature': signWebhookBody(body, t.secret),
      'X-WC-Webhook-ID': String(t.id),
      'X-WC-Webhook-Delivery-ID': wpHash(`${t.id}${Math.floor(this.opts.store.now() / 1000)}`, this.opts.salt),
      Connection: 'close',
    };
    const status = await post(t.deliveryUrl, headers, body);
    const entry: DeliveryLog = {
      webhookId: t.id,
      kind: 'delivery',
      topic: t.topic,
      resourceId: change.id,
      url: t.deliveryUrl,
      headers,
      body,
      status,
    };
    this.log.push(entry);
    const before = `${t.status}/${t.failureCount}`;
    if (typeof status === 'number' && status >= 200 && status < 303) t.failureCount = 0;
    else if (t.failureCount > MAX_FAILURES) t.status = 'disabled';
    else t.failureCount++;
    if (`${t.status}/${t.failureCount}` !== before) t.modifiedAt = this.opts.store.now(); // the webhook is saved
    if (t.status === 'active' && t.pendingDelivery) await this.ping(t); // data store update() re-pings
    return entry;
  }

  private async ping(t: WebhookTarget): Promise<void> {
    const body = `webhook_id=${t.id}`;
    const headers = {
      'User-Agent': this.opts.userAgent,
      Accept: '*/*',
      'Accept-Encoding': 'deflate, gzip, br, zstd',
      Connection: 'close',
      'Content-Type': 'application/x-www-form-urlencoded',
    };
    const status = await post(t.deliveryUrl, headers, body);
    this.log.push({ webhookId: t.id, kind: 'ping', url: t.deliveryUrl, headers, body, status });
    if (status === 200) t.pendingDelivery = false; // deliver_ping() wants exactly 200
  }
}

/** One POST, no redirects followed, 60 s timeout; transport errors count as failures. */
function post(url: string, headers: Record<string, string>, body: string): Promise<number | 'error'> {
  const buf = Buffer.from(body, 'utf8');
  const client = url.startsWith('https:') ? https : http;
  return new Promise((resolve) => {
    const req = client.request(
      url,
      { method: 'POST', headers: { ...headers, 'Content-Length': String(buf.length) }, timeout: TIMEOUT_MS },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve('error'));
    req.end(buf);
  });
}
