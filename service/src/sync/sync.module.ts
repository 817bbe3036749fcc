import type { Core } from '../core.js';
import type { ModuleContext, ServiceModule } from '../platform/module.js';
import { bind } from '../platform/queue/job-runtime.js';
import { webhookRoutes } from '../webhooks/webhooks.routes.js';
import { reconcileJob } from './jobs/reconcile.job.js';
import { syncResourceJob } from './jobs/sync-resource.job.js';
import { syncEnqueuer } from './sync-enqueue.js';
import { configuredSync, SyncService } from './sync.service.js';
import { SyncState } from './sync-state.js';
import { WebhookSecrets } from './webhook-secrets.js';
import type { WooStoreHandle } from './woo-store.js';

/**
 * WooCommerce → ledger: the webhook receiver (speed) and the scheduled reconciliation (truth).
 * Without a store (no WOOCOMMERCE_URL, demo off) only the receiver runs, refusing every delivery.
 */
export function syncModule(ctx: ModuleContext<Core>, woo: WooStoreHandle | null, secrets: WebhookSecrets): ServiceModule {
  const { config, core, queue, log, clock } = ctx;
  const state = new SyncState(core.db);
  const routes = webhookRoutes({
    secrets: () => secrets.active(),
    log,
    count: (outcome) => ctx.metrics.webhooks.inc({ outcome }),
    enqueue: syncEnqueuer(queue),
  });
  if (!woo) return { name: 'sync', rawRouters: [routes] };

  const sync = configuredSync(config, { woo: woo.client, ledger: core.ledger, state, clock, log });
  return {
    name: 'sync',
    rawRouters: [routes],
    jobs: [
      bind(syncResourceJob, { sync }),
      bind(reconcileJob, { woo: woo.client, sync, state, overlapSeconds: config.sync.overlapSeconds, now: () => clock.now() }),
    ],
    async schedule(q) {
      await q.queue('sync').upsertJobScheduler('sync-reconcile', { every: config.sync.reconcileEverySeconds * 1000 }, { name: reconcileJob.name, data: { customers: true } });
    },
    close: () => woo.close(),
  };
}

export { SyncService, SyncState, WebhookSecrets };
