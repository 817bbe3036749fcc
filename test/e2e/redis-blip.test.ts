import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { compose } from '../../service/src/compose.js';
import { loadConfig } from '../../service/src/config.js';
import { tempDir } from '../../service/src/testing/databases.js';
import { captureLogs } from '../../service/src/testing/log-capture.js';
import { privateRedis } from '../../service/src/testing/private-redis.js';
import { seedDemoStore } from '../../service/src/woocommerce/double/woo-double-data.js';
import { createWooDouble, DEFAULT_KEY } from '../../service/src/woocommerce/double/woo-double.js';
import { WebhookInbox } from '../../service/src/sync/webhook-inbox.js';
import { freePort } from '../support/processes.js';

const SECRET = `whsec-blip-${randomBytes(12).toString('hex')}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/**
 * Issue 20 item 7 / issue 14 defect 4: the service's own Redis (a private redis-server on a free
 * port) restarted for ~10 s while WooCommerce (the double's faithful webhook sender) delivers order
 * changes. No delivery may get an error, WooCommerce must not disable the webhook, every acknowledged
 * delivery reaches the ledger exactly once, and a Redis that comes back empty gets its schedules back.
 */
describe('a Redis blip under webhook load', () => {
  jest.setTimeout(120_000);
  const tmp = tempDir();
  const { log } = captureLogs('warn');
  const double = createWooDouble();
  seedDemoStore(double.store, { customers: 20, orders: 600 });
  let redis: Awaited<ReturnType<typeof privateRedis>>;
  let wooServer: { url: string; close(): Promise<void> };
  let service: Awaited<ReturnType<typeof compose>>;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    redis = await privateRedis(tmp.dir);
    wooServer = await double.listen(0);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: tmp.dir,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: `pbb${randomBytes(3).toString('hex')}`,
      PUBLIC_URL: url,
      WOOCOMMERCE_URL: wooServer.url,
      WOOCOMMERCE_CONSUMER_KEY: DEFAULT_KEY.consumerKey,
      WOOCOMMERCE_CONSUMER_SECRET: DEFAULT_KEY.consumerSecret,
      WOOCOMMERCE_WEBHOOK_SECRETS: SECRET,
      SYNC_RECONCILE_EVERY_S: '86400',
      SYNC_ORDER_NOTES: 'false',
      SYNC_WEBHOOK_CHECK_EVERY_S: '5',
      DEMO_STORE: 'off',
    });
    service = await compose(config, log);
    await service.startWorkers();
    server = await new Promise<Server>((resolve) => {
      const s = service.app.listen(port, '127.0.0.1', () => resolve(s));
    });
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await service.close();
    await redis.stop();
    await wooServer.close();
    tmp.remove();
  });

  it('accepts every delivery while Redis is away, loses and duplicates none, and re-registers the schedules of an empty Redis', async () => {
    // The first reconcile runs at start; the load begins after it, so only deliveries can record the changes.
    await until('the first reconcile', async () =>
      (await service.queue.queue('sync').getCompleted()).some((j) => j.name === 'sync.reconcile'),
    );
    const hook = await double.webhooks.register({
      topic: 'order.updated',
      deliveryUrl: `${url}/webhooks/woocommerce`,
      secret: SECRET,
    });
    const candidates = [...double.store.orders.values()].filter((o) => o.status !== 'on-hold').map((o) => o.id);
    const updated: number[] = [];
    let loading = true;
    const load = (async () => {
      for (const id of candidates) {
        if (!loading) break;
        double.store.updateOrder(id, { status: 'on-hold' });
        updated.push(id);
        await sleep(30);
      }
    })();
    const readyWhileDown: unknown[] = [];
    await sleep(2_000);
    await redis.stop();
    const downAt = Date.now();
    while (Date.now() - downAt < 10_000) {
      const r = await fetch(`${url}/readyz`);
      readyWhileDown.push({
        status: r.status,
        redis: ((await r.json()) as { checks: { redis: string } }).checks.redis,
      });
      await sleep(1_000);
    }
    const keptWhileDown = await new WebhookInbox(service.core.db).count();
    await redis.start();
    await sleep(2_000);
    loading = false;
    await load;
    const deliveries = () => double.webhooks.log.filter((d) => d.kind === 'delivery');
    await until(
      'every change delivered',
      async () => (await double.webhooks.settle(), deliveries().length >= updated.length),
      20_000,
    );
    expect(deliveries().length).toBe(updated.length);
    expect(deliveries().filter((d) => d.status !== 200)).toEqual([]);
    expect(double.webhooks.targets.get(hook.id)).toMatchObject({ status: 'active', failureCount: 0 });
    expect(readyWhileDown.length).toBeGreaterThan(5);
    expect(readyWhileDown.every((r) => (r as { status: number }).status === 503)).toBe(true);
    expect(readyWhileDown).toContainEqual({ status: 503, redis: 'unreachable' });
    expect(keptWhileDown).toBeGreaterThan(100); // ~30 deliveries a second for 10 s went to the database

    // Every acknowledged delivery reaches the ledger, once: one on-hold status entry per updated order.
    await until(
      'the inbox and the sync queue to drain',
      async () => {
        // The schedulers' next runs wait as delayed jobs: only sync.resource jobs count.
        const pending = await service.queue.queue('sync').getJobs(['active', 'waiting', 'delayed', 'prioritized']);
        const inbox = await new WebhookInbox(service.core.db).count();
        return inbox === 0 && pending.every((j) => j.name !== 'sync.resource');
      },
      60_000,
    );
    const onHold = new Map<number, number>();
    for (let after = 0; ;) {
      const page = await service.core.ledger.read(after, 1_000);
      if (page.length === 0) break;
      for (const e of page) {
        const detail = (e.detail ? JSON.parse(e.detail) : null) as { orderId?: number; status?: string } | null;
        if (e.kind === 'order.status' && detail?.status === 'on-hold' && detail.orderId)
          onHold.set(detail.orderId, (onHold.get(detail.orderId) ?? 0) + 1);
      }
      after = page.at(-1)!.seq;
    }
    expect(updated.filter((id) => onHold.get(id) !== 1)).toEqual([]);

    // Redis comes back empty: every schedule is registered again and runs.
    await redis.stop();
    await redis.start({ fresh: true });
    await until('schedules registered again', async () => {
      const names = [
        ...(await service.queue
          .queue('sync')
          .getJobSchedulers()
          .catch(() => [])),
        ...(await service.queue
          .queue('ledger')
          .getJobSchedulers()
          .catch(() => [])),
        ...(await service.queue
          .queue('dsr')
          .getJobSchedulers()
          .catch(() => [])),
      ].map((s) => s.key);
      return [
        'sync-reconcile',
        'sync-webhooks-check',
        'ledger-verify-hourly',
        'dsr-deadlines-hourly',
        'dsr-release-holds-hourly',
      ].every((k) => names.includes(k));
    });
    await until(
      'a scheduled job to run on the new Redis',
      async () => (await service.queue.queue('sync').getCompleted()).some((j) => j.name === 'sync.webhooks-check'),
      30_000,
    );
  });
});
