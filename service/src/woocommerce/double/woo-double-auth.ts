import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { ERR, WooRestError } from './woo-errors.js';
import type { PhpQuery } from './woo-http.js';

export type ApiKey = Readonly<{ consumerKey: string; consumerSecret: string; permissions: 'read' | 'write' | 'read_write'; userId?: number }>;

export type AuthOutcome = { key: ApiKey | null };

const NONCE_WINDOW_S = 15 * 60;

/** RFC 3986 encoding used by OAuth 1.0a (and by WooCommerce's `wc_rest_urlencode_rfc3986`). */
const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * WC_REST_Authentication, as recorded: over "https" Basic auth or `consumer_key`/`consumer_secret`
 * query parameters (query first); over plain http ONLY OAuth 1.0a one-legged — Basic/query
 * credentials are ignored and the request runs as anonymous. An unknown key in Basic/query auth
 * is anonymous too; a known key with a wrong secret is an authentication error.
 */
export class WooAuthenticator {
  private readonly nonces = new Map<string, number>();

  constructor(private readonly opts: { keys: readonly ApiKey[]; https: boolean; now: () => number }) {}

  authenticate(req: Request, query: PhpQuery, signatureHome: string): AuthOutcome {
    const key = this.opts.https ? this.basic(req, query) : this.oauth(req, query, signatureHome);
    if (key) this.checkPermissions(key, req.method);
    return { key };
  }

  private find(consumerKey: string | undefined): ApiKey | undefined {
    return this.opts.keys.find((k) => k.consumerKey === consumerKey);
  }

  private basic(req: Request, query: PhpQuery): ApiKey | null {
    let user = one(query.get('consumer_key'));
    let pass = one(query.get('consumer_secret'));
    if (!user || !pass) {
      const m = /^Basic\s+(.+)$/i.exec(req.get('authorization') ?? '');
      if (!m) return null;
      const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      if (i < 0) return null;
      [user, pass] = [decoded.slice(0, i), decoded.slice(i + 1)];
    }
    const key = this.find(user);
    if (!key) return null;
    if (!safeEqual(key.consumerSecret, pass)) throw ERR.auth('Consumer secret is invalid.');
    return key;
  }

  private oauth(req: Request, query: PhpQuery, home: string): ApiKey | null {
    const params = new Map<string, string | string[]>(query);
    for (const [k, v] of oauthHeaderParams(req.get('authorization'))) params.set(k, v);
    if (req.is('application/x-www-form-urlencoded') && req.body && typeof req.body === 'object') {
      for (const [k, v] of Object.entries(req.body as Record<string, string>)) params.set(k, v);
    }
    const required = ['oauth_consumer_key', 'oauth_timestamp', 'oauth_nonce', 'oauth_signature', 'oauth_signature_method'];
    if (required.some((p) => !one(params.get(p)))) return null;
    const key = this.find(one(params.get('oauth_consumer_key')));
    if (!key) throw ERR.auth('Consumer key is invalid.');

    const method = one(params.get('oauth_signature_method'))!;
    // PHP decoded "+" as a space; WooCommerce turns it back before comparing.
    const provided = one(params.get('oauth_signature'))!.replace(/ /g, '+');
    params.delete('oauth_signature');
    if (method !== 'HMAC-SHA1' && method !== 'HMAC-SHA256') throw ERR.auth('Signature method is invalid.');
    const pairs: string[] = [];
    for (const k of [...params.keys()].sort()) {
      const v = params.get(k)!;
      if (Array.isArray(v)) v.forEach((inner, i) => pairs.push(`${enc(`${k}[${i}]`)}=${enc(inner)}`));
      else pairs.push(`${enc(k)}=${enc(v)}`);
    }
    const base = `${req.method.toUpperCase()}&${enc(home + req.path)}&${enc(pairs.join('&'))}`;
    const expected = createHmac(method === 'HMAC-SHA1' ? 'sha1' : 'sha256', `${key.consumerSecret}&`).update(base).digest('base64');
    if (!safeEqual(expected, provided)) throw ERR.auth('Invalid signature - provided signature does not match.');

    const ts = Number(one(params.get('oauth_timestamp')));
    const now = Math.floor(this.opts.now() / 1000);
    if (!(Math.abs(now - ts) <= NONCE_WINDOW_S)) throw ERR.auth('Invalid timestamp.');
    const nonceKey = `${key.consumerKey}:${one(params.get('oauth_nonce'))}`;
    for (const [n, at] of this.nonces) if (at < now - NONCE_WINDOW_S) this.nonces.delete(n);
    if (this.nonces.has(nonceKey)) throw ERR.auth('Invalid nonce - nonce has already been used.');
    this.nonces.set(nonceKey, ts);
    return key;
  }

  private checkPermissions(key: ApiKey, method: string): void {
    const read = method === 'GET' || method === 'HEAD';
    if (read && key.permissions === 'write') throw ERR.auth('The API key provided does not have read permissions.');
    if (!read && key.permissions === 'read') throw ERR.auth('The API key provided does not have write permissions.');
  }
}

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[v.length - 1] : v);

function safeEqual(a: string, b: string | undefined): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b ?? '');
  return x.length === y.length && timingSafeEqual(x, y);
}

function oauthHeaderParams(header: string | undefined): [string, string][] {
  if (!header || !/^OAuth\s/i.test(header)) return [];
  return [...header.slice(6).matchAll(/([a-z_]+)="([^"]*)"/gi)].map((m) => [m[1]!, decodeURIComponent(m[2]!)]);
}

export { WooRestError };
