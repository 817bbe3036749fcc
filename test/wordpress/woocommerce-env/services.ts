import { execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { cli, freePort } from '../../support/processes.js';
import { startServiceOn } from '../support/service.js';
import type { Key } from '../support/signed.js';
import { pluginInStore, URL_, wpEval } from './store.js';

/**
 * The service next to the real store, as an operator runs it: its own DATA_DIR, queue prefix and a free
 * port; a throwaway read/write REST key stored the way WooCommerce stores keys; the plugin linked,
 * activated and pointed at the plugin-path service's URL (its allowance lets WordPress reach exactly
 * that URL). `close()` stops the services, deletes the key and restores the plugin's settings as found.
 */
const run = promisify(execFile);
const FINISHED = new Set(['completed', 'partially_completed', 'needs_attention', 'refused']);

export type Svc = {
  url: string;
  port: number;
  env: Record<string, string>;
  stop(): Promise<void>;
  token: string;
  dataDir: string;
  linkSecret: Buffer;
};
export type View = {
  id: string;
  status: string;
  reason: string | null;
  receipts: { pass: number }[];
  [k: string]: unknown;
};
export type Receipt = {
  nothingLeft?: boolean;
  items: { item: string; action: string; fields: string[]; hold: string | null; until: string | null; note?: string }[];
};
export type Order = {
  id: number;
  status: string;
  billing: Record<string, string>;
  customer_note: string;
  meta_data: { key: string; value: unknown }[];
  line_items: { meta_data: { key: string; value: unknown }[] }[];
  notes: { note: string }[];
  refunds: { id: number }[];
  [k: string]: unknown;
};

export type Stack = {
  key: Key;
  rest: { ck: string; cs: string; id: number };
  start(opts: { plugin: boolean; extraEnv?: Record<string, string> }): Promise<Svc>;
  close(): Promise<void>;
};

/** Links the plugin, makes a REST key, and returns a starter for services; the first plugin-path service is the plugin's service URL. */
export async function stack(tag: string): Promise<Stack> {
  const key: Key = { id: `wcenv-${tag}`, secret: randomBytes(24).toString('hex') };
  const before = await wpEval<unknown>(`return get_option('privacy_bridge_settings', null);`);
  const pluginPort = await freePort();
  await pluginInStore(`http://127.0.0.1:${pluginPort}`, key);
  const rest = await wpEval<{
    ck: string;
    cs: string;
    id: number;
  }>(`global $wpdb; $ck = 'ck_' . wc_rand_hash(); $cs = 'cs_' . wc_rand_hash();
    $wpdb->insert($wpdb->prefix . 'woocommerce_api_keys', array('user_id' => 1, 'description' => 'privacy-bridge wcenv ${tag}', 'permissions' => 'read_write', 'consumer_key' => wc_api_hash($ck), 'consumer_secret' => $cs, 'truncated_key' => substr($ck, -7)));
    return array('ck' => $ck, 'cs' => $cs, 'id' => (int) $wpdb->insert_id);`);
  const started: Svc[] = [];
  let pluginPortUsed = false;
  return {
    key,
    rest,
    async start({ plugin, extraEnv = {} }) {
      const port = plugin && !pluginPortUsed ? pluginPort : await freePort();
      if (plugin) pluginPortUsed = true;
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `pb-wcenv-${tag}-`));
      const linkSecret = randomBytes(32);
      const env: Record<string, string> = {
        DATA_DIR: dataDir,
        DEMO_STORE: 'off',
        QUEUE_PREFIX: `pbwcenv${tag}${randomBytes(4).toString('hex')}`,
        LOG_LEVEL: 'warn',
        LINK_SECRET: linkSecret.toString('base64'),
        WOOCOMMERCE_URL: URL_,
        WOOCOMMERCE_CONSUMER_KEY: rest.ck,
        WOOCOMMERCE_CONSUMER_SECRET: rest.cs,
        WORDPRESS_URL: URL_,
        PLUGIN_SIGNING_KEYS: `${key.id}:${key.secret}`,
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        DSR_VIA_PLUGIN: String(plugin),
        SYNC_RECONCILE_EVERY_S: '3600',
        ...extraEnv,
      };
      const svc = await startServiceOn(port, env);
      const made = await cli(['admin', 'token', 'create', '--operator', `wcenv-${tag}`], { ...process.env, ...env });
      const token = /pbat_[A-Za-z0-9_-]+/.exec(made.stdout + made.stderr)?.[0];
      if (!token) throw new Error(`no admin token: ${made.stderr}`);
      const s = { ...svc, port, env, token, dataDir, linkSecret };
      started.push(s);
      return s;
    },
    async close() {
      for (const s of started) await s.stop();
      await wpEval(`global $wpdb; $wpdb->delete($wpdb->prefix . 'woocommerce_api_keys', array('key_id' => ${rest.id}));
        $before = json_decode(base64_decode('${Buffer.from(JSON.stringify(before)).toString('base64')}'), true);
        if (null === $before) delete_option('privacy_bridge_settings'); else update_option('privacy_bridge_settings', $before, false); return true;`);
      for (const s of started) fs.rmSync(s.dataDir, { recursive: true, force: true });
    },
  };
}

export async function view(svc: Svc, id: string): Promise<View> {
  return (await (
    await fetch(`${svc.url}/v1/requests/${id}`, { headers: { authorization: `Bearer ${svc.token}` } })
  ).json()) as View;
}

/** Opens a request as an admin would (identity checked) and waits until it settles. */
export async function ask(
  svc: Svc,
  kind: 'access' | 'erasure',
  email: string,
  locale: 'sq' | 'en' = 'en',
): Promise<View> {
  const created = await fetch(`${svc.url}/v1/requests`, {
    method: 'POST',
    headers: { authorization: `Bearer ${svc.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ kind, email, identity: { verified: true, method: 'document-checked' }, locale }),
  });
  if (created.status !== 202) throw new Error(`request refused: ${created.status} ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  return settle(svc, id, kind);
}

export async function settle(svc: Svc, id: string, kind: 'access' | 'erasure', pass = 1): Promise<View> {
  for (let i = 0; i < 1200; i++) {
    const v = await view(svc, id);
    if (
      FINISHED.has(v.status) &&
      (kind === 'access' || v.receipts.some((r) => r.pass === pass) || v.status === 'needs_attention')
    )
      return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`request ${id} did not finish`);
}

/** The export as the person downloads it (the link the service mails through the plugin). */
export async function exported(
  svc: Svc,
  requestId: string,
): Promise<{ customer: Record<string, unknown> | null; orders: Order[]; bookings: unknown[] }> {
  const db = new Database(path.join(svc.dataDir, 'ledger.sqlite'), { readonly: true });
  const { expires_at: expiresAt } = db
    .prepare('SELECT expires_at FROM dsr_exports WHERE request_id = ? AND deleted_at IS NULL')
    .get(requestId) as { expires_at: string };
  db.close();
  const sig = createHmac('sha256', svc.linkSecret).update(`dsr-export\n${requestId}\n${expiresAt}`).digest('base64url');
  const res = await fetch(`${svc.url}/v1/exports/${requestId}?expires=${encodeURIComponent(expiresAt)}&sig=${sig}`);
  if (res.status !== 200) throw new Error(`export download: ${res.status}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-wcenv-export-'));
  fs.writeFileSync(path.join(dir, 'x.zip'), Buffer.from(await res.arrayBuffer()));
  await run('unzip', ['-q', 'x.zip'], { cwd: dir });
  const x = JSON.parse(fs.readFileSync(path.join(dir, 'export.json'), 'utf8')) as {
    woocommerce: { customer: Record<string, unknown> | null; orders: Order[]; bookings: unknown[] };
  };
  fs.rmSync(dir, { recursive: true, force: true });
  return x.woocommerce;
}

const receiptSig = (svc: Svc, id: string, pass: number) =>
  createHmac('sha256', svc.linkSecret).update(`dsr-receipt\n${id}\n${pass}`).digest('base64url');

export async function receipt(svc: Svc, requestId: string, pass = 1): Promise<Receipt> {
  const res = await fetch(
    `${svc.url}/v1/requests/${requestId}/receipts/${pass}?sig=${receiptSig(svc, requestId, pass)}&format=json`,
  );
  if (res.status !== 200) throw new Error(`receipt: ${res.status}`);
  return ((await res.json()) as { receipt: Receipt }).receipt;
}

/** The receipt as the person reads it (bilingual HTML page). */
export async function receiptPage(svc: Svc, requestId: string, pass = 1): Promise<string> {
  const res = await fetch(
    `${svc.url}/v1/requests/${requestId}/receipts/${pass}?sig=${receiptSig(svc, requestId, pass)}`,
  );
  if (res.status !== 200) throw new Error(`receipt page: ${res.status}`);
  return res.text();
}

/** Without links (they name the API they came from), which is the only allowed difference between the plugin's and REST's exports. */
export const unlinked = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(unlinked)
    : v && typeof v === 'object'
      ? Object.fromEntries(
          Object.entries(v)
            .filter(([k]) => k !== '_links')
            .map(([k, x]) => [k, unlinked(x)]),
        )
      : v;
