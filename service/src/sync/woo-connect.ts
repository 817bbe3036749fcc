import { TOPICS, type WooClient } from '../woocommerce/index.js';
import { RECONCILE_CURSOR } from './jobs/reconcile.job.js';
import { ORDER_STATUSES } from './order-pages.js';
import type { SyncState } from './sync-state.js';

type Webhook = {
  id: number;
  name: string;
  status: 'active' | 'paused' | 'disabled';
  topic: string;
  delivery_url: string;
};

/**
 * Creates or repairs one webhook per topic pointing at the service, all with the fresh secret, and
 * re-activates disabled ones (WooCommerce disables a webhook after repeated failed deliveries).
 * Checking the credentials is the first call: a bad key fails here with WOO_AUTH_FAILED.
 */
export async function connectStore(woo: WooClient, target: { deliveryUrl: string; secret: string }) {
  const existing = await listWebhooks(woo);
  const webhooks: { id: number; topic: string; deliveryUrl: string; action: 'created' | 'repaired' | 'reactivated' }[] =
    [];
  for (const topic of TOPICS) {
    const mine = existing.find((w) => w.topic === topic && w.delivery_url === target.deliveryUrl);
    const body = {
      name: `Privacy Bridge: ${topic}`,
      topic,
      delivery_url: target.deliveryUrl,
      secret: target.secret,
      status: 'active',
    };
    if (mine) {
      await woo.put(`webhooks/${mine.id}`, body);
      webhooks.push({
        id: mine.id,
        topic,
        deliveryUrl: target.deliveryUrl,
        action: mine.status === 'active' ? 'repaired' : 'reactivated',
      });
    } else {
      const created = await woo.post<Webhook>('webhooks', body);
      webhooks.push({ id: created.id, topic, deliveryUrl: target.deliveryUrl, action: 'created' });
    }
  }
  return { webhooks };
}

/**
 * The service's own webhooks (delivery URL = ours) that WooCommerce disabled after failed deliveries,
 * set active again. Paused ones are an operator's choice and stay paused.
 */
export async function reactivateDisabled(
  woo: WooClient,
  deliveryUrl: string,
  found: (disabled: DisabledWebhook[], webhooks: WebhookSummary[]) => Promise<void> = async () => undefined,
): Promise<{ reactivated: DisabledWebhook[]; webhooks: WebhookSummary[] }> {
  const all = await listWebhooks(woo);
  const disabled = all.filter((w) => w.delivery_url === deliveryUrl && w.status === 'disabled');
  const summary = (repaired: boolean) =>
    all.map((w) => ({
      topic: w.topic,
      status: repaired && disabled.includes(w) ? 'active' : w.status,
      ours: w.delivery_url === deliveryUrl,
    }));
  const reactivated = disabled.map((w) => ({ id: w.id, topic: w.topic }));
  await found(reactivated, summary(false));
  for (const w of disabled) await woo.put(`webhooks/${w.id}`, { status: 'active' });
  return { reactivated, webhooks: summary(true) }; // as they are now: the ones just re-activated are active
}

/** A webhook of the store as the check reads it: its topic, its status, and whether it delivers to us. */
export type WebhookSummary = { topic: string; status: string; ours: boolean };

/** One of the service's webhooks that WooCommerce disabled: its id and topic (an enum), nothing else. */
export type DisabledWebhook = { id: number; topic: string };

export async function storeStatus(woo: WooClient, state: SyncState, deliveryUrl: string) {
  const webhooks = (await listWebhooks(woo)).map((w) => ({
    id: w.id,
    topic: w.topic,
    status: w.status,
    deliveryUrl: w.delivery_url,
    ours: w.delivery_url === deliveryUrl,
  }));
  const saved = await state.cursor(RECONCILE_CURSOR);
  const watermark = saved ? (JSON.parse(saved) as { cursor: string }).cursor : null;
  // "Behind" is how much of the store's changes the watermark has not reached: from the store's last
  // change, not from now (a quiet shop is not behind).
  const [latest] = await woo.get<{ date_modified_gmt?: string | null }[]>('orders', {
    orderby: 'modified',
    order: 'desc',
    per_page: 1,
    status: ORDER_STATUSES,
  });
  const storeLastChange = latest?.date_modified_gmt ?? null;
  return {
    webhooks,
    missingTopics: TOPICS.filter((t) => !webhooks.some((w) => w.ours && w.topic === t && w.status === 'active')),
    watermark,
    storeLastChange,
    behindSeconds: watermark
      ? storeLastChange
        ? Math.max(0, Math.round((Date.parse(`${storeLastChange}Z`) - Date.parse(`${watermark}Z`)) / 1000))
        : 0
      : null,
    synced: { orders: await state.count('order'), customers: await state.count('customer') },
  };
}

async function listWebhooks(woo: WooClient): Promise<Webhook[]> {
  const all: Webhook[] = [];
  for await (const page of woo.pages<Webhook>('webhooks', { status: 'all' })) all.push(...page);
  return all;
}
