import type { Ledger } from '../ledger/index.js';
import type { Database } from '../platform/db/database.js';
import type { ModuleContext, ServiceModule } from '../platform/module.js';
import { bind } from '../platform/queue/job-runtime.js';
import { reconcileJob } from './jobs/reconcile.job.js';
import { syncResourceJob } from './jobs/sync-resource.job.js';
import { webhooksCheckJob } from './jobs/webhooks-check.job.js';
import { disappearedJob } from './jobs/disappeared.job.js';
import { syncEnqueuer } from './sync-enqueue.js';
import { configuredSync, SyncService } from './sync.service.js';
import { SyncState } from './sync-state.js';
import { WebhookSecrets } from './webhook-secrets.js';
import type { SyncConfig } from './settings.js';
import { drainInbox, enqueueOrKeep, WebhookInbox } from './webhook-inbox.js';
import { webhookRoutes } from './webhooks.routes.js';
import { webhookHealth, WEBHOOK_STATES } from './webhook-health.js';
import { sharedRead } from '../platform/metrics.js';
import { TOPICS } from '../woocommerce/index.js';
import type { WooStoreHandle } from './woo-store.js';

/** How often kept deliveries are moved to Redis once it answers again. */
const INBOX_DRAIN_MS = 1_000;

/**
 * WooCommerce → ledger: the webhook receiver (speed) and the scheduled reconciliation (truth).
 * Deliveries arriving while Redis is away wait in the database's inbox and are queued when it is back.
 * Without a store (no WOOCOMMERCE_URL, demo off) only the receiver runs, refusing every delivery.
 */
export function syncModule(
  ctx: ModuleContext<{ readonly db: Database; readonly ledger: Ledger }, Pick<SyncConfig, 'publicUrl' | 'sync'>>,
  woo: WooStoreHandle | null,
  secrets: WebhookSecrets,
): ServiceModule {
  const { config, core, queue, log, clock } = ctx;
  const state = new SyncState(core.db);
  const inbox = new WebhookInbox(core.db);
  const toRedis = syncEnqueuer(queue);
  const routes = webhookRoutes({
    secrets: () => secrets.active(),
    log,
    count: (outcome) => ctx.metrics.webhooks.inc({ outcome }),
    enqueue: enqueueOrKeep({ enqueue: toRedis, inbox, now: () => clock.now(), log }),
  });
  ctx.metrics.gauge(
    'pb_webhook_inbox',
    'Webhook deliveries kept in the database while Redis was away, not yet queued',
    [],
    async (set) => set({}, await inbox.count()),
  );
  // Each topic's state as the last webhook check found it (webhook-health.ts): no call to WooCommerce per scrape.
  const health = sharedRead(() => webhookHealth(state));
  ctx.metrics.gauge(
    'pb_webhook_topic_state',
    "Each WooCommerce webhook topic's state at the last check: 1 for the state it is in (active, paused, disabled, missing)",
    ['topic', 'state'],
    async (set) => {
      const h = await health();
      if (!h) return;
      for (const topic of TOPICS)
        for (const s of WEBHOOK_STATES) set({ topic, state: s }, h.topics[topic] === s ? 1 : 0);
    },
  );
  ctx.metrics.gauge(
    'pb_webhook_check_age_seconds',
    "Seconds since the webhook check last listed the store's webhooks (-1: never)",
    [],
    async (set) => {
      const h = await health();
      set({}, h ? Math.max(0, Math.round((clock.now().getTime() - Date.parse(h.checkedAt)) / 1000)) : -1);
    },
  );
  const drain = {
    name: 'webhook-inbox',
    everyMs: INBOX_DRAIN_MS,
    run: async () => (ctx.redis.status === 'ready' ? drainInbox({ enqueue: toRedis, inbox }) : 0),
  };
  if (!woo) return { name: 'sync', rawRouters: [routes], tasks: [drain] };

  const sync = configuredSync(config, { woo: woo.client, ledger: core.ledger, state, clock, log });
  const deliveryUrl = `${config.publicUrl}/webhooks/woocommerce`;
  return {
    name: 'sync',
    rawRouters: [routes],
    tasks: [drain],
    jobs: [
      bind(syncResourceJob, { sync }),
      bind(reconcileJob, {
        woo: woo.client,
        sync,
        state,
        overlapSeconds: config.sync.overlapSeconds,
        now: () => clock.now(),
      }),
      bind(disappearedJob, { woo: woo.client, sync, state }),
      bind(webhooksCheckJob, { woo: woo.client, ledger: core.ledger, state, deliveryUrl, now: () => clock.now() }),
    ],
    async schedule(q) {
      await q
        .queue('sync')
        .upsertJobScheduler(
          'sync-reconcile',
          { every: config.sync.reconcileEverySeconds * 1000 },
          { name: reconcileJob.name, data: { customers: true } },
        );
      await q
        .queue('sync')
        .upsertJobScheduler(
          'sync-disappeared',
          { every: config.sync.deletionsEverySeconds * 1000 },
          { name: disappearedJob.name, data: {} },
        );
      await q
        .queue('sync')
        .upsertJobScheduler(
          'sync-webhooks-check',
          { every: config.sync.webhookCheckEverySeconds * 1000 },
          { name: webhooksCheckJob.name, data: {} },
        );
    },
    close: () => woo.close(),
  };
}

export { SyncService, SyncState, WebhookSecrets };
