import { spawn } from 'node:child_process';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { tempDir } from '../../service/src/testing/databases.js';
import { BIN, cli, serveDouble } from '../support/processes.js';

function keysOf(dataDir: string): string[] {
  const db = new BetterSqlite3(path.join(dataDir, 'ledger.sqlite'), { readonly: true });
  const keys = (
    db.prepare("SELECT key FROM ledger_entries WHERE kind NOT LIKE 'woo.%' ORDER BY key").all() as { key: string }[]
  ).map((r) => r.key);
  db.close();
  return keys;
}

const syncedOrders = (dataDir: string) => {
  try {
    const db = new BetterSqlite3(path.join(dataDir, 'ledger.sqlite'), { readonly: true, timeout: 5000 });
    const n = (db.prepare("SELECT COUNT(*) AS n FROM sync_state WHERE resource = 'order'").get() as { n: number }).n;
    db.close();
    return n;
  } catch {
    return 0;
  }
};

describe('privacy-bridge woo backfill', () => {
  it('resumes after a SIGKILL mid-backfill and ends with exactly the entries of an uninterrupted run', async () => {
    const double = await serveDouble({ orders: 1500, customers: 200 });
    const crashed = tempDir();
    const clean = tempDir();
    try {
      // Both ledgers share their keys, so their natural keys (which carry peppered digests) compare.
      const keys = {
        LEDGER_MASTER_KEYS: `k1:${Buffer.alloc(32, 3).toString('base64')}`,
        SUBJECT_PEPPER: Buffer.alloc(32, 5).toString('base64'),
      };
      const env = (dir: string) => ({
        ...double.env,
        ...keys,
        DATA_DIR: dir,
        DATABASE_URL: `sqlite:${dir}/ledger.sqlite`,
        DEMO_STORE: 'off',
      });
      const victim = spawn(process.execPath, [BIN, 'woo', 'backfill'], {
        env: { ...process.env, ...env(crashed.dir) },
      });
      const exited = new Promise((r) => victim.once('exit', r));
      for (let i = 0; i < 600 && syncedOrders(crashed.dir) < 300; i++) await new Promise((r) => setTimeout(r, 50));
      victim.kill('SIGKILL');
      await exited;
      const before = syncedOrders(crashed.dir);
      expect(before).toBeGreaterThanOrEqual(300);
      expect(before).toBeLessThan(1500);

      const resumed = await cli(['woo', 'backfill'], env(crashed.dir));
      expect(resumed.stdout + resumed.stderr).toMatch(/backfilled: \d+ orders seen/);
      expect(resumed.code).toBe(0);
      expect(syncedOrders(crashed.dir)).toBe(1500);

      expect((await cli(['woo', 'backfill'], env(clean.dir))).code).toBe(0);
      expect(keysOf(crashed.dir)).toEqual(keysOf(clean.dir));
      expect((await cli(['ledger', 'verify'], env(crashed.dir))).code).toBe(0);
    } finally {
      double.stop();
      crashed.remove();
      clean.remove();
    }
  }, 240_000);

  it('stops after the page in hand on Ctrl-C (SIGINT), exits 130, and the same command finishes the walk', async () => {
    const double = await serveDouble({ orders: 3000, customers: 50 });
    const data = tempDir();
    try {
      const env = {
        ...double.env,
        DATA_DIR: data.dir,
        DATABASE_URL: `sqlite:${data.dir}/ledger.sqlite`,
        DEMO_STORE: 'off',
        SYNC_ORDER_NOTES: 'false',
      };
      const run = spawn(process.execPath, [BIN, 'woo', 'backfill'], { env: { ...process.env, ...env } });
      let stderr = '';
      run.stderr.on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((r) => run.once('exit', r));
      for (let i = 0; i < 600 && syncedOrders(data.dir) < 300; i++) await new Promise((r) => setTimeout(r, 50));
      run.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(stderr).toContain('stopping after this page');
      expect(syncedOrders(data.dir)).toBeLessThan(3000);

      const resumed = await cli(['woo', 'backfill'], env);
      expect(resumed.code).toBe(0);
      expect(syncedOrders(data.dir)).toBe(3000);
    } finally {
      double.stop();
      data.remove();
    }
  }, 240_000);
});
