/**
 * `npm run bench -- consent`: consent events recorded end to end (signed HTTP → ledger → BullMQ job →
 * projection) by the real composed service on SQLite and the local Redis, and the state read for a
 * subject with 1,000 events. Baselines: the same requests answered by a bare express JSON handler
 * (the HTTP ceiling of this machine), and a bare indexed SELECT of the same projection rows.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type http from 'node:http';
import { Worker } from 'node:worker_threads';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Redis } from 'ioredis';
import { signedHeaders } from '../../shared/src/contracts/signed-transport.js';
import { compose } from '../../service/src/compose.js';
import { loadConfig } from '../../service/src/config.js';
import { createConsent } from '../../service/src/consent/index.js';
import { createLogger } from '../../service/src/platform/log/logger.js';
import { query } from '../../service/src/platform/db/sql.js';
import { sensitive } from '../../service/src/platform/sensitive.js';
import { round, type Figure } from './bench-format.js';
import { scaled, timed, type Benchmark } from './benchmark.js';
import { scratchDir } from './scratch.js';

const KEY = { id: 'bench', secret: 'b'.repeat(40) };
const CONCURRENCY = 64;
const SUBJECTS = 1_000;

type Prepared = { path: string; headers: Record<string, string>; body: string };

function prepare(count: number): Prepared[] {
  const now = Math.floor(Date.now() / 1000);
  const at = new Date().toISOString();
  return Array.from({ length: count }, (_, i) => {
    const body = JSON.stringify({
      subject: {
        email: `bench-${i % SUBJECTS}@example.invalid`,
        visitorId: `visitor-${String(i % SUBJECTS).padStart(12, '0')}`,
      },
      source: i % 3 === 0 ? 'checkout' : 'banner',
      decisions: [
        { purpose: 'marketing', decision: i % 2 ? 'granted' : 'denied' },
        { purpose: 'statistics', decision: 'granted' },
      ],
      policyVersion: 'bench-1',
      gpc: i % 5 === 0,
      locale: 'sq',
      at,
    });
    const path = '/v1/consents';
    return {
      path,
      body,
      headers: {
        ...signedHeaders(KEY, {
          method: 'POST',
          path,
          timestamp: now,
          messageId: `bench-${randomBytes(8).toString('hex')}`,
          body,
        }),
        'content-type': 'application/json',
      },
    };
  });
}

/**
 * The load generator runs in a worker thread (plain JS, evaluated), so the service under test keeps
 * its own event loop, as it would with clients on other machines. Throws on any non-2xx answer.
 */
const FIRE = `
const http = require('node:http');
const { parentPort, workerData: { port, requests, concurrency } } = require('node:worker_threads');
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
let next = 0;
const one = (r) => new Promise((resolve, reject) => {
  const req = http.request({ host: '127.0.0.1', port, path: r.path, method: 'POST', headers: r.headers, agent }, (res) => {
    res.resume().on('end', () => (res.statusCode < 300 ? resolve() : reject(new Error('status ' + res.statusCode))));
  });
  req.on('error', reject).end(r.body);
});
Promise.all(Array.from({ length: concurrency }, async () => { while (next < requests.length) await one(requests[next++]); }))
  .then(() => { agent.destroy(); parentPort.postMessage('done'); }, (err) => { throw err; });
`;

function fire(port: number, requests: readonly Prepared[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(FIRE, { eval: true, workerData: { port, requests, concurrency: CONCURRENCY } });
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
}

/**
 * CPU seconds used so far by the service's own thread (the main thread: not the load generator's
 * worker, not libuv's pool), from /proc; null off Linux. Less sensitive than wall time to other work
 * sharing the machine, so it tells a change in our cost from a change in the machine's load.
 */
function serviceThreadCpuSeconds(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ (100 on Linux)
  } catch {
    return null;
  }
}

const cpuPerRequest = (from: number | null, count: number) => {
  const to = serviceThreadCpuSeconds();
  return from === null || to === null ? 'n/a' : `${round(((to - from) / count) * 1e6)} µs`;
};

const listen = (app: express.Express) =>
  new Promise<http.Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
const p99 = (samples: number[]) =>
  [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor(samples.length * 0.99))]!;

export const consentBench: Benchmark = {
  name: 'consent',
  summary: 'consent: events end to end (HTTP → ledger → queue → projection) on SQLite + Redis, state read p99',
  async run(ctx) {
    const dir = scratchDir();
    const prefix = `pbbench${randomBytes(3).toString('hex')}`;
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dir.dir,
      QUEUE_PREFIX: prefix,
      PLUGIN_SIGNING_KEYS: `${KEY.id}:${KEY.secret}`,
      RATE_LIMIT_SCALE: '0',
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    });
    const service = await compose(config, createLogger({ level: 'silent' }));
    const redis = new Redis(config.redisUrl);
    const figures: Figure[] = [];
    const notes: string[] = [];
    try {
      await service.startWorkers();
      const parts = createConsent({
        db: service.core.db,
        ledger: service.core.ledger,
        clock: service.core.clock,
        linkSecret: service.core.linkSecret,
      });
      await parts.policies.publish({
        text: Buffer.from('bench policy'),
        version: 'bench-1',
        effective: '2026-01-01',
        material: false,
        languages: ['sq'],
      });
      const server = await listen(service.app);
      const port = (server.address() as AddressInfo).port;

      const count = scaled(ctx, 20_000, 500);
      await fire(port, prepare(Math.min(500, count))); // warm-up: JIT, data keys, prepared statements
      const requests = prepare(count);
      ctx.log(`${count} signed POST /v1/consents, ${CONCURRENCY} in flight, ${SUBJECTS} subjects with visitor ids`);
      const cpuFrom = serviceThreadCpuSeconds();
      const { seconds } = await timed(async () => {
        await fire(port, requests);
        const head = (await service.core.ledger.head()).seq;
        while ((await parts.store.cursor()) < head) await new Promise((r) => setTimeout(r, 5));
      });
      const cpu = cpuPerRequest(cpuFrom, count);
      server.close();

      const bare = express()
        .use(express.json())
        .post('/v1/consents', (_req, res) => void res.status(202).json({ ok: true }));
      const bareServer = await listen(bare);
      const bareCpuFrom = serviceThreadCpuSeconds();
      const bareRun = await timed(() => fire((bareServer.address() as AddressInfo).port, requests));
      const bareCpu = cpuPerRequest(bareCpuFrom, count);
      bareServer.close();
      figures.push({
        key: 'consent_events_per_s',
        value: round(count / seconds),
        unit: 'events/s',
        baseline: round(count / bareRun.seconds),
        target: { min: 2_000 },
      });
      notes.push(
        `consent_events_per_s: wall time from the first request until the projection cursor reached the ledger head (every event projected); the service process also runs the BullMQ workers; the load generator is a worker thread with ${CONCURRENCY} keep-alive connections`,
      );
      notes.push(
        'baseline for consent_events_per_s: the same prepared requests answered 202 by a bare express JSON handler in the same process, same load generator (the HTTP ceiling)',
      );
      notes.push(
        `service thread CPU per event: ${cpu} end to end (bare handler: ${bareCpu} per request); on a shared machine this moves less with other load than the rates do`,
      );

      const heavy = 'heavy.subject@example.invalid';
      const events = 1_000;
      for (let i = 0; i < events; i++) {
        await parts.consent.record(
          {
            subject: { email: sensitive(heavy) },
            source: 'banner',
            decisions: [{ purpose: 'marketing', decision: i % 2 ? 'granted' : 'denied' }],
            policyVersion: 'bench-1',
            gpc: i % 7 === 0,
            locale: 'sq',
            at: new Date(Date.now() - (events - i) * 1000).toISOString(),
          },
          `bench-heavy/${i}`,
        );
      }
      const ref = service.core.ledger.subjectRef(sensitive(heavy));
      const reads = scaled(ctx, 2_000, 200);
      const samples: number[] = [];
      const bareSamples: number[] = [];
      for (let i = 0; i < reads; i++) {
        let t = process.hrtime.bigint();
        const state = await parts.consent.state(ref);
        samples.push(Number(process.hrtime.bigint() - t) / 1e6);
        if (state.erased) throw new Error('unexpected');
        t = process.hrtime.bigint();
        await query(service.core.db, 'SELECT * FROM consent_state WHERE ref = $1', [ref]);
        bareSamples.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      figures.push({
        key: 'consent_state_p99_ms',
        value: round(p99(samples), 3),
        unit: 'ms',
        baseline: round(p99(bareSamples), 3),
        target: { max: 5 },
      });
      notes.push(
        `consent_state_p99_ms: ${reads} reads of ConsentService.state() for a subject with ${events} consent events (freshness check, linked refs, projection rows, erasure check); baseline: one bare indexed SELECT of the projection rows`,
      );
      const history = await timed(() => parts.consent.history(ref));
      notes.push(
        `the full history of that subject (admin read, ${events} entries decrypted from the ledger) took ${round(history.seconds * 1000, 1)} ms`,
      );
      return { figures, notes };
    } finally {
      await service.close();
      const keys = await redis.keys(`${prefix}:*`);
      for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
      await redis.quit();
      dir.remove();
    }
  },
};
