import { randomUUID } from 'node:crypto';
import express, { type RequestHandler, type Router } from 'express';
import type { Logger } from '../log/logger.js';
import type { Metrics } from '../metrics.js';
import { refuseContentEncoding } from './content-encoding.js';
import type { rateLimiters } from './rate-limits.js';
import { errorHandler, notFound, routeOf } from './error-handler.js';

export type AppDeps = {
  log: Logger;
  /** Routers that need the raw body (webhook signatures) mount before the JSON parser. */
  rawRouters?: readonly Router[];
  routers: readonly Router[];
  jsonLimit?: string;
  metrics?: Metrics;
  /** Runs before every router but the health routes (the storage guard, rate limits). */
  before?: readonly RequestHandler[];
  /** Routers mounted before `before` (health: /readyz must answer while storage is refused). */
  early?: readonly Router[];
  /** Rate limits (rate-limits.ts): per route pattern, and failed authentications per address. */
  limits?: ReturnType<typeof rateLimiters>;
};

/** Builds the express app without listening: tests drive it with supertest. */
export function buildApp({
  log,
  rawRouters = [],
  routers,
  jsonLimit = '256kb',
  metrics,
  before = [],
  early = [],
  limits,
}: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    const id = randomUUID();
    res.setHeader('x-request-id', id);
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // The route pattern (`/v1/unsubscribe/:token`), never the path itself, which can carry a token or an email.
      const route = routeOf(req);
      log.debug({ reqId: id, method: req.method, route, status: res.statusCode, ms }, 'request');
      const labels = { method: req.method, route, status: String(res.statusCode) };
      metrics?.httpRequests.inc(labels);
      metrics?.httpDuration.observe(labels, ms / 1000);
    });
    next();
  });
  app.use(refuseContentEncoding);
  for (const r of early) app.use(r);
  if (limits?.authFailures) app.use(limits.authFailures);
  for (const r of limits?.routes ?? [])
    for (const m of r.methods) app[m.toLowerCase() as 'get' | 'post'](r.pattern, r.handler);
  for (const h of before) app.use(h);
  for (const r of rawRouters) app.use(r);
  // The raw bytes are kept for signature checks over the exact body received.
  app.use(
    express.json({
      limit: jsonLimit,
      strict: true,
      inflate: false,
      verify: (req, _res, buf) => void ((req as express.Request).rawBody = Buffer.from(buf)),
    }),
  );
  for (const r of routers) app.use(r);
  app.use(notFound);
  app.use(errorHandler(log));
  return app;
}
