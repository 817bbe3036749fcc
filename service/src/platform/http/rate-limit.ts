import type { Request, RequestHandler } from 'express';
import { AppError } from '../errors.js';

/**
 * Token buckets in this process's memory, one per key (a client address, a signing key id). Why not
 * rate-limiter-flexible on Redis: the service is one process per ledger (SQLite) or a few behind one
 * PostgreSQL, the person-facing pages must keep refusing floods when Redis is down (a Redis-backed
 * limiter either fails open then or turns every page into a 503), and the whole of what is needed is
 * forty lines. Memory is bounded: at most `maxKeys` buckets, the least recently used dropped first.
 */
export type Limit = { readonly points: number; readonly perSeconds: number };

export class TokenBuckets {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    readonly limit: Limit,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 50_000,
  ) {}

  /** Takes `cost` tokens; null when allowed, else the seconds until one is available again. */
  take(key: string, cost = 1): number | null {
    const bucket = this.#refill(key);
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return null;
    }
    return Math.max(1, Math.ceil((cost - bucket.tokens) / this.#rate()));
  }

  /** Seconds until the key may try again, or null when it has tokens (a check that takes nothing). */
  blocked(key: string): number | null {
    const bucket = this.#buckets.get(key) ? this.#refill(key) : null;
    return bucket && bucket.tokens < 1 ? Math.max(1, Math.ceil((1 - bucket.tokens) / this.#rate())) : null;
  }

  get size(): number {
    return this.#buckets.size;
  }

  #rate = () => this.limit.points / this.limit.perSeconds;

  #refill(key: string) {
    const now = this.now();
    const found = this.#buckets.get(key);
    const bucket = found ?? { tokens: this.limit.points, at: now };
    bucket.tokens = Math.min(this.limit.points, bucket.tokens + ((now - bucket.at) / 1000) * this.#rate());
    bucket.at = now;
    // Re-inserted, so the Map's order is least recently used first.
    if (found) this.#buckets.delete(key);
    this.#buckets.set(key, bucket);
    if (this.#buckets.size > this.maxKeys) this.#buckets.delete(this.#buckets.keys().next().value!);
    return bucket;
  }
}

/** The client's address as the socket sees it ('trust proxy' is off: a forwarded header is not believed). */
export const addressOf = (req: Request): string => req.socket.remoteAddress ?? 'unknown';

const refuse = (res: Parameters<RequestHandler>[1], retryAfter: number, limit: string) => {
  res.setHeader('retry-after', String(retryAfter));
  return new AppError('RATE_LIMITED', { limit, retryAfterSeconds: retryAfter });
};

/** Each request takes a token from its key's bucket; an empty bucket is 429 RATE_LIMITED with Retry-After. */
export function rateLimit(
  name: string,
  buckets: TokenBuckets,
  keyOf: (req: Request) => string = addressOf,
): RequestHandler {
  return (req, res, next) => {
    const wait = buckets.take(`${name}\n${keyOf(req)}`);
    next(wait === null ? undefined : refuse(res, wait, name));
  };
}

/**
 * Failed authentications per address: every 401 answered takes a token; once an address has none
 * left, its requests are refused with 429 before any signature or token is looked at.
 */
export function authFailureLimit(buckets: TokenBuckets, keyOf: (req: Request) => string = addressOf): RequestHandler {
  return (req, res, next) => {
    const key = keyOf(req);
    const wait = buckets.blocked(key);
    if (wait !== null) return next(refuse(res, wait, 'auth-failures'));
    res.once('finish', () => {
      if (res.statusCode === 401) buckets.take(key);
    });
    next();
  };
}
