import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, type Page } from 'playwright-core';
import { receiptPath } from '../../../service/src/consent/links.js';
import { launchProfile } from '../../support/chromium.js';
import { cli, freePort } from '../../support/processes.js';
import { startServiceOn } from '../support/service.js';
import { pluginInStore, URL_, WP_DIR, wpEval } from './store.js';

/**
 * What the customer-facing suites (checkout*.wcenv.ts, my-account*.wcenv.ts) share: a service of their
 * own on a free port (its own DATA_DIR, queue prefix, keys and a published policy version), the plugin
 * pointed at it, a throwaway REST key, Store API sessions, headless Chromium and the store's mail log.
 */
export const POLICY_VERSION = 'icbt-pp-1';
export const ARTIFACTS = path.resolve(__dirname, '../../../test-artifacts/customer');

export type Shop = {
  url: string;
  dataDir: string;
  linkSecret: Buffer;
  token: string;
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
};

export async function openShop(name: string): Promise<Shop> {
  const port = await freePort();
  const key = { id: `wcenv-${name}`, secret: randomBytes(24).toString('hex') };
  const linkSecret = randomBytes(32);
  const serviceUrl = `http://127.0.0.1:${port}`;
  await pluginInStore(serviceUrl, key);
  const rest = await wpEval<{
    ck: string;
    cs: string;
    id: number;
  }>(`global $wpdb; $ck = 'ck_' . wc_rand_hash(); $cs = 'cs_' . wc_rand_hash();
    $wpdb->insert($wpdb->prefix . 'woocommerce_api_keys', array('user_id' => 1, 'description' => 'privacy-bridge wcenv ${name}', 'permissions' => 'read_write', 'consumer_key' => wc_api_hash($ck), 'consumer_secret' => $cs, 'truncated_key' => substr($ck, -7)));
    return array('ck' => $ck, 'cs' => $cs, 'id' => (int) $wpdb->insert_id);`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `pb-wcenv-${name}-`));
  const env = {
    DATA_DIR: dataDir,
    DEMO_STORE: 'off',
    QUEUE_PREFIX: `pbwc${port}${Date.now().toString(36)}`,
    LOG_LEVEL: 'warn',
    LINK_SECRET: linkSecret.toString('base64'),
    WOOCOMMERCE_URL: URL_,
    WOOCOMMERCE_CONSUMER_KEY: rest.ck,
    WOOCOMMERCE_CONSUMER_SECRET: rest.cs,
    WORDPRESS_URL: URL_,
    PLUGIN_SIGNING_KEYS: `${key.id}:${key.secret}`,
    PUBLIC_URL: serviceUrl,
    DSR_VIA_PLUGIN: 'true',
    SYNC_RECONCILE_EVERY_S: '3600',
  };
  const text = path.join(dataDir, 'policy.txt');
  fs.writeFileSync(text, 'Politika e privatësisë (tekst sintetik për testet).\n');
  const published = await cli(
    ['policy', 'publish', '--file', text, '--version', POLICY_VERSION, '--effective', '2026-01-01'],
    { ...process.env, ...env },
  );
  if (published.code !== 0) throw new Error(`policy publish failed: ${published.stderr}`);
  const svc = await startServiceOn(port, env);
  const made = await cli(['admin', 'token', 'create', '--operator', `wcenv-${name}`], { ...process.env, ...env });
  const token = /pbat_[A-Za-z0-9_-]+/.exec(made.stdout + made.stderr)?.[0];
  if (!token) throw new Error(`no admin token: ${made.stderr}`);
  await refreshPolicy();
  return {
    url: serviceUrl,
    dataDir,
    linkSecret,
    token,
    env,
    async stop() {
      await svc.stop();
      await wpEval(
        `global $wpdb; $wpdb->delete($wpdb->prefix . 'woocommerce_api_keys', array('key_id' => ${rest.id})); return true;`,
      );
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The plugin asks the service for the policy in effect (what its background refresh does). */
export const refreshPolicy = () =>
  wpEval<{ version: string; sha256: string; material: boolean }>(
    `do_action('privacy_bridge_refresh_policy'); return get_option('privacy_bridge_policy');`,
  );

/** Sends what the outbox holds now (the background run, without waiting for cron). */
export const drainOutbox = () =>
  wpEval<{ sent: number; failed: number; remaining: number }>(
    `return PrivacyBridge\\Plugin::instance()->outbox()->drain();`,
  );

/** The signed receipt link of a consent event, as the service builds it (links.ts: it carries its expiry). */
export const receiptPathOf = (linkSecret: Buffer, eventId: string): string =>
  receiptPath(linkSecret, eventId, new Date());

export type Receipt = {
  receiptId: string;
  policy: { version: string; sha256: string };
  collectionMethod: string;
  purposes: { purpose: string; decision: string }[];
  piiPrincipalId: string | null;
};
export async function receipt(shop: Shop, eventId: string): Promise<Receipt> {
  for (let i = 0; i < 50; i++) {
    const res = await fetch(`${shop.url}${receiptPathOf(shop.linkSecret, eventId)}&format=json`);
    if (res.status === 200) return (await res.json()) as Receipt;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no receipt for ${eventId}`);
}

export type ConsentHistory = {
  state: { purposes: { purpose: string; decision: string; policyVersion: string | null }[] };
  history: {
    eventId: string;
    source: string;
    policyVersion: string;
    decisions: { purpose: string; decision: string }[];
  }[];
};
/** What the service holds for an address (admin read). */
export async function consentsOf(shop: Shop, email: string): Promise<ConsentHistory> {
  const res = await fetch(`${shop.url}/v1/subjects/consents?email=${encodeURIComponent(email)}`, {
    headers: { authorization: `Bearer ${shop.token}` },
  });
  if (res.status !== 200) throw new Error(`consents of ${email}: ${res.status}`);
  return (await res.json()) as ConsentHistory;
}

/** The ledger's consent entries bound to an order: detail as ledgered. */
export async function ledgeredForOrder(
  shop: Shop,
  orderId: number,
): Promise<
  {
    policyVersion: string;
    policySha256: string;
    orderId: number;
    source: string;
    decisions: { purpose: string; decision: string }[];
    eventId: string;
  }[]
> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(path.join(shop.dataDir, 'ledger.sqlite'), { readonly: true });
  try {
    const rows = db
      .prepare(`SELECT detail FROM ledger_entries WHERE kind = 'consent.recorded' AND source = ?`)
      .all(`order-${orderId}`) as { detail: string }[];
    return rows.map((r) => JSON.parse(r.detail));
  } finally {
    db.close();
  }
}

export type OrderMeta = Record<string, string>;
export const orderMeta = (id: number) =>
  wpEval<OrderMeta>(
    `$o = wc_get_order(${id}); $m = array(); foreach ($o->get_meta_data() as $d) { if (0 === strpos($d->key, '_privacy_bridge') || 0 === strpos($d->key, '_wc_other/privacy-bridge')) $m[$d->key] = (string) $d->value; } $m['customer_id'] = (string) $o->get_customer_id(); $m['email'] = $o->get_billing_email(); return $m;`,
  );

/** A Store API session (cookies and nonce), as the block checkout's own script holds one. */
export class StoreSession {
  #cookies = new Map<string, string>();
  #nonce = '';
  async call(
    method: string,
    route: string,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    if (!this.#nonce && route !== '/cart') await this.call('GET', '/cart');
    const res = await fetch(`${URL_}/wp-json/wc/store/v1${route}`, {
      method,
      redirect: 'manual',
      headers: {
        'content-type': 'application/json',
        cookie: [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(this.#nonce ? { nonce: this.#nonce } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const at = pair!.indexOf('=');
      this.#cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    this.#nonce = res.headers.get('nonce') ?? this.#nonce;
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
}

export const billing = (email: string, first = 'Klodiana', last = 'Meta') => ({
  first_name: first,
  last_name: last,
  address_1: 'Rruga e Durrësit 12',
  city: 'Tiranë',
  postcode: '1001',
  country: 'AL',
  state: 'AL-11',
  email,
  phone: '+355 69 555 0101',
});

/** A guest checkout through the Store API with whatever additional_fields are given (undefined: the key left out). */
export async function storeApiCheckout(email: string, additional?: Record<string, unknown>) {
  const s = new StoreSession();
  const added = await s.call('POST', '/cart/add-item', { id: 11, quantity: 1 });
  if (added.status !== 201) throw new Error(`add-item: ${added.status}`);
  return s.call('POST', '/checkout', {
    billing_address: billing(email),
    payment_method: 'cod',
    ...(additional === undefined ? {} : { additional_fields: additional }),
  });
}

/** A customer account with a known password (deleted by the caller's cleanup with deleteUser). */
export const createCustomer = (email: string, first: string, last: string, password: string) =>
  wpEval<number>(
    `$id = wc_create_new_customer('${email}', '', '${password}', array('first_name' => '${first}', 'last_name' => '${last}')); if (is_wp_error($id)) return 0; update_user_meta($id, 'billing_first_name', '${first}'); update_user_meta($id, 'billing_last_name', '${last}'); return $id;`,
  );

/**
 * A customer's browser that has already answered the cookie banner (rejected all): these suites test
 * checkout and My Account, and the banner's first layer would otherwise cover the buttons they press.
 */
export async function browser(): Promise<BrowserContext> {
  const ctx = await launchProfile({ viewport: { width: 1280, height: 1000 }, locale: 'sq-AL' });
  await ctx.addCookies([{ name: 'pb_consent', value: `1000000.000.${Math.floor(Date.now() / 1000)}`, url: URL_ }]);
  return ctx;
}

export async function logIn(page: Page, user: string, password: string): Promise<void> {
  await page.goto(`${URL_}/wp-login.php`);
  await page.fill('#user_login', user);
  await page.fill('#user_pass', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('wp-login.php')), page.click('#wp-submit')]);
}

export async function shoot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The site's language ('sq' or '' for English), returning the one it replaced. */
// Written past update_option(): WordPress refuses a locale without core's language pack installed (this store has none).
export const setSiteLanguage = (lang: string) =>
  wpEval<string>(`global $wpdb; $was = (string) get_option('WPLANG');
  if (false === get_option('WPLANG', false)) add_option('WPLANG', '');
  $wpdb->update($wpdb->options, array('option_value' => '${lang}'), array('option_name' => 'WPLANG')); wp_cache_delete('alloptions', 'options'); wp_cache_delete('WPLANG', 'options'); return $was;`);

/** Mails the store wrote to its log since `from` (a byte offset), as the must-use plugin writes them. */
export const MAIL_LOG = path.join(WP_DIR, 'wp-content/uploads/wcenv-mail.log');
export const mailLogSize = () => (fs.existsSync(MAIL_LOG) ? fs.statSync(MAIL_LOG).size : 0);
export function mailsSince(from: number): string {
  if (!fs.existsSync(MAIL_LOG)) return '';
  const fd = fs.openSync(MAIL_LOG, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const buf = Buffer.alloc(Math.max(0, size - from));
    fs.readSync(fd, buf, 0, buf.length, from);
    return buf.toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** Links the mail-body capture into the store's mu-plugins; returns the function that removes it. */
export function captureMailBodies(): () => void {
  const link = path.join(WP_DIR, 'wp-content/mu-plugins/privacy-bridge-test-mail.php');
  if (!fs.existsSync(link)) fs.symlinkSync(path.resolve(__dirname, 'mu-mail-body.php'), link);
  return () => fs.rmSync(link, { force: true });
}
export type Mail = { to: string | string[]; subject: string; message: string; headers: string[] };
export const MAIL_BODIES = path.join(WP_DIR, 'wp-content/uploads/privacy-bridge-test-mail.jsonl');
export function mailsTo(email: string): Mail[] {
  if (!fs.existsSync(MAIL_BODIES)) return [];
  return fs
    .readFileSync(MAIL_BODIES, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Mail)
    .filter((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((t) => t.includes(email)));
}
