/**
 * `npm run bench -- operators`: what operators read, under load — the status page (/admin, a signed-in
 * session) and a Prometheus scrape (/metrics, an admin token) with 10,000 data-subject requests on file
 * and 100,000 jobs across the queues, on the real Redis and SQLite, then again on PostgreSQL
 * (BENCH_OPERATORS_POSTGRES=off skips that). The composed service runs without workers, so the load
 * stays put while it is measured.
 *
 * Each figure is a p95 of sequential requests against a baseline measured in the same process and run:
 * the same kind of authenticated express route (the same session or token lookup in the same database)
 * answering a prepared body of the same size — HTTP, authentication and the bytes, without reading the
 * queues, the tallies and the rest. The ratio is then what gathering and rendering cost on top.
 *
 * A figure is one entry of MEASURES, measured under the load seeded once per database. `alert_latency_s`
 * is measured apart, on the built service as operators run it (operators-alerts.ts).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Redis } from 'ioredis';
import { compose } from '../../service/src/compose.js';
import { loadConfig } from '../../service/src/config.js';
import { DsrStore, type DsrRow } from '../../service/src/dsr/dsr-store.js';
import { AdminSessions } from '../../service/src/operators/index.js';
import { storedSubjectRef } from '../../service/src/ledger/index.js';
import { createLogger } from '../../service/src/platform/log/logger.js';
import { execute } from '../../service/src/platform/db/sql.js';
import { TOPICS } from '../../service/src/woocommerce/index.js';
import { round, type Figure, type Target } from './bench-format.js';
import { scaled, timed, type BenchContext, type Benchmark } from './benchmark.js';
import { scratchDir, scratchPostgres } from './scratch.js';
import { seedJobs } from './operators-load.js';
import { alertLatency } from './operators-alerts.js';

type Service = Awaited<ReturnType<typeof compose>>;

/** What every measure gets: the service under load, listening, and an operator's credentials for it. */
export type OperatorsEnv = {
  readonly ctx: BenchContext;
  readonly service: Service;
  readonly base: string;
  readonly token: string;
  readonly cookie: string;
  readonly samples: number;
};

/** One figure: its value and baseline (same unit), and what the notes should say about it. */
export type Measure = {
  readonly key: string;
  readonly unit: string;
  readonly target?: Target;
  measure(env: OperatorsEnv): Promise<{ value: number; baseline: number | null; note: string }>;
};

const p95 = (samples: readonly number[]) =>
  [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor(samples.length * 0.95))]!;

/** Sequential GETs (an operator's browser or one Prometheus): ms per request, after a warm-up. */
async function latencies(url: string, headers: Record<string, string>, count: number): Promise<number[]> {
  const once = async () => {
    const t = process.hrtime.bigint();
    const res = await fetch(url, { headers, redirect: 'manual' });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
    return { ms: Number(process.hrtime.bigint() - t) / 1e6, bytes: Buffer.byteLength(body) };
  };
  for (let i = 0; i < 20; i++) await once();
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push((await once()).ms);
  return out;
}

const sizeOf = async (url: string, headers: Record<string, string>) =>
  Buffer.byteLength(await (await fetch(url, { headers })).text());

/** The baseline server: the same authentication in the same database, then a prepared body of `bytes` bytes. */
async function bareServer(service: Service, body: { page: string; metrics: string }) {
  const sessions = new AdminSessions(service.core.db);
  const app = express()
    .get('/admin', async (req, res) => {
      const id = /pb_admin=([A-Za-z0-9_-]{43})/.exec(req.headers.cookie ?? '')?.[1];
      if (!id || !(await sessions.find(id, new Date()))) return void res.status(401).end();
      res.type('html').set('cache-control', 'no-store').send(body.page);
    })
    .get(
      '/metrics',
      service.core.adminTokens.middleware(),
      (_req, res) => void res.type('text/plain').send(body.metrics),
    );
  return listen(app);
}

const listen = (app: express.Express) =>
  new Promise<{ server: http.Server; base: string }>((resolve) => {
    const server = app.listen(0, '127.0.0.1', () =>
      resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    );
  });

const pageAndScrape = (env: OperatorsEnv) => ({
  page: { url: `${env.base}/admin?lang=en`, headers: { cookie: env.cookie } },
  metrics: { url: `${env.base}/metrics`, headers: { authorization: `Bearer ${env.token}` } },
});

/** Both HTTP figures share one baseline server, built once per database from the real bodies' sizes. */
const baselines = new WeakMap<Service, Promise<{ base: string; close(): void }>>();
function baselineFor(env: OperatorsEnv) {
  let b = baselines.get(env.service);
  if (!b) {
    b = (async () => {
      const real = pageAndScrape(env);
      const [pageBytes, metricsBytes] = await Promise.all([
        sizeOf(real.page.url, real.page.headers),
        sizeOf(real.metrics.url, real.metrics.headers),
      ]);
      const { server, base } = await bareServer(env.service, {
        page: `<!doctype html>${'x'.repeat(Math.max(0, pageBytes - 15))}`,
        metrics: '#'.repeat(metricsBytes),
      });
      env.ctx.log(`baseline bodies: page ${pageBytes} bytes, scrape ${metricsBytes} bytes`);
      return { base, close: () => server.close() };
    })();
    baselines.set(env.service, b);
  }
  return b;
}

function httpMeasure(key: string, target: Target, which: 'page' | 'metrics', what: string): Measure {
  return {
    key,
    unit: 'ms',
    target,
    async measure(env) {
      const real = pageAndScrape(env)[which];
      const bare = await baselineFor(env);
      const path = new URL(real.url).pathname;
      const value = p95(await latencies(real.url, real.headers, env.samples));
      const baseline = p95(
        await latencies(`${bare.base}${path}${new URL(real.url).search}`, real.headers, env.samples),
      );
      return {
        value: round(value, 2),
        baseline: round(baseline, 2),
        note: `${key}: p95 of ${env.samples} sequential ${what}; baseline: the same authentication on a bare express route answering a prepared body of the same size`,
      };
    },
  };
}

/** Every figure this benchmark reports, measured in this order under the same load. */
export const MEASURES: readonly Measure[] = [
  httpMeasure('status_page_ms_p95', { max: 150 }, 'page', 'GET /admin with a signed-in session'),
  httpMeasure('metrics_scrape_ms_p95', { max: 100 }, 'metrics', 'GET /metrics with an admin token'),
];

/** 10,000 requests: 30% open with deadlines from 10 days late to 30 days ahead, the rest closed. */
async function seedRequests(store: DsrStore, count: number, now: Date) {
  const open = ['received', 'verified', 'in_progress', 'needs_attention'] as const;
  const closed = ['completed', 'partially_completed', 'refused'] as const;
  const rows: DsrRow[] = Array.from({ length: count }, (_, i) => {
    const isOpen = i % 10 < 3;
    const due = new Date(now.getTime() + ((i % 41) - 10) * 86_400_000);
    return {
      id: randomUUID(),
      kind: i % 3 === 0 ? 'access' : 'erasure',
      status: isOpen ? open[i % open.length]! : closed[i % closed.length]!,
      subject: storedSubjectRef(randomBytes(32).toString('hex')),
      emailSealed: randomBytes(48),
      termsSealed: null,
      correctionsSealed: null,
      masterKeyId: 'bench',
      wpRequestId: i,
      identityMethod: 'wordpress-email-confirmation',
      locale: i % 2 ? 'sq' : 'en',
      source: 'plugin',
      receivedAt: new Date(due.getTime() - 30 * 86_400_000).toISOString(),
      dueAt: due.toISOString(),
      extendedAt: null,
      extensionReason: null,
      completedAt: isOpen ? null : due.toISOString(),
      reason: null,
      flag: null,
      stuckStep: null,
      stuckReason: null,
      pass: 1,
      connector: null,
      version: 1,
      updatedAt: now.toISOString(),
    };
  });
  for (let i = 0; i < rows.length; i += 200) await Promise.all(rows.slice(i, i + 200).map((r) => store.insert(r)));
}

async function underLoad(ctx: BenchContext, database: 'sqlite' | 'postgres') {
  const dir = scratchDir();
  const pg = database === 'postgres' ? await scratchPostgres('operators') : null;
  const prefix = `pbbench-ops-${randomBytes(3).toString('hex')}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dir.dir,
    QUEUE_PREFIX: prefix,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    DEMO_STORE: 'off',
    RATE_LIMIT_SCALE: '0',
    ...(pg ? { DATABASE_URL: pg.url } : {}),
  });
  const service = await compose(config, createLogger({ level: 'silent' }));
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  let server: http.Server | null = null;
  try {
    const now = new Date();
    const requests = scaled(ctx, 10_000, 100);
    const jobs = scaled(ctx, 100_000, 1_000);
    const seeded = await timed(async () => {
      await seedRequests(new DsrStore(service.core.db), requests, now);
      await seedJobs(redis, service.queue, prefix, jobs);
      // What sync's webhook check and the delivery job leave behind: topic states, dead letters.
      const topics = Object.fromEntries(TOPICS.map((t, i) => [t, i === 2 ? 'disabled' : 'active']));
      await execute(service.core.db, 'INSERT INTO sync_cursors (name, value, updated_at) VALUES ($1, $2, $3)', [
        'webhooks:health',
        JSON.stringify({ checkedAt: now.toISOString(), topics, reactivated: [] }),
        now.toISOString(),
      ]);
      for (let i = 0; i < 100; i++)
        await execute(
          service.core.db,
          'INSERT INTO delivery_dead_letters (target, id, reason, status, attempts, failed_at) VALUES ($1, $2, $3, $4, $5, $6)',
          ['consent', `c${i}`, i % 4 ? 'retries-exhausted' : 'refused', 503, 12, now.toISOString()],
        );
    });
    ctx.log(`${database}: seeded ${requests} requests and ${jobs} jobs in ${round(seeded.seconds, 1)} s`);
    const listening = await listen(service.app);
    server = listening.server;
    const { token } = await service.core.adminTokens.create('ops-bench', now);
    const signIn = await fetch(`${listening.base}/admin/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${token}`,
    });
    const cookie = /pb_admin=[A-Za-z0-9_-]{43}/.exec(signIn.headers.get('set-cookie') ?? '')?.[0];
    if (!cookie) throw new Error(`sign-in failed (${signIn.status})`);
    const env: OperatorsEnv = {
      ctx,
      service,
      base: listening.base,
      token,
      cookie,
      samples: scaled(ctx, 300, 30),
    };
    const results: { measure: Measure; value: number; baseline: number | null; note: string }[] = [];
    for (const measure of MEASURES) results.push({ measure, ...(await measure.measure(env)) });
    (await baselines.get(service))?.close();
    const counts = await Promise.all(
      ['sync', 'consent', 'delivery', 'dsr', 'ledger'].map(async (q) => service.queue.queue(q).getJobCounts()),
    );
    const total = counts.reduce((n, c) => n + Object.values(c).reduce((a, b) => a + b, 0), 0);
    return { results, jobsOnFile: total, requests };
  } finally {
    server?.close();
    await service.close();
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1000 }) as AsyncIterable<string[]>)
      if (keys.length) await redis.del(...keys);
    await redis.quit();
    dir.remove();
    await pg?.drop();
  }
}

export const operatorsBench: Benchmark = {
  name: 'operators',
  summary:
    'operators: status page and /metrics p95 with 10,000 DSR requests and 100,000 jobs, on Redis + SQLite, then PostgreSQL; alert latency on the built service',
  async run(ctx) {
    const figures: Figure[] = [];
    const notes: string[] = [];
    const databases: ('sqlite' | 'postgres')[] =
      process.env.BENCH_OPERATORS_POSTGRES === 'off' ? ['sqlite'] : ['sqlite', 'postgres'];
    for (const database of databases) {
      const run = await underLoad(ctx, database);
      for (const r of run.results) {
        // SQLite carries the figures the issue names; PostgreSQL's are the same keys with _postgres.
        const key = database === 'sqlite' ? r.measure.key : `${r.measure.key}_postgres`;
        figures.push({ key, value: r.value, unit: r.measure.unit, baseline: r.baseline, target: r.measure.target });
        if (database === 'sqlite') notes.push(r.note);
      }
      notes.push(
        `${database}: ${run.requests} DSR requests on file (30% open, deadlines from 10 days late to 30 ahead) and ${run.jobsOnFile} jobs in Redis across the five queues (waiting, delayed, failed); no workers run, so the load stays put`,
      );
    }
    const alerts = await alertLatency(ctx);
    figures.push(alerts.figure);
    notes.push(alerts.note);
    return { figures, notes };
  },
};
