import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Ledger, ledgerMigrations, MasterKeyring } from '../../service/src/ledger/index.js';
import { createLedgerStore } from '../../service/src/ledger/open-store.js';
import { systemClock } from '../../service/src/platform/clock.js';
import { openDatabase } from '../../service/src/platform/db/database.js';
import { migrate } from '../../service/src/platform/db/migrate.js';
import { sensitive } from '../../service/src/platform/sensitive.js';
import { tempDir } from '../../service/src/testing/databases.js';
import { DISABLE_GUARD, SQLITE_TAMPER } from '../../service/src/testing/ledger-harness.js';
import { cli } from '../support/processes.js';

describe('privacy-bridge ledger …', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  const pepper = randomBytes(32);
  let tmp: ReturnType<typeof tempDir>;
  let env: NodeJS.ProcessEnv;
  let url: string;

  beforeEach(async () => {
    tmp = tempDir();
    url = `sqlite:${path.join(tmp.dir, 'ledger.sqlite')}`;
    env = {
      DATABASE_URL: url,
      LEDGER_MASTER_KEYS: `old:${oldKey.toString('base64')}`,
      SUBJECT_PEPPER: pepper.toString('base64'),
    };
    const db = openDatabase(url);
    await migrate(db, ledgerMigrations);
    const ledger = new Ledger({
      store: createLedgerStore(db),
      keyring: new MasterKeyring([{ id: 'old', key: oldKey }]),
      pepper,
      clock: systemClock,
    });
    const subject = ledger.subjectRef(sensitive('drita@example.invalid'));
    for (let i = 1; i <= 5; i++)
      await ledger.record({ key: `fact-${i}`, kind: 'test.fact', subject, personal: sensitive({ i }) });
    await db.close();
  });
  afterEach(() => tmp.remove());

  const tamper = async (sql: string) => {
    const db = openDatabase(url);
    if (db.dialect === 'sqlite') db.sqlite.exec(`${DISABLE_GUARD.sqlite} ${sql}`);
    await db.close();
  };

  it('verify exits 0 on an intact chain, with --json for machines', async () => {
    const text = await cli(['ledger', 'verify'], env);
    expect(text).toMatchObject({ code: 0 });
    expect(text.stdout).toMatch(/^ledger intact: 5 entries, head 5 [0-9a-f]{64}/);
    const json = await cli(['ledger', 'verify', '--json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, checked: 5, head: { seq: 5 } });
  });

  it('verify exits 1 naming the first broken entry', async () => {
    await tamper(SQLITE_TAMPER.replace(3, '"test.fact"', '"test.other"'));
    const text = await cli(['ledger', 'verify'], env);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('LEDGER BROKEN at entry 3 (hash-mismatch)');
    const json = await cli(['ledger', 'verify', '--json'], env);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      checked: 2,
      break: { seq: 3, reason: 'hash-mismatch' },
    });
  });

  it('head prints a head that later detects a truncated tail', async () => {
    const head = await cli(['ledger', 'head', '--json'], env);
    const recorded = JSON.parse(head.stdout) as { seq: number; hash: string };
    expect(recorded.seq).toBe(5);
    await tamper('DELETE FROM ledger_entries WHERE seq > 3');
    expect((await cli(['ledger', 'verify'], env)).code).toBe(0);
    const checked = await cli(['ledger', 'verify', '--head', `${recorded.seq}:${recorded.hash}`], env);
    expect(checked.code).toBe(1);
    expect(checked.stderr).toContain('LEDGER BROKEN at entry 4 (truncated)');
    expect((await cli(['ledger', 'verify', '--head', 'nonsense'], env)).code).toBe(2);
  });

  it('rotate-master-key re-wraps every data key so the new key alone reads the ledger', async () => {
    const both = { ...env, LEDGER_MASTER_KEYS: `new:${newKey.toString('base64')},old:${oldKey.toString('base64')}` };
    const rotated = await cli(['ledger', 'rotate-master-key'], both);
    expect(rotated).toMatchObject({ code: 0 });
    expect(rotated.stdout).toMatch(/re-wrapped 1 data keys; ledgered as entry 6/);
    const db = openDatabase(url);
    const ledger = new Ledger({
      store: createLedgerStore(db),
      keyring: new MasterKeyring([{ id: 'new', key: newKey }]),
      pepper,
      clock: systemClock,
    });
    const timeline = await ledger.timeline(ledger.subjectRef(sensitive('drita@example.invalid')));
    expect(timeline.map((e) => e.personal)).toEqual([{ i: 1 }, { i: 2 }, { i: 3 }, { i: 4 }, { i: 5 }]);
    await db.close();
    expect(
      (await cli(['ledger', 'verify'], { ...env, LEDGER_MASTER_KEYS: `new:${newKey.toString('base64')}` })).code,
    ).toBe(0);
  });

  it('verify on worker threads (a ledger past the parallel threshold) names a row deleted at a range boundary', async () => {
    const db = openDatabase(url);
    const ledger = new Ledger({
      store: createLedgerStore(db),
      keyring: new MasterKeyring([{ id: 'old', key: oldKey }]),
      pepper,
      clock: systemClock,
    });
    for (let from = 0; from < 60_000; from += 5_000) {
      await ledger.recordMany(
        Array.from({ length: 5_000 }, (_, j) => ({
          key: `bulk-${from + j}`,
          kind: 'test.fact',
          detail: { n: from + j },
        })),
      );
    }
    await db.close();
    const intact = await cli(['ledger', 'verify', '--json'], env);
    expect(JSON.parse(intact.stdout)).toMatchObject({ ok: true, checked: 60_005 });
    const boundary = Math.floor(60_005 / Math.max(2, os.availableParallelism())); // the first range's last entry
    await tamper(`DELETE FROM ledger_entries WHERE seq = ${boundary}`);
    const broken = await cli(['ledger', 'verify', '--json'], env);
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({
      ok: false,
      checked: boundary - 1,
      break: { seq: boundary, reason: 'missing-entry' },
    });
  }, 120_000);
});
