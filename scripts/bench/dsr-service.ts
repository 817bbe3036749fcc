// The composed service for the DSR request figures of `npm run bench -- dsr`: the real app and
// workers (compose()) on SQLite and the local Redis, pointed at the WooCommerce double over HTTP
// (OAuth 1.0a on loopback) and at the plugin stand-in (DSR_VIA_PLUGIN=true), listening on a port.
// Requests go in through the real route, signed as the plugin signs them.
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { signedHeaders } from '../../shared/src/contracts/signed-transport.js';
import type { CreateDsrRequest, DsrStatus } from '../../shared/src/contracts/dsr.js';
import { compose } from '../../service/src/compose.js';
import { loadConfig } from '../../service/src/config.js';
import { WooRestConnector } from '../../service/src/dsr/connectors/woocommerce-rest.js';
import { DsrStore, type DsrRow } from '../../service/src/dsr/dsr-store.js';
import { createLogger } from '../../service/src/platform/log/logger.js';
import { sensitive } from '../../service/src/platform/sensitive.js';
import { DEFAULT_KEY, type WooDouble } from '../../service/src/woocommerce/double/index.js';
import { WooClient } from '../../service/src/woocommerce/index.js';
import { pluginDouble } from '../../service/src/woocommerce/double/plugin-double.js';
import { scratchDir } from './scratch.js';

const KEY = { id: 'bench-plugin', secret: 'p'.repeat(40) };
/** Where a request ends: done, or waiting for a person. */
export const SETTLED: readonly DsrStatus[] = ['completed', 'partially_completed', 'needs_attention', 'refused'];
export const verified = { verified: true, method: 'wordpress-email-confirmation' } as const;

export async function dsrService(double: WooDouble, wooUrl: string, concurrency: number) {
  const dir = scratchDir();
  const prefix = `pbbench-dsr-${randomBytes(3).toString('hex')}`;
  const silent = createLogger({ level: 'silent' });
  const woo = new WooClient(
    {
      url: wooUrl,
      consumerKey: sensitive(DEFAULT_KEY.consumerKey),
      consumerSecret: sensitive(DEFAULT_KEY.consumerSecret),
      concurrency,
    },
    silent,
  );
  const rest = new WooRestConnector(woo, concurrency);
  const plugin = await pluginDouble(double.store, KEY, {
    read: (email) => rest.collect(sensitive(email), 'bulk-read'),
  });
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dir.dir,
    QUEUE_PREFIX: prefix,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    LOG_LEVEL: 'silent',
    PLUGIN_SIGNING_KEYS: `${KEY.id}:${KEY.secret}`,
    WORDPRESS_URL: plugin.url,
    DSR_VIA_PLUGIN: 'true',
    DSR_BACKOFF_MS: '200',
    WOOCOMMERCE_URL: wooUrl,
    WOOCOMMERCE_CONSUMER_KEY: DEFAULT_KEY.consumerKey,
    WOOCOMMERCE_CONSUMER_SECRET: DEFAULT_KEY.consumerSecret,
    WOOCOMMERCE_CONCURRENCY: String(concurrency),
    SYNC_ORDER_NOTES: 'false',
    SYNC_RECONCILE_EVERY_S: '86400',
  });
  const service = await compose(config, silent);
  await service.startWorkers();
  const server = await new Promise<http.Server>((resolve) => {
    const s = service.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const store = new DsrStore(service.core.db);

  return {
    store,
    /** POST /v1/requests, signed by the plugin's key: the HTTP status and the request id when accepted. */
    async submit(body: CreateDsrRequest): Promise<{ status: number; id: string | null }> {
      const text = JSON.stringify(body);
      const path = '/v1/requests';
      const headers = signedHeaders(KEY, {
        method: 'POST',
        path,
        timestamp: Math.floor(Date.now() / 1000),
        messageId: `bench-${randomBytes(8).toString('hex')}`,
        body: text,
      });
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: text,
      });
      const json = (await res.json().catch(() => ({}))) as { id?: string };
      return { status: res.status, id: res.status === 202 && json.id ? json.id : null };
    },
    /** Polls until every request settled or is stuck at a step, or `timeoutMs` passed; returns the rows as they are then. */
    async settle(ids: readonly string[], timeoutMs: number): Promise<DsrRow[]> {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const rows = (await Promise.all(ids.map((id) => store.get(id)))).filter((r): r is DsrRow => r !== null);
        const open = rows.filter((r) => !SETTLED.includes(r.status) && !r.stuckStep);
        if ((open.length === 0 && rows.length === ids.length) || Date.now() > until) return rows;
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    /** Waits until the sync queue is idle (the first reconciliation has walked the store). */
    async syncIdle(timeoutMs: number) {
      const q = service.queue.queue('sync');
      const until = Date.now() + timeoutMs;
      await new Promise((r) => setTimeout(r, 200));
      while (Date.now() < until) {
        const c = await q.getJobCounts('active', 'waiting', 'prioritized');
        if (Object.values(c).every((n) => n === 0)) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    failedJobs: async () =>
      (await Promise.all(['dsr', 'delivery'].map((q) => service.queue.queue(q).getFailedCount()))).reduce(
        (a, b) => a + b,
        0,
      ),
    pushes: () => plugin.pushes.length,
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      await service.close();
      await plugin.close();
      const redis = new Redis(config.redisUrl);
      const keys = await redis.keys(`${prefix}:*`);
      for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
      await redis.quit();
      dir.remove();
    },
  };
}
