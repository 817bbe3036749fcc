import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import request from 'supertest';
import { signedHeaders } from '../../shared/src/contracts/signed-transport.js';
import { compose } from '../../service/src/compose.js';
import { loadConfig } from '../../service/src/config.js';
import { TEST_REDIS_URL, tempDir } from '../../service/src/testing/databases.js';
import { captureLogs } from '../../service/src/testing/log-capture.js';
import { createConsent } from '../../service/src/consent/index.js';
import { sensitive } from '../../service/src/platform/sensitive.js';

const CANARY = 'canary@example.invalid';
const KEY = { id: 'wp1', secret: 's'.repeat(40) };

/** The real HTTP app, real Redis (BullMQ workers running), real SQLite; a fake WordPress receives pushes. */
describe('consent end to end', () => {
  const tmp = tempDir();
  const prefix = `pbc${randomBytes(3).toString('hex')}`;
  const { log, text } = captureLogs();
  const pushes: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const wordpress = http.createServer((req, res) => {
    let body = '';
    req
      .on('data', (d) => (body += d))
      .on('end', () => {
        pushes.push({ headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
  });
  let service: Awaited<ReturnType<typeof compose>>;
  const redis = new Redis(TEST_REDIS_URL);

  beforeAll(async () => {
    await new Promise<void>((r) => wordpress.listen(0, '127.0.0.1', r));
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: tmp.dir,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      PLUGIN_SIGNING_KEYS: `${KEY.id}:${KEY.secret}`,
      WORDPRESS_URL: `http://127.0.0.1:${(wordpress.address() as AddressInfo).port}`,
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
    wordpress.close();
    tmp.remove();
  });

  const signed = (path: string, body: object, messageId = randomBytes(12).toString('hex')) => {
    const raw = JSON.stringify(body);
    const headers = signedHeaders(KEY, {
      method: 'POST',
      path,
      timestamp: Math.floor(Date.now() / 1000),
      messageId,
      body: raw,
    });
    return request(service.app).post(path).set(headers).set('content-type', 'application/json').send(raw);
  };
  const consent = (email: string, over: object = {}) => ({
    subject: { email },
    source: 'checkout',
    decisions: [{ purpose: 'marketing', decision: 'granted' }],
    policyVersion: 'icbt-pp-1',
    gpc: false,
    locale: 'sq',
    at: new Date().toISOString(),
    ...over,
  });
  const until = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 100; i++)
      if (await check()) return;
      else await new Promise((r) => setTimeout(r, 50));
    throw new Error('timed out');
  };

  it('records through HTTP → queue → ledger → projection, refuses bad input with codes, and keeps the canary out of logs and Redis', async () => {
    const res = await signed(
      '/v1/consents',
      consent(CANARY, {
        decisions: [
          { purpose: 'marketing', decision: 'granted' },
          { purpose: 'statistics', decision: 'granted' },
        ],
      }),
      'msg-canary-0001',
    ).expect(202);
    expect(res.body).toMatchObject({ duplicate: false, eventId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    // The projection job runs on the worker; the cursor reaches the entry without any read forcing it.
    const parts = createConsent({
      db: service.core.db,
      ledger: service.core.ledger,
      clock: service.core.clock,
      linkSecret: service.core.linkSecret,
    });
    const head = await service.core.ledger.head();
    await until(async () => (await parts.store.cursor()) >= head.seq);

    for (const [body, code] of [
      [consent(CANARY, { policyVersion: 'icbt-pp-9' }), 'CONSENT_POLICY_VERSION_UNKNOWN'],
      [
        consent(CANARY, { decisions: [{ purpose: 'necessary', decision: 'granted' }] }),
        'CONSENT_PURPOSE_NOT_CONSENTABLE',
      ],
      [consent(CANARY, { decisions: [{ purpose: 'ads', decision: 'granted' }] }), 'CONSENT_PURPOSE_UNKNOWN'],
      [consent(CANARY, { at: new Date(Date.now() + 3_600_000).toISOString() }), 'CONSENT_TIME_IN_FUTURE'],
      [consent(CANARY, { subject: {} }), 'CONSENT_SUBJECT_MISSING'],
      [{ ...consent(CANARY), source: 'popup' }, 'REQUEST_INVALID'],
    ] as const) {
      const refused = await signed('/v1/consents', body);
      expect(refused.status).toBeLessThan(500);
      expect(refused.body.code).toBe(code);
      expect(JSON.stringify(refused.body)).not.toContain(CANARY);
    }
    const redelivered = await signed('/v1/consents', consent(CANARY), 'msg-canary-0001');
    expect(redelivered.body.code).toBe('MESSAGE_REPLAYED');

    // The receipt: a signed link, JSON and a bilingual page; a forged signature finds nothing.
    const json = await request(service.app).get(`${res.body.receiptPath}&format=json`).expect(200);
    expect(json.body).toMatchObject({
      receiptId: res.body.eventId,
      policy: { version: 'icbt-pp-1' },
      piiController: { name: 'ICBT' },
    });
    const page = await request(service.app).get(res.body.receiptPath).expect(200);
    expect(page.text).toContain('Dëftesë pëlqimi');
    expect(page.text).toContain('Consent receipt');
    expect(
      (
        await request(service.app)
          .get(`/v1/consents/receipts/${res.body.eventId}?sig=${'A'.repeat(22)}`)
          .expect(404)
      ).body.code,
    ).toBe('CONSENT_RECEIPT_NOT_FOUND');

    const keys = await redis.keys(`${prefix}:*`);
    const dump =
      (
        await Promise.all(
          keys.map(async (k) => {
            const type = await redis.type(k);
            if (type === 'hash') return JSON.stringify(await redis.hgetall(k));
            if (type === 'string') return (await redis.get(k)) ?? '';
            if (type === 'list') return (await redis.lrange(k, 0, -1)).join();
            if (type === 'zset') return (await redis.zrange(k, '0', '-1')).join();
            if (type === 'stream') return JSON.stringify(await redis.xrange(k, '-', '+'));
            return '';
          }),
        )
      ).join('\n') + keys.join('\n');
    expect(dump).toContain('consent.project'); // the dump really holds the jobs…
    expect(dump).not.toContain(CANARY); // …but never the address
    expect(text()).not.toContain(CANARY);
  });

  it('unsubscribes by link (GET confirms, POST one-click), at once, pushes to WordPress, and the mailer hears no', async () => {
    const email = 'leka.gashi@example.al';
    await signed('/v1/consents', consent(email)).expect(202);
    expect((await signed('/v1/suppression/check', { email }).expect(200)).body).toEqual({ marketing: 'yes' });
    const link = (await signed('/v1/unsubscribe-links', { email }).expect(201)).body;
    expect(link.token).not.toContain('leka');
    const confirm = await request(service.app).get(link.path).expect(200);
    expect(confirm.text).toContain('Po, më çregjistroni');
    expect((await signed('/v1/suppression/check', { email }).expect(200)).body).toEqual({ marketing: 'yes' }); // GET changed nothing
    // The subject's own entries, not the chain's head: the demo store's sync appends in the background.
    const ref = service.core.ledger.subjectRef(sensitive(email));
    const before = (await service.core.ledger.timeline(ref)).length;
    await request(service.app).post(link.path).type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect((await signed('/v1/suppression/check', { email }).expect(200)).body).toEqual({ marketing: 'no' });
    const recorded = (await service.core.ledger.timeline(ref)).length;
    expect(recorded).toBeGreaterThan(before);
    await request(service.app).post(link.path).type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect(await service.core.ledger.timeline(ref)).toHaveLength(recorded); // a replay records nothing
    await request(service.app)
      .post(`/v1/unsubscribe/${link.token.slice(0, 23)}${'A'.repeat(22)}`)
      .type('form')
      .send('List-Unsubscribe=One-Click')
      .expect(404);

    await until(async () => pushes.length > 0);
    const pushed = JSON.parse(pushes[0]!.body);
    expect(pushed).toMatchObject({
      email,
      source: 'unsubscribe-link',
      purposes: [{ purpose: 'marketing', decision: 'denied', rule: 'explicit' }],
    });
    expect(pushes[0]!.headers['x-pb-key-id']).toBe(KEY.id);
  });

  it('serves policy versions, and an admin reads the state with its rule and the full history', async () => {
    expect((await request(service.app).get('/v1/policy/current').expect(200)).body).toMatchObject({
      version: 'icbt-pp-1',
      languages: ['sq', 'en'],
    });
    expect((await request(service.app).get('/v1/policy/versions').expect(200)).body.versions).toHaveLength(1);
    const { token } = await service.core.adminTokens.create('ops-drita', new Date());
    const email = 'mira.dushku@example.com';
    await signed('/v1/consents', consent(email, { gpc: true })).expect(202);
    await request(service.app)
      .get(`/v1/subjects/consents?email=${encodeURIComponent(email)}`)
      .expect(401);
    const read = await request(service.app)
      .get(`/v1/subjects/consents?email=${encodeURIComponent(email)}`)
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    expect(read.body.state.purposes.find((p: { purpose: string }) => p.purpose === 'marketing')).toMatchObject({
      decision: 'denied',
      rule: 'gpc',
      policyVersion: 'icbt-pp-1',
    });
    expect(read.body.history).toHaveLength(1);
    await request(service.app)
      .post('/v1/subjects/consents/withdrawals')
      .set('authorization', `Bearer ${token}`)
      .send({ email, purposes: ['statistics'] })
      .expect(201);
    const again = await request(service.app)
      .get(`/v1/subjects/consents?email=${encodeURIComponent(email)}`)
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    expect(again.body.state.purposes.find((p: { purpose: string }) => p.purpose === 'statistics')).toMatchObject({
      decision: 'denied',
      rule: 'explicit',
      source: 'admin',
    });
    expect(again.body.history).toHaveLength(2);
    expect(
      (await request(service.app).get('/v1/policy/reconsent').set('authorization', `Bearer ${token}`).expect(200)).body,
    ).toEqual({ version: null, subjects: [] });
  });
});
