import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';
import { EVALUATE_EVERY_MS } from '../../service/src/alerts/index.js';
import { LAST_VERIFY_KEY } from '../../service/src/ledger/index.js';
import { round, type Figure } from './bench-format.js';
import { scaled, type BenchContext } from './benchmark.js';
import { scratchDir } from './scratch.js';

const BIN = path.resolve(__dirname, '../../../bin/privacy-bridge');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `alert_latency_s`: from a condition becoming true to the receiver holding the alert, on the built service
 * as an operator runs it (its own 30-s evaluation, a real HTTP receiver at ALERT_WEBHOOK_URL). Each trial
 * makes the ledger's kept verification say "broken" at a random moment against the service's timer, waits
 * for the firing notification, puts the verdict back and waits for the resolution. The figure is the slowest
 * trial; the baseline is the evaluation period, the longest a condition can wait before it is looked at.
 */
export async function alertLatency(ctx: BenchContext): Promise<{ figure: Figure; note: string }> {
  const arrivals: { status: string; at: number }[] = [];
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      arrivals.push({
        status: (JSON.parse(Buffer.concat(chunks).toString()) as { status: string }).status,
        at: Date.now(),
      });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const dir = scratchDir();
  const prefix = `pbbench-alerts-${randomBytes(3).toString('hex')}`;
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  let child: ChildProcess | null = null;
  try {
    child = spawn(process.execPath, [BIN, 'start'], {
      stdio: 'ignore',
      env: {
        PATH: process.env.PATH,
        DATA_DIR: dir.dir,
        QUEUE_PREFIX: prefix,
        REDIS_URL: redisUrl,
        PORT: String(20_000 + Math.floor(Math.random() * 20_000)),
        DEMO_STORE: 'off',
        LOG_LEVEL: 'warn',
        ALERT_WEBHOOK_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/alerts`,
      },
    });
    const key = `${prefix}:${LAST_VERIFY_KEY}`;
    const until = async (what: string, check: () => boolean | Promise<boolean>) => {
      for (const end = Date.now() + 3 * EVALUATE_EVERY_MS; Date.now() < end; await sleep(50))
        if (await check()) return Date.now();
      throw new Error(`alert_latency_s: timed out waiting for ${what}`);
    };
    await until('the service to verify its ledger at start', async () => (await redis.get(key)) !== null);
    const latencies: number[] = [];
    for (let trial = 0, n = scaled(ctx, 4, 2); trial < n; trial++) {
      await sleep(Math.random() * EVALUATE_EVERY_MS); // a random moment against the service's timer
      const seen = arrivals.length;
      const broken = Date.now();
      const verdict = {
        ok: false,
        at: new Date().toISOString(),
        checked: 1,
        break: { seq: 2, reason: 'hash-mismatch' },
      };
      await redis.set(key, JSON.stringify(verdict));
      const fired = await until('the firing alert', () => arrivals.slice(seen).some((a) => a.status === 'firing'));
      latencies.push((fired - broken) / 1000);
      ctx.log(`alert_latency_s: trial ${trial + 1} of ${n}: ${round(latencies.at(-1)!, 1)} s`);
      await redis.set(key, JSON.stringify({ ok: true, at: new Date().toISOString(), checked: 1 }));
      await until('the resolution', () => arrivals.slice(seen).some((a) => a.status === 'resolved'));
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      figure: {
        key: 'alert_latency_s',
        value: round(sorted.at(-1)!, 1),
        unit: 's',
        baseline: EVALUATE_EVERY_MS / 1000,
        target: { max: 60 },
      },
      note: `alert_latency_s: the slowest of ${latencies.length} trials (${sorted.map((s) => round(s, 1)).join(', ')} s) on the built service with a real receiver, condition made true at random moments; baseline: the evaluation period`,
    };
  } finally {
    child?.kill('SIGTERM');
    await new Promise((r) => (child && child.exitCode === null ? child.once('exit', r) : r(null)));
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1000 }) as AsyncIterable<string[]>)
      if (keys.length) await redis.del(...keys);
    await redis.quit();
    receiver.close();
    dir.remove();
  }
}
