import { Ledger, MasterKeyring } from '../../service/src/ledger/index.js';
import { createLedgerStore } from '../../service/src/ledger/open-store.js';
import { openDatabase } from '../../service/src/platform/db/database.js';
import { migrate } from '../../service/src/platform/db/migrate.js';
import { MIGRATIONS } from '../../service/src/core.js';
import { testKeys } from '../../service/src/testing/databases.js';
import { figure, FULL, pick } from '../security/support/proof.js';
import { privatePostgres } from './support/private-postgres.js';

/**
 * PostgreSQL restarted while appends run (a private instance, never the machine's): an append that
 * failed is retried with its natural key; afterwards the chain verifies and holds every acknowledged
 * entry exactly once.
 */
describe('PostgreSQL restarted during appends', () => {
  it(
    'keeps the chain intact: nothing acknowledged lost, nothing twice',
    async () => {
      const pg = await privatePostgres();
      const db = openDatabase(pg.url);
      try {
        await migrate(db, MIGRATIONS);
        const keys = testKeys();
        const ledger = new Ledger({
          store: createLedgerStore(db),
          keyring: new MasterKeyring(keys.masterKeys),
          pepper: keys.pepper,
          clock: { now: () => new Date() },
        });
        const restarts = pick(2, 6);
        const perRound = pick(160, 600);
        const acknowledged = new Set<string>();
        let failures = 0;
        const writer = async (w: number, total: number) => {
          for (let i = 0; i < total; i++) {
            const key = `proof.append/${w}/${i}`;
            for (;;) {
              try {
                await ledger.record({ key, kind: 'proof.append', source: 'test', detail: { w, i } });
                acknowledged.add(key);
                break;
              } catch {
                failures++;
                await new Promise((r) => setTimeout(r, 50));
              }
            }
          }
        };
        const perWriter = Math.ceil((perRound * (restarts + 1)) / 4);
        const total = perWriter * 4;
        const writers = [0, 1, 2, 3].map((w) => writer(w, perWriter));
        for (let r = 0; r < restarts; r++) {
          while (acknowledged.size < perRound * (r + 1)) await new Promise((res) => setTimeout(res, 10));
          pg.restart();
        }
        await Promise.all(writers);
        const verdict = await ledger.verify();
        const rows =
          db.dialect === 'postgres'
            ? (
                await db.pool.query<{ key: string; n: string }>(
                  "SELECT key, count(*) AS n FROM ledger_entries WHERE kind = 'proof.append' GROUP BY key",
                )
              ).rows
            : [];
        const lost = [...acknowledged].filter((k) => !rows.some((r) => r.key === k)).length;
        const duplicated = rows.filter((r) => Number(r.n) > 1).length;
        figure.add('postgres_restarts', restarts);
        figure.add('entries_lost', lost);
        figure.add('entries_duplicated', duplicated);
        figure.add('append_failures_retried', failures);
        if (FULL) figure.print('reliability: postgres restart');
        expect(verdict.ok).toBe(true);
        expect(acknowledged.size).toBe(total);
        expect(rows).toHaveLength(total);
        expect({ lost, duplicated }).toEqual({ lost: 0, duplicated: 0 });
        expect(failures).toBeGreaterThan(0); // the restarts did cut appends in flight
      } finally {
        await db.close();
        pg.stop();
      }
    },
    pick(120_000, 600_000),
  );
});
