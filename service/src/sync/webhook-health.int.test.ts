import { migrate } from '../platform/db/migrate.js';
import { sensitive } from '../platform/sensitive.js';
import { sqliteHarness } from '../testing/ledger-harness.js';
import { captureLogs } from '../testing/log-capture.js';
import { createWooDouble, DEFAULT_KEY } from '../woocommerce/double/woo-double.js';
import { TOPICS, WooClient } from '../woocommerce/index.js';
import { webhooksCheckJob } from './jobs/webhooks-check.job.js';
import { SyncState } from './sync-state.js';
import { syncMigrations } from './sync.migrations.js';
import { webhookHealth } from './webhook-health.js';

describe("the webhook check keeps each topic's state for the status page and /metrics", () => {
  it('records active, paused, re-activated and missing topics, and only our own webhooks count', async () => {
    const h = await sqliteHarness();
    await migrate(h.db, syncMigrations);
    const double = createWooDouble();
    const server = await double.listen(0);
    const logs = captureLogs();
    try {
      const woo = new WooClient(
        {
          url: server.url,
          consumerKey: sensitive(DEFAULT_KEY.consumerKey),
          consumerSecret: sensitive(DEFAULT_KEY.consumerSecret),
        },
        logs.log,
      );
      const state = new SyncState(h.db);
      expect(await webhookHealth(state)).toBeNull();
      const ours = 'https://bridge.example.invalid/webhooks/woocommerce';
      const made: Record<string, number> = {};
      // Every topic but customer.deleted; order.deleted only someone else's.
      for (const topic of TOPICS.filter((t) => t !== 'customer.deleted')) {
        const url = topic === 'order.deleted' ? 'https://other.example.invalid/hook' : ours;
        made[topic] = (
          await woo.post<{ id: number }>('webhooks', {
            topic,
            delivery_url: url,
            secret: 's'.repeat(32),
            status: 'active',
          })
        ).id;
      }
      await woo.put(`webhooks/${made['order.updated']}`, { status: 'disabled' });
      await woo.put(`webhooks/${made['customer.updated']}`, { status: 'paused' });

      const deps = { woo, ledger: h.ledger, state, deliveryUrl: ours, now: () => h.clock.now() };
      await webhooksCheckJob.handle({}, deps, { log: logs.log, attempt: 1 });
      expect(await webhookHealth(state)).toEqual({
        checkedAt: h.clock.now().toISOString(),
        topics: {
          'order.created': 'active',
          'order.updated': 'active',
          'order.deleted': 'missing',
          'order.restored': 'active',
          'customer.created': 'active',
          'customer.updated': 'paused',
          'customer.deleted': 'missing',
        },
        reactivated: ['order.updated'],
        disabled: [{ id: made['order.updated'], topic: 'order.updated' }],
      });
      // The next check finds nothing to re-activate.
      await webhooksCheckJob.handle({}, deps, { log: logs.log, attempt: 1 });
      expect((await webhookHealth(state))!.reactivated).toEqual([]);
    } finally {
      await server.close();
      await h.close();
    }
  });
});
