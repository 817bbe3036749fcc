import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { ERR, WooRestError } from './woo-errors.js';
import { rawQueryOf, type PhpQuery } from './woo-http.js';
import {
  phpParseStr,
  phpRegister,
  phpUrldecode,
  providedSignature,
  wooSignatureBase,
  type PhpValue,
} from './woo-oauth.js';

export type ApiKey = Readonly<{
  consumerKey: string;
  consumerSecret: string;
  permissions: 'read' | 'write' | 'read_write';
  userId?: number;
}>;

export type AuthOutcome = { key: ApiKey | null };

const NONCE_WINDOW_S = 15 * 60;

/**
 * WC_REST_Authentication, as recorded: over "https" Basic auth or `consumer_key`/`consumer_secret`
 * query parameters (query first); over plain http ONLY OAuth 1.0a one-legged (signature checked as
 * WooCommerce checks it, woo-oauth.ts) — Basic/query
 * credentials are ignored and the request runs as anonymous. An unknown key in Basic/query auth
 * is anonymous too; a known key with a wrong secret is an authentication error.
 */
export class WooAuthenticator {
  private readonly nonces = new Map<string, number>();

  constructor(private readonly opts: { keys: readonly ApiKey[]; https: boolean; now: () => number }) {}

  authenticate(req: Request, query: PhpQuery, signatureHome: string): AuthOutcome {
    const key = this.opts.https ? this.basic(req, query) : this.oauth(req, signatureHome);
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

  private oauth(req: Request, home: string): ApiKey | null {
    // get_oauth_parameters(): $_GET, then $_POST, then the Authorization header's oauth_* values.
    const params = phpParseStr(rawQueryOf(req));
    if (req.is('application/x-www-form-urlencoded') && req.body && typeof req.body === 'object') {
      for (const [k, v] of Object.entries(req.body as Record<string, string | string[]>))
        phpRegister(params, k, Array.isArray(v) ? v[v.length - 1]! : v);
    }
    for (const [k, v] of oauthHeaderParams(req.get('authorization'))) params.set(k, v);
    const required = [
      'oauth_consumer_key',
      'oauth_timestamp',
      'oauth_nonce',
      'oauth_signature',
      'oauth_signature_method',
    ];
    if (required.some((p) => !text(params.get(p)))) return null;
    const key = this.find(text(params.get('oauth_consumer_key')));
    if (!key) throw ERR.auth('Consumer key is invalid.');

    const method = text(params.get('oauth_signature_method'))!;
    const provided = providedSignature(text(params.get('oauth_signature'))!);
    if (method !== 'HMAC-SHA1' && method !== 'HMAC-SHA256') throw ERR.auth('Signature method is invalid.');
    const base = wooSignatureBase(req.method, home + req.path, params);
    const expected = createHmac(method === 'HMAC-SHA1' ? 'sha1' : 'sha256', `${key.consumerSecret}&`)
      .update(base)
      .digest('base64');
    if (!safeEqual(expected, provided)) throw ERR.auth('Invalid signature - provided signature does not match.');

    const ts = Number(text(params.get('oauth_timestamp')));
    const now = Math.floor(this.opts.now() / 1000);
    if (!(Math.abs(now - ts) <= NONCE_WINDOW_S)) throw ERR.auth('Invalid timestamp.');
    const nonceKey = `${key.consumerKey}:${text(params.get('oauth_nonce'))}`;
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
/** A PHP request variable that is a string (an array where a string is expected counts as missing). */
const text = (v: PhpValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

function safeEqual(a: string, b: string | undefined): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b ?? '');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** parse_header(): `oauth_*` values, quoted or not, url-decoded; anything but "OAuth " is ignored. */
function oauthHeaderParams(header: string | undefined): [string, string][] {
  if (!header?.trim().startsWith('OAuth ')) return [];
  return [...header.trim().matchAll(/(oauth_[a-z_-]*)=(:?"([^"]*)"|([^,]*))/g)].map((m) => [
    m[1]!,
    phpUrldecode(m[3] || m[4] || ''),
  ]);
}

export { WooRestError };
