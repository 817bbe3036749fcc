import express, { type RequestHandler } from 'express';
import request from 'supertest';
import { errorHandler } from '../platform/http/error-handler.js';
import { consentSearchRoutes } from './consent-search.routes.js';

const event = (at: string, source: string, effects: { purpose: string; decision: 'granted' | 'denied' }[]) => ({
  eventId: at,
  seq: 1,
  at,
  source,
  decisions: effects,
  effects: effects.map((e) => ({ ...e, rule: 'explicit' as const })),
  gpc: false,
  policyVersion: 'pp-1',
  erased: false,
});

function app(opts: { erased?: boolean; signed?: boolean } = {}) {
  const seen: string[] = [];
  const consent = {
    refsOf: (s: { email?: { reveal(): string } }) => {
      seen.push(s.email!.reveal());
      return ['ref-1' as never];
    },
    state: async () => (opts.erased ? { erased: true as const } : { erased: false as const, purposes: [] }),
    history: async () => [
      event('2026-11-01T10:00:00Z', 'checkout', [
        { purpose: 'marketing', decision: 'granted' },
        { purpose: 'statistics', decision: 'denied' },
      ]),
      event('2026-11-05T10:00:00Z', 'unsubscribe-link', [{ purpose: 'marketing', decision: 'denied' }]),
    ],
  };
  const requireSigned: RequestHandler = (_req, res, next) =>
    opts.signed === false ? void res.status(401).json({ code: 'SIGNATURE_INVALID' }) : next();
  const log = { error: () => undefined, warn: () => undefined } as never;
  const a = express()
    .use(express.json())
    .use(consentSearchRoutes({ consent: consent as never, requireSigned }))
    .use(errorHandler(log));
  return { a, seen };
}

describe('POST /v1/admin/consents/search', () => {
  it('answers every consent event of the address, newest first, one row per purpose', async () => {
    const { a, seen } = app();
    const res = await request(a).post('/v1/admin/consents/search').send({ email: 'Arta@example.invalid' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      erased: false,
      items: [
        { purpose: 'marketing', decision: 'denied', source: 'unsubscribe-link', at: '2026-11-05T10:00:00Z' },
        { purpose: 'statistics', decision: 'denied', source: 'checkout', at: '2026-11-01T10:00:00Z' },
        { purpose: 'marketing', decision: 'granted', source: 'checkout', at: '2026-11-01T10:00:00Z' },
      ],
    });
    expect(seen).toEqual(['Arta@example.invalid']);
  });

  it('answers nothing after the subject was shredded', async () => {
    const res = await request(app({ erased: true }).a)
      .post('/v1/admin/consents/search')
      .send({ email: 'gone@example.invalid' });
    expect(res.body).toEqual({ erased: true, items: [] });
  });

  it('refuses a body that is not the contract, without echoing it', async () => {
    const res = await request(app().a).post('/v1/admin/consents/search').send({ email: 'not-an-address' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('REQUEST_INVALID');
    expect(JSON.stringify(res.body)).not.toContain('not-an-address');
  });

  it('is signed: an unsigned call never reaches the consent log', async () => {
    const { a, seen } = app({ signed: false });
    expect((await request(a).post('/v1/admin/consents/search').send({ email: 'a@example.invalid' })).status).toBe(401);
    expect(seen).toEqual([]);
  });
});
