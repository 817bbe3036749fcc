import type { Request, Response } from 'express';
import { wpJsonEncode } from './woo-format.js';
import { WooRestError } from './woo-errors.js';

/** Query parameters the way PHP's `$_GET` sees them: last value wins, `a[]`/`a[0]` make arrays, first-seen order kept. */
export type PhpQuery = Map<string, string | string[]>;

export function parsePhpQuery(rawQuery: string): PhpQuery {
  const out: PhpQuery = new Map();
  for (const [rawKey, value] of new URLSearchParams(rawQuery)) {
    const m = /^([^[\]]+)\[([^\]]*)\]$/.exec(rawKey);
    if (m) {
      const prev = out.get(m[1]!);
      out.set(m[1]!, [...(Array.isArray(prev) ? prev : []), value]);
    } else out.set(rawKey, value);
  }
  return out;
}

export const rawQueryOf = (req: Request): string => {
  const i = req.originalUrl.indexOf('?');
  return i < 0 ? '' : req.originalUrl.slice(i + 1);
};

/** PHP `urlencode()`: space → "+", everything but [A-Za-z0-9_.-] percent-encoded. */
export const phpUrlencode = (s: string): string =>
  encodeURIComponent(s)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');

/** Common WordPress REST response headers (no body data in them). */
const BASE_HEADERS = {
  'X-Robots-Tag': 'noindex',
  'X-Content-Type-Options': 'nosniff',
  'Access-Control-Expose-Headers': 'X-WP-Total, X-WP-TotalPages, Link',
  'Access-Control-Allow-Headers': 'Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type',
};

export type SendOptions = { home: string; allow?: string; headers?: Record<string, string> };

/** JSON as WordPress prints it (`wp_json_encode`), with the `Link: rel="https://api.w.org/"` default. */
export function sendWp(res: Response, status: number, body: unknown, opts: SendOptions): void {
  res.status(status);
  res.set(BASE_HEADERS);
  res.set('Link', `<${opts.home}/wp-json/>; rel="https://api.w.org/"`);
  if (opts.allow) res.set('Allow', opts.allow);
  if (opts.headers) res.set(opts.headers);
  res.set('Content-Type', 'application/json; charset=UTF-8');
  res.send(Buffer.from(wpJsonEncode(body), 'utf8'));
}

export function sendWpError(res: Response, err: WooRestError, opts: SendOptions): void {
  // 401s and unknown routes are answered before a route is matched: no Allow header (as captured).
  const allow = err.status === 401 || err.body.code === 'rest_no_route' ? undefined : opts.allow;
  sendWp(res, err.status, err.body, { ...opts, allow, headers: { ...opts.headers, ...err.headers } });
}

/**
 * `X-WP-Total`, `X-WP-TotalPages` and the prev/next `Link` of WooCommerce's CRUD controllers,
 * reproduced from the fixtures: the request's own parameters in first-seen order (auth parameters
 * included, the OAuth signature losing its "=" padding), array parameters as `key[0]`, the
 * route's defaults appended, and `page` replaced in place or appended.
 */
export function paginationHeaders(args: {
  home: string;
  route: string;
  query: PhpQuery;
  page: number;
  total: number;
  totalPages: number;
  defaults: readonly [string, string][];
  arrayParams?: readonly string[];
}): Record<string, string> {
  const { home, route, query, page, total, totalPages } = args;
  const headers: Record<string, string> = { 'X-WP-Total': String(total), 'X-WP-TotalPages': String(totalPages) };
  const beyond = page > totalPages;
  const defaults = beyond ? args.defaults.slice(0, 1) : args.defaults; // recorded: only status[0]=any past the last page
  const link = (target: number) => {
    const parts: string[] = [];
    let pageSeen = false;
    for (const [key, raw] of query) {
      // WordPress sanitizes array-typed parameters ("a,b" → ["a","b"]) before building the links.
      const value = typeof raw === 'string' && args.arrayParams?.includes(key) ? raw.split(',') : raw;
      if (key === 'page') {
        pageSeen = true;
        parts.push(`page=${target}`);
        continue;
      }
      if (Array.isArray(value))
        value.forEach((v, i) => parts.push(`${phpUrlencode(`${key}[${i}]`)}=${phpUrlencode(v)}`));
      else if (key === 'oauth_signature')
        parts.push(`${key}=${phpUrlencode(value.replace(/=+$/, '').replace(/\+/g, ' '))}`);
      else parts.push(`${phpUrlencode(key)}=${phpUrlencode(value)}`);
    }
    for (const [k, v] of defaults)
      if (!query.has(k.replace(/\[\d+\]$/, ''))) parts.push(`${phpUrlencode(k)}=${phpUrlencode(v)}`);
    if (!pageSeen) parts.push(`page=${target}`);
    return `<${home}/wp-json/${route}?${parts.join('&')}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${link(Math.min(page - 1, totalPages))}; rel="prev"`);
  if (page < totalPages) links.push(`${link(page + 1)}; rel="next"`);
  if (links.length) headers.Link = links.join(', ');
  return headers;
}
