import http from 'node:http';
import https from 'node:https';
import WooCommerceRestApi from '@woocommerce/woocommerce-rest-api';
import type { AxiosResponse } from 'axios';
import { AppError } from '../../platform/errors.js';
import { LOOPBACK_HOST } from '../../platform/net.js';
import type { Logger } from '../../platform/log/logger.js';
import type { Sensitive } from '../../platform/sensitive.js';
import { Semaphore } from './semaphore.js';
import { isTransient, retryAfterMs, wooError } from './woo-errors.js';

export type WooConnection = {
  readonly url: string;
  readonly consumerKey: Sensitive<string>;
  readonly consumerSecret: Sensitive<string>;
  /** Plain http to a host that is not loopback sends keys over the network: refused unless allowed. */
  readonly allowInsecureHttp?: boolean;
  readonly timeoutMs?: number;
  readonly concurrency?: number;
  readonly maxAttempts?: number;
};

export type Namespace = 'wc/v3' | 'wc-bookings/v1';
export type Page<T> = { readonly items: T[]; readonly total: number; readonly totalPages: number };
type Params = Record<string, string | number | boolean | readonly (string | number)[]>;

export const PER_PAGE = 100;

/**
 * WooCommerce REST, on the official client: HTTPS with basic auth, OAuth 1.0a only on plain http to
 * loopback. Bounded concurrency, a timeout on every call, and back-off on 429/5xx honouring Retry-After.
 */
export class WooClient {
  readonly #apis = new Map<Namespace, WooCommerceRestApi>();
  readonly #limit: Semaphore;
  readonly #maxAttempts: number;

  constructor(
    private readonly conn: WooConnection,
    private readonly log: Logger,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    const url = new URL(conn.url);
    if (url.protocol === 'http:' && !LOOPBACK_HOST.test(url.hostname) && !conn.allowInsecureHttp) {
      throw new AppError('WOO_INSECURE_URL', { host: url.hostname });
    }
    this.#limit = new Semaphore(conn.concurrency ?? 4);
    this.#maxAttempts = conn.maxAttempts ?? 5;
    const agent =
      url.protocol === 'https:'
        ? { httpsAgent: new https.Agent({ keepAlive: true }) }
        : { httpAgent: new http.Agent({ keepAlive: true }) };
    for (const version of ['wc/v3', 'wc-bookings/v1'] as const) {
      this.#apis.set(
        version,
        new WooCommerceRestApi({
          url: conn.url,
          consumerKey: conn.consumerKey.reveal(),
          consumerSecret: conn.consumerSecret.reveal(),
          version: version as 'wc/v3', // the typings list only WooCommerce's own namespaces; any path prefix works
          axiosConfig: { ...agent, timeout: conn.timeoutMs ?? 30_000, maxRedirects: 0, validateStatus: () => true },
        }),
      );
    }
  }

  get<T>(path: string, params: Params = {}, ns: Namespace = 'wc/v3') {
    return this.#call<T>('get', path, params, undefined, ns).then((r) => r.data);
  }

  post<T>(path: string, body: unknown, ns: Namespace = 'wc/v3') {
    return this.#call<T>('post', path, {}, body, ns).then((r) => r.data);
  }

  put<T>(path: string, body: unknown, ns: Namespace = 'wc/v3') {
    return this.#call<T>('put', path, {}, body, ns).then((r) => r.data);
  }

  delete<T>(path: string, params: Params = {}, ns: Namespace = 'wc/v3') {
    return this.#call<T>('delete', path, params, undefined, ns).then((r) => r.data);
  }

  /** One page of a collection with its totals (X-WP-Total, X-WP-TotalPages). */
  async page<T>(path: string, params: Params, ns: Namespace = 'wc/v3'): Promise<Page<T>> {
    const r = await this.#call<T[]>('get', path, { per_page: PER_PAGE, ...params }, undefined, ns);
    return {
      items: Array.isArray(r.data) ? r.data : [],
      total: Number(r.headers['x-wp-total'] ?? 0),
      totalPages: Number(r.headers['x-wp-totalpages'] ?? 0),
    };
  }

  /** Every page, by X-WP-TotalPages read from the first page (an out-of-range page reports 0 totals). */
  async *pages<T>(path: string, params: Params = {}, ns: Namespace = 'wc/v3'): AsyncGenerator<T[]> {
    const first = await this.page<T>(path, { ...params, page: 1 }, ns);
    yield first.items;
    for (let page = 2; page <= first.totalPages; page++) {
      const next = await this.page<T>(path, { ...params, page }, ns);
      if (next.items.length === 0) return;
      yield next.items;
    }
  }

  async #call<T>(
    method: 'get' | 'post' | 'put' | 'delete',
    path: string,
    params: Params,
    body: unknown,
    ns: Namespace,
  ): Promise<AxiosResponse<T>> {
    const api = this.#apis.get(ns)!;
    for (let attempt = 1; ; attempt++) {
      let response: AxiosResponse<T> | undefined;
      try {
        response = await this.#limit.run(() =>
          method === 'get' || method === 'delete' ? api[method](path, params) : api[method](path, body, params),
        );
      } catch {
        response = undefined; // transport failure: timeout, refused, reset
      }
      const status = response?.status;
      if (status !== undefined && status >= 200 && status < 300) return response!;
      const code = (response?.data as { code?: unknown } | undefined)?.code;
      if (!isTransient(status) || attempt >= this.#maxAttempts) throw wooError(status, code, path);
      const wait =
        retryAfterMs(response?.headers?.['retry-after'], Date.now()) ??
        Math.min(500 * 2 ** (attempt - 1), 15_000) * (0.5 + Math.random() / 2);
      this.log.warn({ status, path, attempt, waitMs: Math.round(wait) }, 'woocommerce busy or failing: retrying');
      await this.sleep(wait);
    }
  }
}
