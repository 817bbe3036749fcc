import { Router } from 'express';
import request from 'supertest';
import { captureLogs } from '../../testing/log-capture.js';
import { AppError } from '../errors.js';
import { buildApp } from './build-app.js';
import { TokenBuckets } from './rate-limit.js';
import { LIMIT_CLASSES, rateLimiters } from './rate-limits.js';

function app(now: () => number) {
  const routes = Router()
    .get('/v1/unsubscribe/:token', (_req, res) => void res.send('page'))
    .post('/v1/consents', (_req, res) => void res.status(202).json({}))
    .get('/v1/ping', (req) => {
      if (req.headers.authorization !== 'ok') throw new AppError('ADMIN_TOKEN_INVALID');
    })
    .get('/v1/free', (_req, res) => void res.json({}));
  return buildApp({ log: captureLogs('silent').log, routers: [routes], limits: rateLimiters(1, now) });
}

describe('rate limits', () => {
  it('answers the person-facing pages 429 RATE_LIMITED with Retry-After once an address has used its allowance, and again later', async () => {
    let t = 1_000_000;
    const a = app(() => t);
    const { points } = LIMIT_CLASSES.person;
    for (let i = 0; i < points; i++) expect((await request(a).get(`/v1/unsubscribe/x${i}`)).status).toBe(200);
    const refused = await request(a).get('/v1/unsubscribe/other');
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await request(a).get('/v1/free')).status).toBe(200); // unlimited routes are not affected
    t += Number(refused.headers['retry-after']) * 1000;
    expect((await request(a).get('/v1/unsubscribe/again')).status).toBe(200);
  });

  it("limits the plugin consent endpoint, far above a shop's peak", async () => {
    const a = app(() => 5);
    const statuses = await Promise.all(
      Array.from({ length: LIMIT_CLASSES.plugin.points + 50 }, () =>
        request(a)
          .post('/v1/consents')
          .then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 202)).toHaveLength(LIMIT_CLASSES.plugin.points);
    expect(statuses.filter((s) => s === 429)).toHaveLength(50);
  });

  it('refuses an address with 429 once it failed authentication too often, before any check, even with a good token', async () => {
    const a = app(() => 7);
    for (let i = 0; i < LIMIT_CLASSES.authFailures.points; i++)
      expect((await request(a).get('/v1/ping')).status).toBe(401);
    const refused = await request(a).get('/v1/ping').set('authorization', 'ok');
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('RATE_LIMITED');
    expect(refused.headers['retry-after']).toBeDefined();
  });

  it('keeps a bounded number of buckets whatever the number of addresses', () => {
    const b = new TokenBuckets({ points: 1, perSeconds: 60 }, () => 0, 100);
    for (let i = 0; i < 10_000; i++) b.take(`10.0.${i >> 8}.${i & 255}`);
    expect(b.size).toBe(100);
  });
});
