import { z } from 'zod';
import type { Ledger } from '../../ledger/index.js';
import { defineJob } from '../../platform/queue/define-job.js';
import type { WooClient } from '../../woocommerce/index.js';
import { reactivateDisabled } from '../woo-connect.js';

export type WebhooksCheckDeps = { woo: WooClient; ledger: Ledger; deliveryUrl: string; now: () => Date };

/**
 * WooCommerce disables a webhook after repeated failed deliveries (a Redis blip, a restart) and
 * never tries it again: this periodic check, through REST, sets the service's own disabled webhooks
 * active again and ledgers each re-activation (webhook id and topic only).
 */
export const webhooksCheckJob = defineJob({
  name: 'sync.webhooks-check',
  payload: z.object({}).strict(),
  options: { attempts: 2, backoff: { type: 'fixed', delay: 30_000 }, removeOnComplete: 20, removeOnFail: 50 },
  async handle(_payload, deps: WebhooksCheckDeps, { log }) {
    const reactivated = await reactivateDisabled(deps.woo, deps.deliveryUrl);
    const at = deps.now().toISOString();
    for (const w of reactivated) {
      await deps.ledger.record({
        key: `woo.webhook-reactivated/${w.id}/${at}`,
        kind: 'woo.webhook.reactivated',
        source: 'service',
        detail: { webhookId: w.id, topic: w.topic },
      });
    }
    if (reactivated.length) log.warn({ webhooks: reactivated }, 'webhooks WooCommerce had disabled are active again');
    return { reactivated: reactivated.length };
  },
});
