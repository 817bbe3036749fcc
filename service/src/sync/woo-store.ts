import type { Logger } from '../platform/log/logger.js';
import { AppError } from '../platform/errors.js';
import { sensitive } from '../platform/sensitive.js';
import { WooClient, type WooConnection } from '../woocommerce/index.js';
import { createWooDouble, DEFAULT_KEY, seedDemoStore, type WooStore } from '../woocommerce/double/index.js';
import { TOPICS } from '../woocommerce/index.js';
import type { SyncConfig } from './settings.js';

export type WooStoreHandle = {
  client: WooClient;
  /** How `client` connects: for a second client, such as the backfill's page worker. */
  connection: WooConnection;
  url: string;
  demo: boolean;
  /** Demo store only: what it holds, for the demo's plugin (compose.ts). */
  demoData?: WooStore;
  /** Demo store only: subscribe the service's webhook URL to every topic with this secret. */
  subscribeDemo?(deliveryUrl: string, secret: string): Promise<void>;
  close(): Promise<void>;
};

/**
 * The configured WooCommerce, or — with none configured and DEMO_STORE=on — the built-in demo store:
 * the faithful test double, seeded with synthetic customers and orders, on a loopback port.
 */
export async function openWooStore(
  config: Pick<SyncConfig, 'port' | 'woo'>,
  log: Logger,
): Promise<WooStoreHandle | null> {
  const { woo } = config;
  if (woo.url) {
    if (!woo.consumerKey || !woo.consumerSecret)
      throw new AppError('WOO_NOT_CONFIGURED', { missing: 'WOOCOMMERCE_CONSUMER_KEY/SECRET' });
    const connection: WooConnection = {
      url: woo.url,
      consumerKey: sensitive(woo.consumerKey),
      consumerSecret: sensitive(woo.consumerSecret),
      allowInsecureHttp: woo.allowInsecureHttp,
      timeoutMs: woo.timeoutMs,
      concurrency: woo.concurrency,
    };
    return {
      client: new WooClient(connection, log),
      connection,
      url: woo.url,
      demo: false,
      close: async () => undefined,
    };
  }
  if (!woo.demoStore) return null;
  const double = createWooDouble();
  seedDemoStore(double.store, { customers: 20, orders: 60 });
  const server = await listenBeside(double, config.port);
  log.warn({ url: server.url }, 'no WOOCOMMERCE_URL: serving the built-in demo store (synthetic data)');
  const connection: WooConnection = {
    url: server.url,
    consumerKey: sensitive(DEFAULT_KEY.consumerKey),
    consumerSecret: sensitive(DEFAULT_KEY.consumerSecret),
    timeoutMs: woo.timeoutMs,
    concurrency: woo.concurrency,
  };
  return {
    client: new WooClient(connection, log),
    connection,
    url: server.url,
    demo: true,
    demoData: double.store,
    close: server.close,
    async subscribeDemo(deliveryUrl, secret) {
      for (const topic of TOPICS)
        await double.webhooks.register({ topic, deliveryUrl, secret, name: `Privacy Bridge ${topic}` });
    },
  };
}

/** A loopback port the kernel picks, never the service's own: the service binds its port only after this. */
async function listenBeside(double: ReturnType<typeof createWooDouble>, servicePort: number) {
  for (;;) {
    const server = await double.listen(0);
    if (!server.url.endsWith(`:${servicePort}`)) return server;
    await server.close();
  }
}
