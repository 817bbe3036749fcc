import { z } from 'zod';
import type { Ledger } from '../../ledger/index.js';
import { defineJob } from '../../platform/queue/define-job.js';
import type { WooClient } from '../../woocommerce/index.js';
import { isKnownTopic } from '../../woocommerce/index.js';
import type { SyncState } from '../sync-state.js';
import { saveWebhookHealth, topicStates } from '../webhook-health.js';
import { reactivateDisabled, type DisabledWebhook, type WebhookSummary } from '../woo-connect.js';

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
 * active again and ledgers each re-activation (webhook id and topic only). What it found is kept
 * (webhook-health.ts) before it repairs anything and again after: so alerts see a webhook that was disabled even
 * when the repair works, one whose repair keeps failing stays found until a check sees it active, and the status
 * page and /metrics never call WooCommerce themselves.
 */
export const webhooksCheckJob = defineJob({
  name: 'sync.webhooks-check',
  payload: z.object({}).strict(),
  options: { attempts: 2, backoff: { type: 'fixed', delay: 30_000 }, removeOnComplete: 20, removeOnFail: 50 },
  async handle(_payload, deps: WebhooksCheckDeps, { log }) {
    const at = deps.now().toISOString();
    const save = (webhooks: WebhookSummary[], disabled: DisabledWebhook[], repaired: boolean) =>
      saveWebhookHealth(deps.state, {
        checkedAt: at,
        topics: topicStates(webhooks),
        reactivated: repaired ? [...new Set(disabled.map((w) => w.topic).filter(isKnownTopic))] : [],
        disabled,
      });
    const { reactivated, webhooks } = await reactivateDisabled(deps.woo, deps.deliveryUrl, (disabled, found) =>
      save(found, disabled, false),
    );
    for (const w of reactivated) {
      await deps.ledger.record({
        key: `woo.webhook-reactivated/${w.id}/${at}`,
        kind: 'woo.webhook.reactivated',
        source: 'service',
        detail: { webhookId: w.id, topic: w.topic },
      });
    }
    await save(webhooks, reactivated, true);
    if (reactivated.length) log.warn({ webhooks: reactivated }, 'webhooks WooCommerce had disabled are active again');
    return { reactivated: reactivated.length };
  },
});
