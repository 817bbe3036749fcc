import { z } from 'zod';
import type { Ledger } from '../../ledger/index.js';
import { defineJob } from '../../platform/queue/define-job.js';
import type { WooClient } from '../../woocommerce/index.js';
import { isKnownTopic } from '../../woocommerce/index.js';
import type { SyncState } from '../sync-state.js';
import { saveWebhookHealth, topicStates } from '../webhook-health.js';
import { reactivateDisabled } from '../woo-connect.js';

export type WebhooksCheckDeps = {
  woo: WooClient;
  ledger: Ledger;
  state: SyncState;
  deliveryUrl: string;
  now: () => Date;
};

/**
 * WooCommerce disables a webhook after repeated failed deliveries (a Redis blip, a restart) and
 * never tries it again: this periodic check, through REST, sets the service's own disabled webhooks
 * active again and ledgers each re-activation (webhook id and topic only). What it found per topic is
 * kept (webhook-health.ts) for the status page and /metrics, which so never call WooCommerce themselves.
 */
export const webhooksCheckJob = defineJob({
  name: 'sync.webhooks-check',
  payload: z.object({}).strict(),
  options: { attempts: 2, backoff: { type: 'fixed', delay: 30_000 }, removeOnComplete: 20, removeOnFail: 50 },
  async handle(_payload, deps: WebhooksCheckDeps, { log }) {
    const { reactivated, webhooks } = await reactivateDisabled(deps.woo, deps.deliveryUrl);
    const at = deps.now().toISOString();
    for (const w of reactivated) {
      await deps.ledger.record({
        key: `woo.webhook-reactivated/${w.id}/${at}`,
        kind: 'woo.webhook.reactivated',
        source: 'service',
        detail: { webhookId: w.id, topic: w.topic },
      });
    }
    await saveWebhookHealth(deps.state, {
      checkedAt: at,
      topics: topicStates(webhooks),
      reactivated: [...new Set(reactivated.map((w) => w.topic).filter(isKnownTopic))],
    });
    if (reactivated.length) log.warn({ webhooks: reactivated }, 'webhooks WooCommerce had disabled are active again');
    return { reactivated: reactivated.length };
  },
});
