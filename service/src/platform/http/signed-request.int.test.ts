import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { Redis } from 'ioredis';
import request from 'supertest';
import { signedHeaders } from '../../../../shared/src/contracts/signed-transport.js';
import { fixedClock } from '../clock.js';
import { RedisMessageGuard } from '../queue/redis-message-guard.js';
import { TEST_REDIS_URL } from '../../testing/databases.js';
import { captureLogs } from '../../testing/log-capture.js';
import { buildApp } from './build-app.js';
import { requireSignedRequest } from './signed-request.js';

describe('the signed transport, verified with a real Redis replay guard', () => {
  const redis = new Redis(TEST_REDIS_URL);
  const prefix = `pbtest-${randomBytes(4).toString('hex')}`;
  const clock = fixedClock('2026-11-24T12:00:00Z');
  const keys = [
    { id: 'k2', secret: 'b'.repeat(40) },
    { id: 'k1', secret: 'a'.repeat(40) },
  ];
  const effects: unknown[] = [];
  let fail = false;
  const app = buildApp({
    log: captureLogs().log,
    routers: [
      Router().post(
        '/v1/things',
        requireSignedRequest({ keys: () => keys, guard: new RedisMessageGuard(redis, prefix), clock }),
        (req, res) => {
          if (fail) throw new Error('downstream failed');
          if ((req.body as { n?: number }).n === 0) return void res.status(422).json({ code: 'THING_INVALID' });
          effects.push(req.body);
          res.status(202).json({ messageId: req.signed?.messageId });
        },
      ),
    ],
  });

  afterAll(async () => {
    const stale = await redis.keys(`${prefix}:*`);
    if (stale.length) await redis.del(...stale);
    await redis.quit();
  });
  beforeEach(() => {
    effects.length = 0;
    fail = false;
  });

  const send = (
    body: object,
    opts: {
      key?: { id: string; secret: string };
      messageId?: string;
      at?: number;
      path?: string;
      tamper?: (b: string) => string;
    } = {},
  ) => {
    const raw = JSON.stringify(body);
    const timestamp = opts.at ?? Math.floor(clock.now().getTime() / 1000);
    const messageId = opts.messageId ?? randomBytes(12).toString('hex');
    const headers = signedHeaders(opts.key ?? keys[1]!, {
      method: 'POST',
      path: opts.path ?? '/v1/things',
      timestamp,
      messageId,
      body: raw,
    });
    return request(app)
      .post('/v1/things')
      .set(headers)
      .set('content-type', 'application/json')
      .send(opts.tamper ? opts.tamper(raw) : raw);
  };

  it('accepts a message signed with either active key, once', async () => {
    await send({ n: 1 }, { messageId: 'msg-00000001' }).expect(202);
    await send({ n: 2 }, { key: keys[0] }).expect(202);
    const replay = await send({ n: 1 }, { messageId: 'msg-00000001' }).expect(401);
    expect(replay.body.code).toBe('MESSAGE_REPLAYED');
    expect(effects).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it.each([
    ['a changed body', { tamper: (b: string) => b.replace('1', '2') }, 'SIGNATURE_INVALID'],
    ['another path signed', { path: '/v1/other' }, 'SIGNATURE_INVALID'],
    ['an unknown key', { key: { id: 'k9', secret: 'c'.repeat(40) } }, 'SIGNATURE_INVALID'],
    ['a wrong secret', { key: { id: 'k1', secret: 'z'.repeat(40) } }, 'SIGNATURE_INVALID'],
    ['a timestamp 6 minutes old', { at: Math.floor(Date.parse('2026-11-24T11:54:00Z') / 1000) }, 'SIGNATURE_EXPIRED'],
    ['a timestamp 6 minutes ahead', { at: Math.floor(Date.parse('2026-11-24T12:06:00Z') / 1000) }, 'SIGNATURE_EXPIRED'],
  ])('refuses %s with 401 and no side effect', async (_name, opts, code) => {
    const res = await send({ n: 1 }, opts).expect(401);
    expect(res.body.code).toBe(code);
    expect(effects).toEqual([]);
  });

  it('acts on a message once when its copies arrive together (claims share one Redis pipeline)', async () => {
    const messageId = randomBytes(12).toString('hex');
    const answers = await Promise.all(Array.from({ length: 5 }, () => send({ n: 1 }, { messageId })));
    expect(answers.map((r) => r.status).sort()).toEqual([202, 401, 401, 401, 401]);
    expect(effects).toHaveLength(1);
    const guard = new RedisMessageGuard(redis, prefix);
    const ids = Array.from({ length: 20 }, (_, i) => `burst-${i % 10}-${messageId}`);
    const claimed = await Promise.all(ids.map((id) => guard.claim('k1', id)));
    expect(claimed.filter(Boolean)).toHaveLength(10);
  });

  it('refuses an unsigned message', async () => {
    const res = await request(app).post('/v1/things').send({ n: 1 }).expect(401);
    expect(res.body.code).toBe('SIGNATURE_MISSING');
  });

  it('lets the sender retry a message whose handling failed', async () => {
    fail = true;
    await send({ n: 3 }, { messageId: 'msg-00000003' }).expect(500);
    fail = false;
    await send({ n: 3 }, { messageId: 'msg-00000003' }).expect(202);
    expect(effects).toEqual([{ n: 3 }]);
  });

  it('lets the sender retry a message it refused, and answers the retry on its merits', async () => {
    await send({ n: 0 }, { messageId: 'msg-00000004' }).expect(422);
    const again = await send({ n: 0 }, { messageId: 'msg-00000004' }).expect(422); // not MESSAGE_REPLAYED
    expect(again.body.code).toBe('THING_INVALID');
    expect(effects).toEqual([]);
  });
});
