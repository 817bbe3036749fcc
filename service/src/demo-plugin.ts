import { randomBytes } from 'node:crypto';
import { WooRestConnector } from './dsr/index.js';
import { sensitive } from './platform/sensitive.js';
import type { WooClient } from './woocommerce/index.js';
import { pluginDouble, type WooStore } from './woocommerce/double/index.js';

/**
 * The demo store's WordPress plugin: the plugin double over the demo store's data, on a loopback port with a
 * key made for this run, so that on the built-in demo a newcomer's erasure goes through "the plugin" and ends
 * with a receipt — over REST alone it always ends in needs_attention (REST cannot erase an order's IP, user
 * agent or booking item meta). Its bulk read reads the demo store through REST in one go, as the tests do.
 */
export async function startDemoPlugin(client: WooClient, data: WooStore) {
  const key = { id: 'demo', secret: randomBytes(32).toString('hex') };
  const rest = new WooRestConnector(client, 4);
  const plugin = await pluginDouble(data, key, {
    recordPushes: false,
    read: (email) => rest.collect(sensitive(email), 'bulk-read'),
  });
  return { url: plugin.url, key, close: plugin.close };
}
