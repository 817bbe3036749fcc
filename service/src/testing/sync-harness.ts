import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { loadPolicy } from '../../../shared/src/policy/index.js';
import { buildApp } from '../platform/http/build-app.js';
import { migrate } from '../platform/db/migrate.js';
import { sensitive } from '../platform/sensitive.js';
import { bind, JobQueue, startWorkers } from '../platform/queue/job-runtime.js';
import { syncMigrations } from '../sync/sync.migrations.js';
import { syncResourceJob } from '../sync/jobs/sync-resource.job.js';
import { SyncService } from '../sync/sync.service.js';
import { SyncState } from '../sync/sync-state.js';
import { webhookRoutes } from '../sync/webhooks.routes.js';
import { TOPICS } from '../woocommerce/index.js';
import { createWooDouble, DEFAULT_KEY, type WooDouble } from '../woocommerce/double/woo-double.js';
import { WooClient } from '../woocommerce/index.js';
import { TEST_REDIS_URL } from './databases.js';
import { sqliteHarness, type LedgerHarness } from './ledger-harness.js';
import { captureLogs } from './log-capture.js';

export const WEBHOOK_SECRET = 'whsec-test-0123456789abcdefghijklmnop';

/**
 * The sync path as it runs in the service, on real parts: the WooCommerce double over HTTP, the
 * webhook receiver over HTTP, BullMQ on the real Redis (a private prefix), the ledger on SQLite.
 */
export async function syncHarness(options: { deliver?: boolean } = {}) {
  const h: LedgerHarness = await sqliteHarness();
  await migrate(h.db, syncMigrations);
  const logs = captureLogs('debug');
  const double: WooDouble = createWooDouble();
  const wooServer = await double.listen(0);
  const woo = new WooClient(
    {
      url: wooServer.url,
      consumerKey: sensitive(DEFAULT_KEY.consumerKey),
      consumerSecret: sensitive(DEFAULT_KEY.consumerSecret),
      maxAttempts: 2,
    },
    logs.log,
  );
  const state = new SyncState(h.db);
  const sync = new SyncService({
    woo,
    ledger: h.ledger,
    policy: loadPolicy(),
    state,
    clock: h.clock,
    log: logs.log,
    timeZone: 'Europe/Tirane',
    sessionMinutes: 60,
    fetchNotes: true,
  });

  const prefix = `pbtest-${randomBytes(4).toString('hex')}`;
  const producer = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  const workerConn = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new JobQueue(producer, prefix);
  const app = buildApp({
    log: logs.log,
    rawRouters: [
      webhookRoutes({
        secrets: async () => [WEBHOOK_SECRET],
        log: logs.log,
        enqueue: async ({ jobId, resource, id, topic }) =>
          void (await queue.add(syncResourceJob, { resource, id, topic }, { jobId })),
      }),
    ],
    routers: [],
  });
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/woocommerce`;
  const workers = startWorkers({
    bindings: [bind(syncResourceJob, { sync })],
    connection: workerConn,
    prefix,
    log: logs.log,
    concurrency: 4,
  });
  double.webhooks.enabled = options.deliver ?? true;
  double.webhooks.autoFlush = false; // deliveries run when drain() flushes, as WP-Cron would
  for (const topic of TOPICS)
    await double.webhooks.register({ topic, deliveryUrl: receiverUrl, secret: WEBHOOK_SECRET });

  /** Waits until every delivery was sent and every queued job has run. */
  async function drain(timeoutMs = 20_000) {
    const until = Date.now() + timeoutMs;
    for (;;) {
      await double.webhooks.flush(); // what an Action Scheduler run does
      const c = await queue.queue('sync').getJobCounts('active', 'waiting', 'delayed', 'prioritized');
      if (Object.values(c).every((n) => n === 0)) return;
      if (Date.now() > until) throw new Error(`queue did not drain: ${JSON.stringify(c)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Every key and value this test's queue put in Redis, as text (for the canary). */
  async function redisDump(): Promise<string> {
    const keys = await producer.keys(`${prefix}:*`);
    const parts: string[] = [...keys];
    for (const k of keys) {
      const type = await producer.type(k);
      if (type === 'hash') parts.push(JSON.stringify(await producer.hgetall(k)));
      else if (type === 'string') parts.push(String(await producer.get(k)));
      else if (type === 'list') parts.push(JSON.stringify(await producer.lrange(k, 0, -1)));
      else if (type === 'zset') parts.push(JSON.stringify(await producer.zrange(k, '0', '-1')));
      else if (type === 'stream') parts.push(JSON.stringify(await producer.call('XRANGE', k, '-', '+')));
    }
    return parts.join('\n');
  }

  return {
    h,
    double,
    woo,
    sync,
    state,
    queue,
    logs,
    receiverUrl,
    drain,
    redisDump,
    prefix,
    entries: () => h.ledger.read(0, 1000),
    async close() {
      await workers.close();
      await queue.close();
      const stale = await producer.keys(`${prefix}:*`);
      if (stale.length) await producer.del(...stale);
      await Promise.allSettled([producer.quit(), workerConn.quit()]);
      await new Promise((r) => server.close(r));
      await wooServer.close();
      await h.close();
    },
  };
}
