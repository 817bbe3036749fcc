import { Router } from 'express';
import request from 'supertest';
import { captureLogs } from '../../testing/log-capture.js';
import { createMetrics } from '../metrics.js';
import { buildApp } from './build-app.js';

/** The HTTP layer every route shares: what it refuses before any handler runs, and what it logs. */
function app(metrics?: ReturnType<typeof createMetrics>) {
  const logs = captureLogs('debug');
  const routes = Router()
    .get('/v1/requests/:id', (req, res) => void res.json({ id: req.params.id }))
    .post('/v1/echo', (req, res) => void res.json({ body: req.body as unknown }))
    .get('/v1/unsubscribe/:token', (_req, res) => void res.status(404).json({ code: 'UNSUBSCRIBE_TOKEN_INVALID' }))
    .get('/v1/boom/:token', () => {
      throw new Error('boom');
    });
  return { logs, app: buildApp({ log: logs.log, routers: [routes], metrics }) };
}

describe('the HTTP layer', () => {
  it('answers a malformed percent-encoding in a path parameter with 400 PATH_MALFORMED, logging no stack', async () => {
    const { app: a, logs } = app();
    const res = await request(a).get('/v1/requests/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('PATH_MALFORMED');
    expect(logs.text()).not.toContain('"stack"');
    expect(logs.text()).not.toContain('"level":50');
  });

  it.each(['gzip', 'deflate', 'br', 'x-unknown', 'gzip, identity'])(
    'refuses Content-Encoding %s on a body not so encoded with 415, on every route, before any handler',
    async (encoding) => {
      const { app: a, logs } = app();
      for (const req of [
        request(a).post('/v1/echo'),
        request(a).get('/v1/requests/abc'),
        request(a).post('/nowhere'),
      ]) {
        const res = await req.set('content-type', 'application/json').set('content-encoding', encoding).send('{"a":1}');
        expect(res.status).toBe(415);
        expect(res.body.code).toBe('BODY_ENCODING_UNSUPPORTED');
      }
      expect(logs.text()).not.toContain('"level":50');
    },
  );

  it('logs route patterns, never paths: no email (clear or percent-encoded) and no token reaches the log', async () => {
    const { app: a, logs } = app();
    const token = `${'A'.repeat(22)}.${'b'.repeat(22)}`;
    for (const p of [
      '/v1/unsubscribe/drita.hoxha%40example.invalid',
      '/v1/unsubscribe/drita.hoxha@example.invalid',
      `/v1/unsubscribe/${token}`,
      `/v1/boom/${token}`,
      `/nowhere/drita%2Ehoxha%40example%2Einvalid`,
      '/v1/requests/%E0%A4%A',
    ]) {
      await request(a).get(p);
    }
    const text = logs.text();
    expect(text).toContain('"route":"/v1/unsubscribe/:token"');
    expect(text).toContain('"route":"/v1/boom/:token"');
    expect(text).toContain('"route":"unmatched"');
    for (const needle of ['drita', 'hoxha', '%40', token, '%E0%A4%A']) expect(text).not.toContain(needle);
  });

  it('still takes an identity-encoded body', async () => {
    const { app: a } = app();
    const res = await request(a)
      .post('/v1/echo')
      .set('content-type', 'application/json')
      .set('content-encoding', 'identity')
      .send('{"a":1}');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ body: { a: 1 } });
  });

  it('times every request by method, route pattern and status, never by path', async () => {
    const metrics = createMetrics();
    const { app: a } = app(metrics);
    const token = `${'A'.repeat(22)}.${'b'.repeat(22)}`;
    for (const id of ['r-1', 'r-2', 'drita%40example.invalid']) await request(a).get(`/v1/requests/${id}`);
    await request(a).get(`/v1/unsubscribe/${token}`);
    await request(a).get('/nowhere/r-3');
    const text = await metrics.registry.getSingleMetricAsString('pb_http_request_duration_seconds');
    expect(text).toMatch(
      /pb_http_request_duration_seconds_count\{method="GET",route="\/v1\/requests\/:id",status="200"\} 3/,
    );
    expect(text).toMatch(/_count\{method="GET",route="\/v1\/unsubscribe\/:token",status="404"\} 1/);
    expect(text).toMatch(/_count\{method="GET",route="unmatched",status="404"\} 1/);
    expect(text).toMatch(/_bucket\{le="0\.005",method="GET",route="\/v1\/requests\/:id",status="200"\}/);
    for (const needle of ['r-1', 'r-3', 'drita', token]) expect(text).not.toContain(needle);
  });
});
