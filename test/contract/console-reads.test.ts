import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import request from 'supertest';
import type { z } from 'zod';
import { signedHeaders } from '../../shared/src/contracts/signed-transport.js';
import { compose } from '../../service/src/compose.js';
import { loadConfig } from '../../service/src/config.js';
import { createConsent } from '../../service/src/consent/index.js';
import { TEST_REDIS_URL, tempDir } from '../../service/src/testing/databases.js';
import { captureLogs } from '../../service/src/testing/log-capture.js';
import { CONTRACTS } from '../../scripts/export-contracts.js';

/**
 * The wp-admin console's reads of the service (wp-plugin/includes/Admin/Console.php): the real service
 * (HTTP app, BullMQ workers on real Redis, SQLite) answers each in its contract — by zod and by
 * WordPress's rest_validate_value_from_schema() over the schema the plugin ships in wp-plugin/contracts/,
 * which is the check the console makes before it reads a field.
 */
const KEY = { id: 'wp1', secret: 's'.repeat(40) };
const PLUGIN_CONTRACTS = path.resolve(__dirname, '../../wp-plugin/contracts');
const EMAIL = 'drita.krasniqi@example.al';

describe("the console's reads: the service answers in the contracts the plugin checks", () => {
  const tmp = tempDir();
  const prefix = `pbcr${randomBytes(3).toString('hex')}`;
  const { log } = captureLogs();
  let service: Awaited<ReturnType<typeof compose>>;
  const redis = new Redis(TEST_REDIS_URL);

  beforeAll(async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: tmp.dir,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      PLUGIN_SIGNING_KEYS: `${KEY.id}:${KEY.secret}`,
    });
    service = await compose(config, log);
    await service.startWorkers();
    const parts = createConsent({
      db: service.core.db,
      ledger: service.core.ledger,
      clock: service.core.clock,
      linkSecret: service.core.linkSecret,
    });
    await parts.policies.publish({
      text: Buffer.from('Politika e privatësisë'),
      version: 'icbt-pp-1',
      effective: '2026-01-01',
      material: false,
      languages: ['sq', 'en'],
    });
  });
  afterAll(async () => {
    await service.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    tmp.remove();
  });

  const signed = (method: 'GET' | 'POST', route: string, body?: object) => {
    const raw = body === undefined ? '' : JSON.stringify(body);
    const headers = signedHeaders(KEY, {
      method,
      path: route,
      timestamp: Math.floor(Date.now() / 1000),
      messageId: randomBytes(12).toString('hex'),
      body: raw,
    });
    const req =
      method === 'GET'
        ? request(service.app).get(route)
        : request(service.app).post(route).set('content-type', 'application/json').send(raw);
    return req.set(headers);
  };

  /** zod's verdict and WordPress's over the exported schema: true, or what each refused. */
  const verdicts = (contract: string, value: unknown) => {
    const schema = JSON.parse(fs.readFileSync(path.join(PLUGIN_CONTRACTS, `${contract}.json`), 'utf8'));
    const [wordpress] = JSON.parse(
      execFileSync('php', [path.join(__dirname, 'wp-validate.php')], {
        input: JSON.stringify([{ schema, value }]),
      }).toString(),
    );
    const parsed = (CONTRACTS[contract] as z.ZodType).safeParse(value);
    return { zod: parsed.success || parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`), wordpress };
  };

  it('GET /v1/ledger/status → ledger-status', async () => {
    const res = await signed('GET', '/v1/ledger/status').expect(200);
    expect(verdicts('ledger-status', res.body)).toEqual({ zod: true, wordpress: true });
  });

  it('GET /v1/admin/queues → queue-health, every queue', async () => {
    const res = await signed('GET', '/v1/admin/queues').expect(200);
    expect(verdicts('queue-health', res.body)).toEqual({ zod: true, wordpress: true });
    expect(res.body.queues.map((q: { name: string }) => q.name)).toEqual([
      'sync',
      'consent',
      'delivery',
      'dsr',
      'ledger',
    ]);
  });

  it("POST /v1/admin/consents/search (consent-search) → consent-search-result, with the person's consents", async () => {
    const search = { email: EMAIL };
    expect(verdicts('consent-search', search)).toEqual({ zod: true, wordpress: true });
    const consent = {
      subject: { email: EMAIL },
      source: 'checkout',
      decisions: [{ purpose: 'marketing', decision: 'granted' }],
      policyVersion: 'icbt-pp-1',
      gpc: false,
      locale: 'sq',
      at: new Date().toISOString(),
    };
    await signed('POST', '/v1/consents', consent).expect(202);
    let body: { items: unknown[] } = { items: [] };
    for (let i = 0; i < 100 && body.items.length === 0; i++) {
      body = (await signed('POST', '/v1/admin/consents/search', search).expect(200)).body;
      if (body.items.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(body).toMatchObject({
      erased: false,
      items: [{ purpose: 'marketing', decision: 'granted', source: 'checkout' }],
    });
    expect(verdicts('consent-search-result', body)).toEqual({ zod: true, wordpress: true });
  });

  it('GET /v1/admin/requests → dsr-admin-request-list, with a request in it', async () => {
    await signed('POST', '/v1/requests', {
      kind: 'access',
      email: EMAIL,
      identity: { verified: true, method: 'wordpress-email-confirmation' },
      locale: 'sq',
    }).expect(202);
    const res = await signed('GET', '/v1/admin/requests').expect(200);
    expect(res.body.items).toHaveLength(1);
    expect(verdicts('dsr-admin-request-list', res.body)).toEqual({ zod: true, wordpress: true });
  });
});
