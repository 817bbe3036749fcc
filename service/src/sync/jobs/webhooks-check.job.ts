import { z } from 'zod';
import type { Ledger } from '../../ledger/index.js';
import { defineJob } from '../../platform/queue/define-job.js';
import type { WooClient } from '../../woocommerce/index.js';
import { isKnownTopic } from '../../woocommerce/index.js';
import type { SyncState } from '../sync-state.js';
import { saveWebhookHealth, topicStates } from '../webhook-health.js';
import { reactivateDisabled, type DisabledWebhook } from '../woo-connect.js';

/** Where the last check's findings are kept (sync_cursors): the disabled webhooks it found, ids and topics only. */
export const WEBHOOKS_CHECK_CURSOR = 'webhooks:last-check';

export type WebhooksCheckDeps = {
  woo: WooClient;
  ledger: Ledger;
  state: SyncState;
  deliveryUrl: string;
  now: () => Date;
};

/** What the last webhook check found disabled (and set active again), and when; null before the first check. */
export async function lastWebhookCheck(
  state: SyncState,
): Promise<{ at: string; disabled: readonly DisabledWebhook[] } | null> {
  const [value, at] = await Promise.all([
    state.cursor(WEBHOOKS_CHECK_CURSOR),
    state.cursorUpdatedAt(WEBHOOKS_CHECK_CURSOR),
  ]);
  if (value === null || at === null) return null;
  return { at, disabled: (JSON.parse(value) as { disabled: DisabledWebhook[] }).disabled };
}

/**
 * WooCommerce disables a webhook after repeated failed deliveries (a Redis blip, a restart) and
 * never tries it again: this periodic check, through REST, sets the service's own disabled webhooks
 * active again and ledgers each re-activation (webhook id and topic only). What it found disabled is kept
 * (WEBHOOKS_CHECK_CURSOR) before it repairs anything, so alerts see a webhook that was disabled even when the
 * repair works, and one whose repair keeps failing stays found until a check sees it active; what it found per
 * topic is kept too (webhook-health.ts), for the status page and /metrics, which so never call WooCommerce.
 */
export const webhooksCheckJob = defineJob({
  name: 'sync.webhooks-check',
  payload: z.object({}).strict(),
  options: { attempts: 2, backoff: { type: 'fixed', delay: 30_000 }, removeOnComplete: 20, removeOnFail: 50 },
  async handle(_payload, deps: WebhooksCheckDeps, { log }) {
    const { reactivated, webhooks } = await reactivateDisabled(deps.woo, deps.deliveryUrl, (disabled) =>
      deps.state.setCursor(WEBHOOKS_CHECK_CURSOR, JSON.stringify({ disabled }), deps.now()),
    );
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
