import type { AddressInfo } from 'node:net';
import express, { type Express, type Request } from 'express';
import { WebhookSender, type WebhookSenderOptions } from './webhook-sender.js';
import { WooAuthenticator, type ApiKey } from './woo-double-auth.js';
import { DEFAULT_PRODUCTS } from './woo-double-data.js';
import { FaultInjector } from './woo-double-faults.js';
import { customerRoutes } from './woo-customers.routes.js';
import { miscRoutes } from './woo-misc.routes.js';
import { orderChildRoutes } from './woo-order-children.routes.js';
import type { Product } from './woo-order-writes.js';
import { orderRoutes } from './woo-orders.routes.js';
import { renderCustomer, renderOrder, type SiteSettings } from './woo-render.js';
import { wooRouter, type RouteDef } from './woo-router.js';
import { webhookRoutes } from './woo-webhooks.routes.js';
import { WooStore } from './woo-store.js';

export type WooDoubleOptions = {
  /** API keys the shop knows. Default: one read_write key (DEFAULT_KEY). */
  keys?: readonly ApiKey[];
  /** Behave as if served over TLS (`is_ssl()`): Basic/query auth instead of OAuth 1.0a. */
  https?: boolean;
  /** Home URL for links, OAuth base strings and X-WC-Webhook-Source; default: from the request (or listen URL). */
  homeUrl?: string;
  /** Clock (ms) for dates, OAuth timestamp window and delivery ids. */
  now?: () => number;
  products?: ReadonlyMap<number, Product>;
  site?: Partial<SiteSettings>;
  shop?: { name: string; description: string };
  /** Webhook deliveries on/off (default on). */
  deliverWebhooks?: boolean;
};

export const DEFAULT_KEY: ApiKey = Object.freeze({
  consumerKey: 'ck_double0000000000000000000000000000000001',
  consumerSecret: 'cs_double0000000000000000000000000000000001',
  permissions: 'read_write' as const,
});

export type WooDouble = {
  app: Express;
  store: WooStore;
  webhooks: WebhookSender;
  faults: FaultInjector;
  site: SiteSettings;
  listen(port?: number): Promise<{ url: string; close(): Promise<void> }>;
};

/** An in-process WooCommerce 9.9 (HPOS, WordPress 6.8) that behaves like the recorded one. */
export function createWooDouble(options: WooDoubleOptions = {}): WooDouble {
  const store = new WooStore(options.now ?? Date.now);
  const site: SiteSettings = {
    timeZone: 'Europe/Tirane',
    currencySymbol: 'L',
    wcVersion: '9.9.5',
    wpVersion: '6.8.8',
    ...options.site,
  };
  const products = options.products ?? DEFAULT_PRODUCTS;
  let listenUrl: string | undefined;
  const scheme = options.https ? 'https' : 'http';
  // rest_url() keeps the home host:port and switches the scheme under TLS (recorded).
  const fixedHome = () => (options.homeUrl ?? listenUrl)?.replace(/^https?:/, `${scheme}:`).replace(/\/$/, '');
  const homeFor = (req: Request) => fixedHome() ?? `${scheme}://${req.get('host') ?? 'localhost'}`;

  const routes: RouteDef[] = [];
  routes.push(
    ...orderChildRoutes(products, site.wcVersion),
    ...orderRoutes(products, site.wcVersion),
    ...customerRoutes(),
    ...miscRoutes(
      options.shop ?? {
        name: 'Qendra Psikologjike Mendja (demo)',
        description: 'Seanca psikologjike në Tiranë dhe online (synthetic demo shop)',
      },
      () => routes.map((r) => r.path.source.replace(/^\^|\\|\/\?\$$|\$$/g, '').replace('(d+)', '(?P<id>[\\d]+)')),
    ),
  );

  const payload: WebhookSenderOptions['payload'] = (resource, id) => {
    const ctx = { home: fixedHome() ?? 'http://localhost', site, single: true };
    if (resource === 'order') {
      const o = store.orders.get(id);
      return o ? renderOrder(o, store, ctx) : null;
    }
    const c = store.customers.get(id);
    return c ? renderCustomer(c, ctx) : null;
  };
  const webhooks = new WebhookSender({
    store,
    payload,
    salt: 'woo-double',
    userAgent: `WooCommerce/${site.wcVersion} Hookshot (WordPress/${site.wpVersion})`,
    source: () => `${fixedHome() ?? 'http://localhost'}/`,
  });
  webhooks.enabled = options.deliverWebhooks ?? true;
  routes.push(...webhookRoutes(webhooks));

  const faults = new FaultInjector();
  const auth = new WooAuthenticator({ keys: options.keys ?? [DEFAULT_KEY], https: !!options.https, now: store.now });
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(faults.middleware());
  app.use(express.json({ limit: '10mb' }), express.urlencoded({ extended: false }));
  app.use(wooRouter({ routes, store, site, auth, homeFor }));

  return {
    app,
    store,
    webhooks,
    faults,
    site,
    listen(port = 0) {
      return new Promise((resolve) => {
        const server = app.listen(port, '127.0.0.1', () => {
          const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
          listenUrl = url;
          resolve({
            url,
            close: () =>
              new Promise<void>((done) => {
                server.closeAllConnections();
                server.close(() => done());
              }),
          });
        });
      });
    },
  };
}
