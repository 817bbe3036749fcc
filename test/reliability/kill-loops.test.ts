import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { TEST_REDIS_URL, tempDir } from '../../service/src/testing/databases.js';
import { dsrHarness, type DsrHarness } from '../../service/src/testing/dsr-harness.js';
import { EMAIL, seedSubject } from '../../service/src/testing/dsr-seed.js';
import { figure, FULL, pick } from '../security/support/proof.js';
import { BIN, cli, serveDouble } from '../support/processes.js';

/**
 * SIGKILL at random points, again and again: during a backfill (the CLI), an export and an erasure
 * (a worker process). Each flow completes afterwards, the ledger verifies, no entry is missing or
 * twice, and an erasure has one receipt. A few kills in `npm test` (2 backfill, 1 per DSR flow), 20 each under test:reliability.
 */
const KILLS = pick(2, 20);
/** A DSR worker process starts in ~2 s (tsx): the short form kills each flow's worker once. */
const DSR_KILLS = pick(1, 20);
const random = (min: number, max: number) => min + Math.floor(Math.random() * (max - min));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(() => {
  for (const f of ['kills_survived', 'entries_lost', 'entries_duplicated']) figure.add(f, 0);
});
afterAll(() => {
  if (FULL) figure.print('reliability: kill loops');
});

const ledgerKeys = (dir: string) => {
  const db = new BetterSqlite3(path.join(dir, 'ledger.sqlite'), { readonly: true, timeout: 5000 });
  try {
    return (
      db.prepare("SELECT key FROM ledger_entries WHERE kind NOT LIKE 'woo.%' ORDER BY key").all() as { key: string }[]
    ).map((r) => r.key);
  } finally {
    db.close();
  }
};
const syncedOrders = (dir: string) => {
  try {
    const db = new BetterSqlite3(path.join(dir, 'ledger.sqlite'), { readonly: true, timeout: 5000 });
    try {
      return (db.prepare("SELECT COUNT(*) AS n FROM sync_state WHERE resource = 'order'").get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
};

describe('SIGKILL at random points', () => {
  it(
    `backfill: killed up to ${KILLS} times (until the walk ends), resumed, the same entries as an uninterrupted run`,
    async () => {
      const orders = pick(300, 20_000); // full: enough pages that 20 kills land before the walk ends (2,000 ended after 4)
      const double = await serveDouble({ orders, customers: 80 });
      const [crashed, clean] = [tempDir(), tempDir()];
      try {
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
          SYNC_ORDER_NOTES: 'false',
        });
        let kills = 0;
        for (let k = 0; k < KILLS; k++) {
          const victim: ChildProcess = spawn(process.execPath, [BIN, 'woo', 'backfill'], {
            env: { ...process.env, ...env(crashed.dir) },
            stdio: 'ignore',
          });
          const exited = new Promise((r) => victim.once('exit', r));
          const target = random(syncedOrders(crashed.dir) + 1, orders);
          for (let i = 0; i < 400 && syncedOrders(crashed.dir) < target && victim.exitCode === null; i++)
            await sleep(random(5, 40));
          victim.kill('SIGKILL');
          await exited;
          kills++;
          if (syncedOrders(crashed.dir) >= orders) break;
        }
        expect((await cli(['woo', 'backfill'], env(crashed.dir))).code).toBe(0);
        expect((await cli(['woo', 'backfill'], env(clean.dir))).code).toBe(0);
        const [got, want] = [ledgerKeys(crashed.dir), ledgerKeys(clean.dir)];
        const lost = want.filter((key) => !got.includes(key)).length;
        const duplicated = got.length - new Set(got).size + got.filter((key) => !want.includes(key)).length;
        figure.add('kills_survived', kills);
        figure.add('entries_lost', lost);
        figure.add('entries_duplicated', duplicated);
        expect({ lost, duplicated, verify: (await cli(['ledger', 'verify'], env(crashed.dir))).code }).toEqual({
          lost: 0,
          duplicated: 0,
          verify: 0,
        });
      } finally {
        double.stop();
        crashed.remove();
        clean.remove();
      }
    },
    pick(120_000, 900_000),
  );

  describe.each(['access', 'erasure'] as const)('%s request, the worker killed at random points', (kind) => {
    let t: DsrHarness;
    const running: ChildProcess[] = [];
    afterEach(async () => {
      for (const c of running.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      await t?.close();
    });

    it(
      `completes once after ${DSR_KILLS} kill(s): each step once, one result`,
      async () => {
        t = await dsrHarness({ workers: false });
        seedSubject(t.double.store);
        const env = {
          PB_URL: t.h.url,
          PB_NOW: t.h.clock.now().toISOString(),
          PB_MASTER: t.h.keys.masterKeys[0]!.key.toString('base64'),
          PB_PEPPER: t.h.keys.pepper.toString('base64'),
          PB_LINK: t.linkSecret.toString('base64'),
          PB_REDIS: TEST_REDIS_URL,
          PB_PREFIX: t.prefix,
          PB_DATA: t.data.dir,
          PB_WOO_URL: t.wooUrl,
          PB_PLUGIN_URL: t.plugin.url,
        };
        const worker = async () => {
          const child = spawn(
            process.execPath,
            ['--import', 'tsx', path.resolve(__dirname, '../../service/src/testing/dsr-worker.ts')],
            { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
          );
          running.push(child);
          let out = '';
          child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
          for (let i = 0; i < 1500 && !out.includes('READY'); i++) await sleep(20);
          const exited = new Promise<void>((r) => (child.exitCode !== null ? r() : child.once('exit', () => r())));
          return { kill: async (signal: NodeJS.Signals) => (child.kill(signal), exited) };
        };
        const row = await t.dsr.open(
          { kind, email: EMAIL, identity: { verified: true, method: 'wordpress-email-confirmation' }, wpRequestId: 42 },
          'plugin/test',
        );
        let kills = 0;
        let midFlow = 0;
        for (let k = 0; k < DSR_KILLS; k++) {
          const w = await worker();
          await sleep(random(0, 400));
          const before = (await t.store.get(row.id))!.status;
          await w.kill('SIGKILL');
          kills++;
          if (!['completed', 'partially_completed'].includes(before)) midFlow++;
        }
        const last = await worker();
        await t.drain(90_000);
        await last.kill('SIGTERM');

        const done = (await t.store.get(row.id))!;
        expect(done.status).toBe(kind === 'access' ? 'completed' : 'partially_completed');
        const entries = (await t.h.ledger.timeline(done.subject as never)).filter(
          (e) => e.detail?.requestId === row.id,
        );
        const steps =
          kind === 'access'
            ? ['collect', 'assemble', 'deliver-export']
            : ['plan-erasure', 'execute-erasure', 'shred', 'check-residue', 'receipt'];
        const counts = steps.map((s) => entries.filter((e) => e.kind === `dsr.${s}`).length);
        figure.add('kills_survived', kills);
        figure.add(`kills_mid_${kind}`, midFlow);
        figure.add('entries_lost', counts.filter((n) => n === 0).length);
        figure.add('entries_duplicated', counts.filter((n) => n > 1).length);
        expect(counts).toEqual(steps.map(() => 1));
        expect(entries.filter((e) => e.kind === 'dsr.status').map((e) => e.detail!.to)).toEqual([
          'verified',
          'in_progress',
          done.status,
        ]);
        if (kind === 'erasure') expect(await t.store.receipts(row.id)).toHaveLength(1);
        else expect(await t.store.liveExports({ subject: done.subject })).toHaveLength(1);
        expect((await t.h.ledger.verify()).ok).toBe(true);
      },
      pick(120_000, 900_000),
    );
  });
});
