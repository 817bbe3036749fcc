import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Router } from 'express';
import { Redis } from 'ioredis';
import { compose } from '../../../service/src/compose.js';
import { createConsent } from '../../../service/src/consent/index.js';
import { loadConfig } from '../../../service/src/config.js';
import { listen } from '../../../service/src/platform/http/serve.js';
import { captureLogs } from '../../../service/src/testing/log-capture.js';
import { TEST_REDIS_URL, tempDir } from '../../../service/src/testing/databases.js';
import { signedHeaders } from '../../../shared/src/contracts/signed-transport.js';
import { CANARY_NEEDLES } from './proof.js';

export const KEY = { id: 'proof-plugin', secret: 'p'.repeat(48) };
export const OTHER_KEY = { id: 'proof-plugin', secret: 'q'.repeat(48) };

export type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };
export type Outgoing = { method: string; path: string; headers?: Record<string, string>; body?: Buffer | string };

/**
 * The whole service, composed as `privacy-bridge start` composes it (SQLite, the real Redis under a
 * private prefix, the demo WooCommerce double), listening on a free port, workers not started — so
 * any ledger entry appears while the request that wrote it is answered. Logs are kept in memory.
 */
export async function serviceUnderTest(options: { rateLimitScale?: number } = {}) {
  const data = tempDir('pb-proof-');
  const prefix = `pbproof-${randomBytes(4).toString('hex')}`;
  const linkSecret = randomBytes(32);
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: data.dir,
    QUEUE_PREFIX: prefix,
    REDIS_URL: TEST_REDIS_URL,
    PLUGIN_SIGNING_KEYS: `${KEY.id}:${KEY.secret}`,
    LINK_SECRET: linkSecret.toString('base64'),
    RATE_LIMIT_SCALE: String(options.rateLimitScale ?? 0),
    LOG_LEVEL: 'debug',
    DEMO_STORE: 'on',
    WOOCOMMERCE_WEBHOOK_SECRETS: 'w'.repeat(40),
    DSR_ERASE_PAGE_WAIT_MS: '0',
  });
  const logs = captureLogs('debug');
  const service = await compose(config, logs.log);
  const server = await listen(service.app, 0, '127.0.0.1');
  const port = (server.address() as AddressInfo).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  const admin = await service.core.adminTokens.create('ops-proof', new Date());
  // A published policy version, so that a well-formed consent is recorded (and refusals are the input's fault).
  await createConsent({
    db: service.core.db,
    ledger: service.core.ledger,
    clock: service.core.clock,
    linkSecret: service.core.linkSecret,
  }).policies.publish({
    text: Buffer.from('Politika e privatësisë (prova)'),
    version: 'icbt-pp-1',
    effective: '2026-01-01',
    material: false,
    languages: ['sq', 'en'],
  });
  const sqlite = service.core.db.dialect === 'sqlite' ? service.core.db.sqlite : null;

  /** One raw HTTP exchange: bytes as given, nothing normalised (a bad encoding stays bad). */
  const send = (o: Outgoing): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const body = o.body === undefined ? undefined : Buffer.isBuffer(o.body) ? o.body : Buffer.from(o.body);
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method: o.method,
          path: o.path,
          agent,
          headers: { ...(body ? { 'content-length': String(body.length) } : {}), ...o.headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  const signed = (o: Outgoing, key = KEY, at = Date.now()): Outgoing => {
    const body = o.body ?? '';
    return {
      ...o,
      body,
      headers: {
        ...o.headers,
        ...signedHeaders(key, {
          method: o.method,
          path: o.path,
          timestamp: Math.floor(at / 1000),
          messageId: `m-${randomUUID()}`,
          body: Buffer.isBuffer(body) ? body : Buffer.from(body),
        }),
      },
    };
  };

  /** The ledger's head sequence number: a refused request must leave it where it was. */
  const headSeq = async () => (await service.core.ledger.head())?.seq ?? 0;

  /** Row counts of every table: with the head, what "nothing changed" means. */
  const tableCounts = () => {
    if (!sqlite) return {};
    const tables = (
      sqlite
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('write_probe') AND name NOT LIKE 'sqlite_%'",
        )
        .all() as { name: string }[]
    ).map((t) => t.name);
    return Object.fromEntries(
      tables.map((t) => [t, (sqlite.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n]),
    );
  };

  /** Where the canary must not be: logs, Redis keys and values under this prefix, metrics, the database files. */
  async function canaryHits(extra: readonly string[] = []): Promise<string[]> {
    const places: [string, string][] = [['logs', logs.text()]];
    const keys = await redis.keys(`${prefix}:*`);
    const values = await Promise.all(
      keys.map(async (k) => {
        const type = await redis.type(k);
        if (type === 'string') return (await redis.get(k)) ?? '';
        if (type === 'hash') return JSON.stringify(await redis.hgetall(k));
        if (type === 'list') return JSON.stringify(await redis.lrange(k, 0, -1));
        if (type === 'set') return JSON.stringify(await redis.smembers(k));
        if (type === 'zset') return JSON.stringify(await redis.zrange(k, '0', '-1'));
        if (type === 'stream') return JSON.stringify(await redis.xrange(k, '-', '+'));
        return '';
      }),
    );
    places.push(['redis keys', keys.join('\n')], ['redis values', values.join('\n')]);
    places.push([
      'metrics',
      (await send({ method: 'GET', path: '/metrics', headers: { authorization: `Bearer ${admin.token}` } })).body,
    ]);
    for (const f of fs.readdirSync(data.dir, { recursive: true }) as string[]) {
      const p = path.join(data.dir, f);
      if (fs.statSync(p).isFile())
        places.push([`file ${f}`, fs.readFileSync(p).toString('latin1') + fs.readFileSync(p).toString('utf8')]);
    }
    places.push(['responses', extra.join('\n')]);
    return places.flatMap(([where, text]) =>
      CANARY_NEEDLES.filter((n) => text.includes(n)).map((n) => `${where}: ${n}`),
    );
  }

  return {
    app: service.app,
    core: service.core,
    config,
    logs,
    prefix,
    redis,
    admin,
    linkSecret,
    send,
    signed,
    headSeq,
    tableCounts,
    canaryHits,
    port,
    /** The app's router, for route discovery. */
    router: (service.app as unknown as { router: Router }).router,
    async close() {
      agent.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      await service.close();
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
      data.remove();
    },
  };
}
export type ServiceUnderTest = Awaited<ReturnType<typeof serviceUnderTest>>;
