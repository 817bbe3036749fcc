/**
 * The webhook half of the sync benchmark: signed order deliveries POSTed to the real receiver
 * (signature over the raw bytes, then one BullMQ add) and to a bare route doing the same HMAC check
 * and one add; then the real sync worker drains the queue and every acknowledged delivery is looked
 * up in the ledger.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { Queue } from 'bullmq';
import express from 'express';
import { Redis } from 'ioredis';
import { loadPolicy } from '../../shared/src/policy/index.js';
import { loadConfig } from '../../service/src/config.js';
import { openCore } from '../../service/src/core.js';
import { buildApp } from '../../service/src/platform/http/build-app.js';
import { createLogger } from '../../service/src/platform/log/logger.js';
import { bind, JobQueue, startWorkers } from '../../service/src/platform/queue/job-runtime.js';
import { sensitive } from '../../service/src/platform/sensitive.js';
import { syncResourceJob } from '../../service/src/sync/jobs/sync-resource.job.js';
import { syncEnqueuer } from '../../service/src/sync/sync-enqueue.js';
import { SyncService } from '../../service/src/sync/sync.service.js';
import { SyncState } from '../../service/src/sync/sync-state.js';
import { verifyWooSignature } from '../../service/src/sync/verify-signature.js';
import { webhookRoutes } from '../../service/src/sync/webhooks.routes.js';
import { wpJsonEncode } from '../../service/src/woocommerce/double/woo-format.js';
import { WooClient } from '../../service/src/woocommerce/index.js';
import type { DoubleProcess } from './sync-processes.js';

const SECRET = `whsec-bench-${randomBytes(12).toString('hex')}`;
export const FIRE_CONCURRENCY = 32;

type Delivery = { headers: Record<string, string>; body: string };

/**
 * Load generator in a worker thread (plain JS), so the receiver keeps its event loop. Each
 * request's acknowledgement time (send → end of the answer) is returned in milliseconds.
 */
const FIRE = `
const http = require('node:http');
const { parentPort, workerData: { port, requests, concurrency } } = require('node:worker_threads');
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const latencies = new Float64Array(requests.length);
let next = 0;
const one = (r, i) => new Promise((resolve, reject) => {
  const t = process.hrtime.bigint();
  const req = http.request({ host: '127.0.0.1', port, path: '/webhooks/woocommerce', method: 'POST', headers: r.headers, agent }, (res) => {
    res.resume().on('end', () => {
      latencies[i] = Number(process.hrtime.bigint() - t) / 1e6;
      res.statusCode === 200 ? resolve() : reject(new Error('status ' + res.statusCode));
    });
  });
  req.on('error', reject).end(r.body);
});
const started = process.hrtime.bigint();
Promise.all(Array.from({ length: concurrency }, async () => { while (next < requests.length) { const i = next++; await one(requests[i], i); } }))
  .then(() => { agent.destroy(); parentPort.postMessage({ seconds: Number(process.hrtime.bigint() - started) / 1e9, latencies }); }, (err) => { throw err; });
`;

type Fired = { seconds: number; latencies: Float64Array };
function fire(port: number, requests: readonly Delivery[]): Promise<Fired> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(FIRE, { eval: true, workerData: { port, requests, concurrency: FIRE_CONCURRENCY } });
    worker.once('message', (m: Fired) => resolve(m));
    worker.once('error', reject);
  });
}

const listen = (app: express.Express) =>
  new Promise<http.Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
const portOf = (s: http.Server) => (s.address() as AddressInfo).port;
export const p99 = (samples: ArrayLike<number>) =>
  Array.from(samples).sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor(samples.length * 0.99))]!;

/** `order.updated` deliveries exactly as WooCommerce sends them: wp_json_encode body, signed raw bytes. */
async function deliveriesFor(woo: WooClient, count: number): Promise<{ deliveries: Delivery[]; ids: number[] }> {
  const deliveries: Delivery[] = [];
  const ids: number[] = [];
  for (let page = 1; deliveries.length < count; page++) {
    const { items } = await woo.page<{ id: number }>('orders', { page, orderby: 'id', order: 'asc' });
    if (items.length === 0) break;
    for (const order of items.slice(0, count - deliveries.length)) {
      const body = wpJsonEncode(order);
      ids.push(order.id);
      deliveries.push({
        body,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'WooCommerce/9.9.5 Hookshot (WordPress/6.8.8)',
          'x-wc-webhook-source': 'http://127.0.0.1:8080/',
          'x-wc-webhook-topic': 'order.updated',
          'x-wc-webhook-resource': 'order',
          'x-wc-webhook-event': 'updated',
          'x-wc-webhook-signature': createHmac('sha256', SECRET).update(body).digest('base64'),
          'x-wc-webhook-id': '1',
          'x-wc-webhook-delivery-id': randomBytes(16).toString('hex'),
        },
      });
    }
  }
  return { deliveries, ids };
}

export type IngestResult = {
  count: number;
  perSecond: number;
  baselinePerSecond: number;
  ackP99Ms: number;
  baselineAckP99Ms: number;
  lost: number;
  drainSeconds: number;
};

export async function webhookIngest(
  double: DoubleProcess,
  count: number,
  dataDir: string,
  log: (m: string) => void,
): Promise<IngestResult> {
  const prefix = `pbbench${randomBytes(3).toString('hex')}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    QUEUE_PREFIX: prefix,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    ...double.env,
    DEMO_STORE: 'off',
  });
  const quiet = createLogger({ level: 'silent' });
  const core = await openCore(config, quiet);
  const producer = new Redis(config.redisUrl, { maxRetriesPerRequest: 1 });
  const workerConn = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const queue = new JobQueue(producer, prefix);
  const bare = new Queue('bench-bare', { connection: producer, prefix });
  const woo = new WooClient(
    {
      url: double.url,
      consumerKey: sensitive(double.env.WOOCOMMERCE_CONSUMER_KEY!),
      consumerSecret: sensitive(double.env.WOOCOMMERCE_CONSUMER_SECRET!),
      concurrency: config.woo.concurrency,
    },
    quiet,
  );
  const servers: http.Server[] = [];
  try {
    const { deliveries, ids } = await deliveriesFor(woo, count + 500);
    const [warm, timed] = [deliveries.slice(count), deliveries.slice(0, count)];
    log(
      `webhooks: ${timed.length} signed order.updated deliveries (${Math.round(timed.reduce((s, d) => s + d.body.length, 0) / timed.length)} bytes each), ${FIRE_CONCURRENCY} in flight`,
    );

    // Baseline first: express + the same HMAC check + one BullMQ add, nothing else.
    const bareApp = express().post(
      '/webhooks/woocommerce',
      express.raw({ type: () => true, limit: 1024 * 1024 }),
      async (req, res) => {
        if (!verifyWooSignature(req.body as Buffer, req.get('x-wc-webhook-signature'), [SECRET]))
          return void res.status(401).end();
        const id = (JSON.parse((req.body as Buffer).toString('utf8')) as { id: number }).id;
        await bare.add(
          'bare',
          { id },
          { jobId: `bare-${id}-${req.get('x-wc-webhook-delivery-id')}`, removeOnComplete: true },
        );
        res.status(200).json({ status: 'queued' });
      },
    );
    const bareServer = await listen(bareApp);
    servers.push(bareServer);
    await fire(portOf(bareServer), warm);
    const baseline = await fire(portOf(bareServer), timed);

    // The real receiver, wired as sync.module.ts wires it.
    const routes = webhookRoutes({
      secrets: async () => [SECRET],
      log: quiet,
      enqueue: syncEnqueuer(queue),
    });
    const server = await listen(buildApp({ log: quiet, rawRouters: [routes], routers: [] }));
    servers.push(server);
    await fire(portOf(server), warm);
    const receiver = await fire(portOf(server), timed);
    log(
      `webhooks: receiver ${Math.round(timed.length / receiver.seconds)}/s, bare route ${Math.round(timed.length / baseline.seconds)}/s`,
    );

    // Drain with the real sync worker (it fetches each order and its notes from the double).
    const sync = new SyncService({
      woo,
      ledger: core.ledger,
      policy: loadPolicy(),
      state: new SyncState(core.db),
      clock: core.clock,
      log: quiet,
      timeZone: config.sync.timeZone,
      sessionMinutes: config.sync.sessionMinutes,
      fetchNotes: config.sync.orderNotes,
    });
    const drainStart = process.hrtime.bigint();
    const workers = startWorkers({
      bindings: [bind(syncResourceJob, { sync })],
      connection: workerConn,
      prefix,
      log: quiet,
    });
    for (;;) {
      const c = await queue.queue('sync').getJobCounts('active', 'waiting', 'delayed', 'prioritized', 'failed');
      if (c.failed) throw new Error(`${c.failed} sync jobs failed`);
      if (['active', 'waiting', 'delayed', 'prioritized'].every((k) => !c[k])) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const drainSeconds = Number(process.hrtime.bigint() - drainStart) / 1e9;
    await workers.close();
    const sources = new Set(
      (core.db.dialect === 'sqlite'
        ? core.db.sqlite.prepare("SELECT DISTINCT source FROM ledger_entries WHERE kind = 'order.status'").pluck().all()
        : []) as string[],
    );
    const lost = ids.filter((id) => !sources.has(`order-${id}`)).length;
    log(
      `webhooks: drained in ${drainSeconds.toFixed(1)} s, ${lost} of ${ids.length} acknowledged deliveries missing from the ledger`,
    );
    return {
      count: timed.length,
      perSecond: timed.length / receiver.seconds,
      baselinePerSecond: timed.length / baseline.seconds,
      ackP99Ms: p99(receiver.latencies),
      baselineAckP99Ms: p99(baseline.latencies),
      lost,
      drainSeconds,
    };
  } finally {
    for (const s of servers) {
      s.closeAllConnections();
      s.close();
    }
    await bare.close();
    await queue.close();
    const keys = await producer.keys(`${prefix}:*`);
    for (let i = 0; i < keys.length; i += 500) await producer.del(...keys.slice(i, i + 500));
    await Promise.allSettled([producer.quit(), workerConn.quit()]);
    await core.close();
  }
}
