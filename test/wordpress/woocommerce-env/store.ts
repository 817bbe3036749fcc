import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Key } from '../support/signed.js';

/** The real store of ../shared/woocommerce-env, as the environment names it (jest.config.js checks it is named). */
const run = promisify(execFile);
export const URL_ = process.env.WOOCOMMERCE_ENV_URL!.replace(/\/$/, '');
export const WP_DIR = process.env.WOOCOMMERCE_ENV_WP_DIR!;
const PHP_USER = process.env.WOOCOMMERCE_ENV_PHP_USER ?? 'www-data';

/** Runs PHP inside the store's WordPress (as its PHP user) and returns what it returns, JSON-decoded. */
export const wpEval = async <T>(php: string): Promise<T> => {
  const code = `$_SERVER['HTTP_HOST'] = '${new URL(URL_).host}'; $_SERVER['REQUEST_URI'] = '/'; require 'wp-load.php'; echo "\\n@@RESULT@@", wp_json_encode((function () { ${php} })());`;
  const { stdout } = await run('runuser', ['-u', PHP_USER, '--', 'php', '-r', code], {
    cwd: WP_DIR,
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout.slice(stdout.lastIndexOf('@@RESULT@@') + 10)) as T;
};

/**
 * Checks the store is there and answers (configured but absent is a failure, never a pass: it says which
 * part is missing), links this repository's plugin into it, activates it, and points it at `serviceUrl`.
 */
const REALPATH_TTL_MS = 125_000;

/** Reloads the store's PHP-FPM (SIGUSR2 to its master: new workers, empty caches), else waits the cache out. */
async function freshPhpWorkers(): Promise<void> {
  const pidFile = path.join(WP_DIR, '../run/php-fpm.pid');
  const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').trim()) : NaN;
  try {
    if (!Number.isInteger(pid) || pid <= 1) throw new Error('no php-fpm pid');
    process.kill(pid, 'SIGUSR2');
  } catch {
    await new Promise((done) => setTimeout(done, REALPATH_TTL_MS));
    return;
  }
  await new Promise((done) => setTimeout(done, 2_000)); // the old workers go while the master starts again
  for (let i = 0; i < 60; i++) {
    await new Promise((done) => setTimeout(done, 500));
    if (
      (await fetch(`${URL_}/wp-json/`).then(
        (r) => r.status,
        () => 0,
      )) === 200
    )
      return;
  }
  throw new Error(`the store's PHP-FPM did not come back after its reload (pid ${pid})`);
}

export async function pluginInStore(serviceUrl: string, key: Key): Promise<void> {
  if (!fs.existsSync(path.join(WP_DIR, 'wp-load.php')))
    throw new Error(
      `no WordPress in WOOCOMMERCE_ENV_WP_DIR=${WP_DIR}: run ../shared/woocommerce-env/setup.sh (as root)`,
    );
  const answer = await fetch(`${URL_}/wp-json/`).then(
    (r) => r.status,
    (err: Error) => err.message,
  );
  if (answer !== 200)
    throw new Error(
      `the store at WOOCOMMERCE_ENV_URL=${URL_} does not answer (${answer}): run ../shared/woocommerce-env/start.sh (as root)`,
    );
  // This repository's plugin, never a copy or another checkout's link left in the store.
  const link = path.join(WP_DIR, 'wp-content/plugins/privacy-bridge');
  const ours = path.resolve(__dirname, '../../../wp-plugin');
  const there = fs.lstatSync(link, { throwIfNoEntry: false });
  if (there && !there.isSymbolicLink())
    throw new Error(`${link} is a copy of the plugin, not a link to ${ours}: remove it, or run setup.sh again`);
  const relinked = !!there && fs.readlinkSync(link) !== ours;
  if (relinked) fs.unlinkSync(link);
  if (!there || !fs.existsSync(link)) fs.symlinkSync(ours, link);
  // PHP-FPM's long-lived workers keep each path's resolution in their realpath cache (realpath_cache_ttl, 120 s
  // here): after the link moved from another checkout, HTTP requests run that checkout's plugin until it expires
  // (seen: a held order's new command field ignored by REST while wpEval ran the new code). Only checkouts taking
  // turns on one store meet this (CI has one checkout and never relinks): FPM is reloaded gracefully, fresh workers.
  if (relinked) await freshPhpWorkers();
  const activated = await wpEval<string | true>(
    `require_once ABSPATH . 'wp-admin/includes/plugin.php'; $r = activate_plugin('privacy-bridge/privacy-bridge.php'); return is_wp_error($r) ? $r->get_error_message() : true;`,
  );
  if (activated !== true) throw new Error(`the plugin did not activate: ${activated}`);
  await wpEval(
    `update_option('privacy_bridge_settings', array('service_url' => '${serviceUrl}', 'key_id' => '${key.id}', 'secret' => '${key.secret}'), false); return true;`,
  );
}

/**
 * Dumps the store's database and returns what puts it back exactly (mariadb-dump, one transaction): for a
 * test that removes what other files rely on, such as uninstalling the plugin from every customer's meta.
 */
export async function snapshotDatabase(): Promise<() => Promise<void>> {
  const [name, user, password, host] = await wpEval<[string, string, string, string]>(
    'return array(DB_NAME, DB_USER, DB_PASSWORD, DB_HOST);',
  );
  const [hostname, port = '3306'] = host.split(':');
  const login = [`--host=${hostname}`, `--port=${port}`, `--user=${user}`, `--password=${password}`];
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pb-store-')), 'store.sql');
  await run('mariadb-dump', [...login, '--single-transaction', '--add-drop-table', `--result-file=${file}`, name], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return async () => {
    const tables = await wpEval<string[]>(`global $wpdb; return $wpdb->get_col('SHOW TABLES');`);
    const drop = tables.map((t) => `DROP TABLE IF EXISTS \`${t}\`;`).join(' ');
    await run('mariadb', [...login, name, '-e', `SET FOREIGN_KEY_CHECKS=0; ${drop} SOURCE ${file};`]);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  };
}

/**
 * Keeps WP-Cron out of the store for the next nine minutes, for a test that reads or clears scheduled events: a
 * cron run writes back the cron array it read when it started, so one spawned by any request would put back
 * events the test just cleared, or drop ones it just made. Takes WordPress's own lock, which `spawn_cron()`
 * honours and a run in progress checks after each event (it stops when the lock is no longer its own), then gives
 * that run a moment to finish the event in hand. Put back by restoring the database.
 */
export async function holdWpCron(): Promise<void> {
  await wpEval(`set_transient('doing_cron', sprintf('%.22F', microtime(true) + 9 * MINUTE_IN_SECONDS)); return true;`);
  await new Promise((done) => setTimeout(done, 3000));
}
