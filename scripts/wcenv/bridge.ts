/**
 * The service beside the real store, for the real-store benchmarks (`wp-exporter`, the real-store figures of
 * `dsr`): the plugin linked, activated and pointed at a free port with a fresh signing key, a throwaway
 * read/write REST key stored the way WooCommerce stores keys, and the service's environment for both.
 * `restore()` deletes the key and puts the plugin's settings and activation back as they were. (The real-store test suite
 * has its own, richer harness in test/wordpress/woocommerce-env/services.ts; the benchmarks are built
 * without the tests.)
 */
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { wpEval, type Store } from './wp-privacy-tools.js';

const CLI = path.resolve(__dirname, '../../service/src/cli.js');

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

/** The store of ../shared/woocommerce-env as the real-store suite names it (see scripts/real-store.sh env). */
export function storeFromEnv(): Store | null {
  const url = process.env.WOOCOMMERCE_ENV_URL?.replace(/\/$/, '');
  const wpDir = process.env.WOOCOMMERCE_ENV_WP_DIR;
  return url && wpDir ? { url, wpDir, phpUser: process.env.WOOCOMMERCE_ENV_PHP_USER ?? 'www-data' } : null;
}

export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `privacy-bridge start` on the bridge's port; resolves once /readyz answers, to its stopper. */
export async function startService(bridge: Bridge): Promise<() => Promise<void>> {
  const child = spawn(process.execPath, [CLI, 'start'], {
    env: { ...process.env, ...bridge.env, PORT: String(bridge.port) },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  for (let i = 0; i < 300; i++) {
    if (
      await fetch(`${bridge.serviceUrl}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return async () => {
        child.kill('SIGTERM');
        await exited;
      };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the service did not become ready');
}

/**
 * Waits until the service's start-up sync jobs (the first reconcile of the whole store, the disappeared-ids
 * check) have finished, so a measurement does not share the store with them (up to five minutes).
 */
export async function startupSyncDone(bridge: Bridge): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
  await redis.connect();
  try {
    for (const deadline = Date.now() + 300_000; Date.now() < deadline;) {
      const finished = async (name: string) => {
        const keys = await redis.keys(`${bridge.env.QUEUE_PREFIX}:sync:repeat:${name}:*`);
        for (const k of keys) if ((await redis.type(k)) === 'hash' && (await redis.hget(k, 'finishedOn'))) return true;
        return false;
      };
      if ((await finished('sync-reconcile')) && (await finished('sync-disappeared'))) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error("the service's start-up sync did not finish in five minutes");
  } finally {
    redis.disconnect();
  }
}

/**
 * Links this checkout's plugin into the store. When the link pointed at another checkout, the store's PHP-FPM
 * is reloaded: its long-lived workers' realpath cache would run that checkout's plugin for two more minutes.
 */
async function linkOurPlugin(store: Store): Promise<void> {
  const ours = path.resolve(__dirname, '../../../wp-plugin');
  const link = path.join(store.wpDir, 'wp-content/plugins/privacy-bridge');
  const there = fs.lstatSync(link, { throwIfNoEntry: false });
  if (there?.isSymbolicLink() && fs.readlinkSync(link) === ours) return;
  if (there?.isSymbolicLink()) fs.unlinkSync(link);
  if (!fs.existsSync(link)) fs.symlinkSync(ours, link);
  if (!there) return;
  const pidFile = path.join(store.wpDir, '../run/php-fpm.pid');
  process.kill(Number(fs.readFileSync(pidFile, 'utf8').trim()), 'SIGUSR2');
  await new Promise((r) => setTimeout(r, 2_000));
  for (
    let i = 0;
    i < 60 &&
    !(await fetch(`${store.url}/wp-json/`).then(
      (r) => r.ok,
      () => false,
    ));
    i++
  )
    await new Promise((r) => setTimeout(r, 500));
}

export type Bridge = {
  port: number;
  serviceUrl: string;
  env: Record<string, string>;
  dataDir: string;
  /** The subject reference the ledger files an e-mail under (HMAC with the run's pepper). */
  subjectRef(email: string): string;
  plugin(active: boolean): Promise<void>;
  restore(): Promise<void>;
};

export async function connectBridge(store: Store, tag: string, extraEnv: Record<string, string> = {}): Promise<Bridge> {
  const key = { id: `bench-${tag}`, secret: randomBytes(24).toString('hex') };
  const pepper = randomBytes(32);
  const port = await freePort();
  const serviceUrl = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `pb-bench-${tag}-`));
  const previous = await wpEval<unknown>(store, `return get_option('privacy_bridge_settings', null);`);
  const wasActive = await wpEval<boolean>(
    store,
    `require_once ABSPATH . 'wp-admin/includes/plugin.php'; return is_plugin_active('privacy-bridge/privacy-bridge.php');`,
  );
  await linkOurPlugin(store);
  const plugin = async (active: boolean) => {
    await wpEval(
      store,
      `require_once ABSPATH . 'wp-admin/includes/plugin.php'; ${active ? `activate_plugin('privacy-bridge/privacy-bridge.php');` : `deactivate_plugins('privacy-bridge/privacy-bridge.php');`} return true;`,
    );
  };
  await plugin(true);
  await wpEval(
    store,
    `update_option('privacy_bridge_settings', array('service_url' => '${serviceUrl}', 'key_id' => '${key.id}', 'secret' => '${key.secret}'), false); return true;`,
  );
  const rest = await wpEval<{ ck: string; cs: string; id: number }>(
    store,
    `global $wpdb; $ck = 'ck_' . wc_rand_hash(); $cs = 'cs_' . wc_rand_hash();
    $wpdb->insert($wpdb->prefix . 'woocommerce_api_keys', array('user_id' => 1, 'description' => 'privacy-bridge bench ${tag}', 'permissions' => 'read_write', 'consumer_key' => wc_api_hash($ck), 'consumer_secret' => $cs, 'truncated_key' => substr($ck, -7)));
    return array('ck' => $ck, 'cs' => $cs, 'id' => (int) $wpdb->insert_id);`,
  );
  const env = {
    DATA_DIR: dataDir,
    DEMO_STORE: 'off',
    QUEUE_PREFIX: `pbbench${tag.replace(/[^a-z]/g, '')}${randomBytes(4).toString('hex')}`,
    LOG_LEVEL: 'warn',
    SUBJECT_PEPPER: pepper.toString('base64'),
    WOOCOMMERCE_URL: store.url,
    WOOCOMMERCE_CONSUMER_KEY: rest.ck,
    WOOCOMMERCE_CONSUMER_SECRET: rest.cs,
    WORDPRESS_URL: store.url,
    PLUGIN_SIGNING_KEYS: `${key.id}:${key.secret}`,
    PUBLIC_URL: serviceUrl,
    SYNC_RECONCILE_EVERY_S: '3600',
    NODE_ENV: 'development',
    ...extraEnv,
  };
  return {
    port,
    serviceUrl,
    env,
    dataDir,
    subjectRef: (email) => createHmac('sha256', pepper).update(email).digest('hex'),
    plugin,
    async restore() {
      await plugin(wasActive);
      await wpEval(
        store,
        `global $wpdb; $wpdb->delete($wpdb->prefix . 'woocommerce_api_keys', array('key_id' => ${rest.id})); ${previous === null ? `delete_option('privacy_bridge_settings');` : `update_option('privacy_bridge_settings', json_decode(${JSON.stringify(JSON.stringify(previous))}, true), false);`} return true;`,
      );
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
