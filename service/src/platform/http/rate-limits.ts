import type { Request, RequestHandler } from 'express';
import { addressOf, authFailureLimit, rateLimit, TokenBuckets, type Limit } from './rate-limit.js';

/**
 * Which routes are limited, and how. A new route joins by adding a line: its pattern as express
 * writes it, the methods, and a class. Everything else is still covered by the per-address limit
 * on failed authentications.
 */
export const LIMIT_CLASSES = {
  /** Pages and links a person opens (unsubscribe, receipts, downloads): per address. */
  person: { points: 30, perSeconds: 60 },
  /** The plugin's consent forwarding (one WordPress server, every visitor's choice): per address, a busy shop's peak with room to spare. */
  plugin: { points: 600, perSeconds: 10 },
  /** Failed authentications (401) per address, before the address is refused outright. */
  authFailures: { points: 20, perSeconds: 300 },
} as const satisfies Record<string, Limit>;

export type LimitClass = Exclude<keyof typeof LIMIT_CLASSES, 'authFailures'>;

export const LIMITED_ROUTES: readonly {
  readonly pattern: string;
  readonly methods: readonly string[];
  readonly limit: LimitClass;
}[] = [
  { pattern: '/v1/unsubscribe/:token', methods: ['GET', 'POST'], limit: 'person' },
  { pattern: '/v1/consents/receipts/:id', methods: ['GET'], limit: 'person' },
  { pattern: '/v1/requests/:id/receipts/:pass', methods: ['GET'], limit: 'person' },
  { pattern: '/v1/exports/:id', methods: ['GET'], limit: 'person' },
  { pattern: '/v1/consents', methods: ['POST'], limit: 'plugin' },
];

/** By address, both: a key id in a header is not yet verified, so keying on it would let anyone drain the plugin's bucket. */
const keyOf: Record<LimitClass, (req: Request) => string> = { person: addressOf, plugin: addressOf };

/** `scale` multiplies every limit (0: no limits — only for benchmarks that measure the pipeline). */
export function rateLimiters(
  scale = 1,
  now: () => number = Date.now,
): {
  routes: readonly { pattern: string; methods: readonly string[]; handler: RequestHandler }[];
  authFailures: RequestHandler | null;
} {
  if (scale === 0) return { routes: [], authFailures: null };
  const scaled = (l: Limit): Limit => ({ points: Math.max(1, Math.round(l.points * scale)), perSeconds: l.perSeconds });
  const buckets = Object.fromEntries(
    Object.entries(LIMIT_CLASSES).map(([k, l]) => [k, new TokenBuckets(scaled(l), now)]),
  ) as Record<keyof typeof LIMIT_CLASSES, TokenBuckets>;
  return {
    routes: LIMITED_ROUTES.map((r) => ({
      pattern: r.pattern,
      methods: r.methods,
      handler: rateLimit(r.limit, buckets[r.limit], keyOf[r.limit]),
    })),
    authFailures: authFailureLimit(buckets.authFailures),
  };
}
