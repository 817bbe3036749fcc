import { Router } from 'express';
import request from 'supertest';
import { captureLogs } from '../../testing/log-capture.js';
import { buildApp } from './build-app.js';

/** The HTTP layer every route shares: what it refuses before any handler runs, and what it logs. */
function app() {
  const logs = captureLogs('debug');
  const routes = Router()
    .get('/v1/requests/:id', (req, res) => void res.json({ id: req.params.id }))
    .post('/v1/echo', (req, res) => void res.json({ body: req.body as unknown }))
    .get('/v1/unsubscribe/:token', (_req, res) => void res.status(404).json({ code: 'UNSUBSCRIBE_TOKEN_INVALID' }))
    .get('/v1/boom/:token', () => {
      throw new Error('boom');
    });
  return { logs, app: buildApp({ log: logs.log, routers: [routes] }) };
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
});
