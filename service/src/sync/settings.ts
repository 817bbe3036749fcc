import type { DeliveryDeps } from '../delivery/index.js';

/** The shop's REST keys and the demo store (WOOCOMMERCE_*, DEMO_STORE), as config.ts parses them. */
export type WooSettings = {
  readonly url: string | null;
  readonly consumerKey: string | null;
  readonly consumerSecret: string | null;
  readonly allowInsecureHttp: boolean;
  readonly timeoutMs: number;
  readonly concurrency: number;
  /** Secrets set by hand; `woo connect` keeps its own in the database. */
  readonly webhookSecrets: readonly string[];
  readonly demoStore: boolean;
};

/** How the sync runs (SYNC_*, SHOP_TIMEZONE, SESSION_MINUTES). */
export type SyncSettings = {
  readonly reconcileEverySeconds: number;
  readonly overlapSeconds: number;
  readonly webhookCheckEverySeconds: number;
  readonly deletionsEverySeconds: number;
  readonly orderNotes: boolean;
  readonly timeZone: string;
  readonly sessionMinutes: number;
};

/** What the sync room reads of the configuration: the service's own port and public URL, the shop, the sync. */
export type SyncConfig = {
  readonly port: number;
  readonly publicUrl: string;
  readonly woo: WooSettings;
  readonly sync: SyncSettings;
};

/** What `woo connect` also reads: WordPress and the key that signs the plugin's ping. */
export type WooCliConfig = SyncConfig & {
  readonly wordpressUrl: DeliveryDeps['wordpressUrl'];
  readonly pluginKeys: readonly NonNullable<DeliveryDeps['key']>[];
};
