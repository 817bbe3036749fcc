import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { homeRoutes } from './home.routes.js';

describe('GET / for whoever opens the service first', () => {
  const app = express().use(homeRoutes());

  it('answers a small page in Albanian and English that says what this is and links the status page (/admin), health, readiness and the README', async () => {
    const res = await request(app).get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<section lang="sq">');
    expect(res.text).toContain('<section lang="en">');
    expect(res.text).toContain('regjistrin e privatësisë');
    expect(res.text).toContain('privacy ledger');
    for (const href of ['/admin', '/healthz', '/readyz', '/readme']) expect(res.text).toContain(`href="${href}"`);
    expect(res.text).not.toMatch(/<script|https?:\/\//); // no scripts, nothing fetched from elsewhere
  });

  it('serves the repository README as text at /readme', async () => {
    const res = await request(app).get('/readme');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; charset=utf-8/);
    expect(res.text).toBe(fs.readFileSync(path.resolve(__dirname, '../../../../README.md'), 'utf8'));
  });

  it('without a README beside the code, /readme is left to the not-found handler', async () => {
    const res = await request(
      express()
        .use(homeRoutes(null))
        .use((_req, res) => void res.status(404).send('nf')),
    ).get('/readme');
    expect(res.status).toBe(404);
  });
});
