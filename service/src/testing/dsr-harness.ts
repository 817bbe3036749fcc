import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import { Redis } from 'ioredis';
import type { Policy } from '../../../shared/src/policy/index.js';
import { consentMigrations } from '../consent/consent.migrations.js';
import { DeadLetters, Delivery, deliveryJobs, deliveryMigrations } from '../delivery/index.js';
import { createDsr } from '../dsr/index.js';
import { WooRestConnector } from '../dsr/connectors/woocommerce-rest.js';
import { dsrMigrations } from '../dsr/dsr.migrations.js';
import { MasterKeyring } from '../ledger/index.js';
import { migrate } from '../platform/db/migrate.js';
import { buildApp } from '../platform/http/build-app.js';
import { JobQueue, startWorkers, type WorkerSet } from '../platform/queue/job-runtime.js';
import { sensitive } from '../platform/sensitive.js';
import { syncMigrations } from '../sync/sync.migrations.js';
import { createWooDouble, DEFAULT_KEY, type WooDouble } from '../woocommerce/double/index.js';
import { WooClient } from '../woocommerce/index.js';
import { TEST_REDIS_URL, tempDir } from './databases.js';
import { sqliteHarness, type HarnessFactory, type LedgerHarness } from './ledger-harness.js';
import { captureLogs } from './log-capture.js';
import { pluginDouble } from '../woocommerce/double/plugin-double.js';

export const PLUGIN_KEY = { id: 'test-plugin', secret: 's'.repeat(40) };

/** The DSR settings every test process uses (the crash test's worker processes too). */
export const dsrTestSettings = (dataDir: string, attempts: number) => ({
  deadline: 'P1M',
  maxExtension: 'P2M',
  warnDays: 7,
  exportLinkHours: 72,
  sessionMargin: 'P1D',
  attempts,
  backoffMs: 50,
  timeZone: 'Europe/Tirane',
  sessionMinutes: 60,
  dataDir,
  publicUrl: 'http://127.0.0.1:1',
});

/**
 * DSR on real parts: the WooCommerce double over HTTP, the plugin double (erase command, pushes),
 * BullMQ flows on the real Redis (a private prefix), the ledger and stores on SQLite (or PostgreSQL).
 */
export async function dsrHarness(
  options: {
    viaPlugin?: boolean;
    lie?: Set<number>;
    factory?: HarnessFactory;
    attempts?: number;
    workers?: boolean;
    afterSideEffects?: (step: string) => void;
    prefix?: string;
    dataDir?: string;
    h?: LedgerHarness;
    logLevel?: string;
    concurrency?: number;
    wooConcurrency?: number;
    policy?: Policy;
  } = {},
) {
  const h: LedgerHarness = options.h ?? (await (options.factory ?? sqliteHarness)());
  await migrate(h.db, [...syncMigrations, ...consentMigrations, ...dsrMigrations, ...deliveryMigrations]);
  const logs = captureLogs(options.logLevel ?? 'info');
  const double: WooDouble = createWooDouble();
  const wooServer = await double.listen(0);
  const woo = new WooClient(
    {
      url: wooServer.url,
      consumerKey: sensitive(DEFAULT_KEY.consumerKey),
      consumerSecret: sensitive(DEFAULT_KEY.consumerSecret),
      maxAttempts: 2,
      concurrency: options.wooConcurrency ?? 16,
    },
    logs.log,
  );
  // The plugin's bulk read returns what WordPress holds; here, read through the double's REST in one go.
  const rest = new WooRestConnector(woo, 16);
  const plugin = await pluginDouble(double.store, PLUGIN_KEY, {
    lie: options.lie,
    read: (email) => rest.collect(sensitive(email), 'bulk-read'),
  });
  const prefix = options.prefix ?? `pbdsr-${randomBytes(4).toString('hex')}`;
  const producer = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  const workerConn = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new JobQueue(producer, prefix);
  const data = options.dataDir ? { dir: options.dataDir, remove: () => undefined } : tempDir('pb-dsr-');
  const delivery = new Delivery({ wordpressUrl: plugin.url, key: PLUGIN_KEY, clock: h.clock });
  const linkSecret = randomBytes(32);
  const keyring = new MasterKeyring(h.keys.masterKeys);
  const parts = createDsr({
    core: { db: h.db, ledger: h.ledger, keyring, linkSecret },
    clock: h.clock,
    redis: producer,
    prefix,
    woo,
    delivery,
    queue,
    policy: options.policy,
    viaPlugin: options.viaPlugin ?? true,
    wooConcurrency: options.wooConcurrency ?? 16,
    afterSideEffects: options.afterSideEffects,
    settings: dsrTestSettings(data.dir, options.attempts ?? 3),
  });
  const app = buildApp({ log: logs.log, routers: [] });
  let workers: WorkerSet | null = null;
  const start = () => {
    workers = startWorkers({
      bindings: [
        ...parts.jobs,
        ...deliveryJobs({ delivery, deadLetters: new DeadLetters(h.db), queue, now: () => h.clock.now() }),
      ],
      connection: workerConn,
      prefix,
      log: logs.log,
      concurrency: options.concurrency ?? 4,
    });
  };
  if (options.workers ?? true) start();

  /** Waits until the dsr and delivery queues are idle. */
  async function drain(timeoutMs = 30_000) {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const counts = await Promise.all(
        ['dsr', 'delivery'].map((q) =>
          queue.queue(q).getJobCounts('active', 'waiting', 'delayed', 'prioritized', 'waiting-children'),
        ),
      );
      if (counts.every((c) => Object.values(c).every((n) => n === 0))) return;
      const failed = await queue.queue('dsr').getFailed();
      if (failed.length && counts[0]!.active === 0 && counts[0]!.waiting === 0 && counts[0]!.delayed === 0)
        throw new Error(`dsr job failed: ${failed.map((j) => `${j.name}: ${j.failedReason}`).join('; ')}`);
      if (Date.now() > until) throw new Error(`dsr queues did not drain: ${JSON.stringify(counts)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  return {
    h,
    double,
    woo,
    wooUrl: wooServer.url,
    linkSecret,
    plugin,
    queue,
    parts,
    logs,
    prefix,
    data,
    producer,
    app,
    start,
    dsr: parts.dsr,
    store: parts.store,
    drain,
    /** Every key and hash value under this test's prefix, as text (for the canary). */
    async redisText() {
      const keys = await producer.keys(`${prefix}:*`);
      const parts2: string[] = [...keys];
      for (const k of keys)
        if ((await producer.type(k)) === 'hash') parts2.push(JSON.stringify(await producer.hgetall(k)));
      return parts2.join('\n');
    },
    async stopWorkers() {
      await workers?.close();
      workers = null;
    },
    async close() {
      await workers?.close();
      await parts.flows.close();
      await queue.close();
      const stale = await producer.keys(`${prefix}:*`);
      if (stale.length) await producer.del(...stale);
      await Promise.allSettled([producer.quit(), workerConn.quit()]);
      await wooServer.close();
      await plugin.close();
      if (!options.h) await h.close();
      data.remove();
    },
  };
}
export type DsrHarness = Awaited<ReturnType<typeof dsrHarness>>;
export const listening = (s: http.Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
