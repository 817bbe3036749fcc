import { sensitive } from '../../platform/sensitive.js';
import { DISABLE_GUARD, SQLITE_TAMPER, sqliteHarness, type LedgerHarness } from '../../testing/ledger-harness.js';
import { Ledger, MasterKeyring, type ChainHead } from '../index.js';
import { SqliteLedgerStore } from './sqlite-ledger-store.js';

// 12 entries on 3 threads: ranges (0, 4], (4, 8], (8, ∞). Every tamper must get the sequential verdict.
describe('SQLite verify on several threads', () => {
  let h: LedgerHarness;
  let recorded: ChainHead;
  const ledgerWith = (parallelVerify: { from: number; threads?: number }) => {
    if (h.db.dialect !== 'sqlite') throw new Error('expected SQLite');
    const store = new SqliteLedgerStore(h.db.sqlite, { parallelVerify });
    return {
      store,
      ledger: new Ledger({
        store,
        keyring: new MasterKeyring(h.keys.masterKeys),
        pepper: h.keys.pepper,
        clock: h.clock,
      }),
    };
  };
  const verdicts = async (expected?: ChainHead) => {
    const parallel = ledgerWith({ from: 0, threads: 3 });
    const viaThreads = await parallel.store.verifyInParallel(expected);
    expect(viaThreads).not.toBeNull();
    return {
      parallel: await parallel.ledger.verify(expected),
      sequential: await ledgerWith({ from: Infinity }).ledger.verify(expected),
    };
  };
  const tamper = (sql: string) => h.sql(`${DISABLE_GUARD.sqlite} ${sql}`);

  beforeEach(async () => {
    h = await sqliteHarness();
    const subject = h.ledger.subjectRef(sensitive('arta@example.com'));
    const awkward = 'a\u0001"\\é😀\u2028';
    for (let i = 1; i <= 12; i++) {
      await h.ledger.record({
        key: `k-${i}-${awkward}`,
        kind: 'order.synced',
        subject,
        categories: ['contact'],
        detail: { i },
        personal: i % 3 ? sensitive({ i }) : undefined,
      });
    }
    recorded = await h.ledger.head();
  }, 30_000);
  afterEach(() => h.close());

  it('passes an intact chain, with and without a recorded head', async () => {
    for (const expected of [undefined, recorded]) {
      const { parallel, sequential } = await verdicts(expected);
      expect(parallel).toEqual(sequential);
      expect(parallel).toMatchObject({ ok: true, checked: 12, head: { seq: recorded.seq, hash: recorded.hash } });
    }
  });

  it.each([
    [
      'the last entry of a range deleted',
      'DELETE FROM ledger_entries WHERE seq = 4',
      { seq: 4, reason: 'missing-entry' },
    ],
    [
      'the first entry of a range deleted',
      'DELETE FROM ledger_entries WHERE seq = 5',
      { seq: 5, reason: 'missing-entry' },
    ],
    [
      'a whole range deleted',
      'DELETE FROM ledger_entries WHERE seq BETWEEN 5 AND 8',
      { seq: 5, reason: 'missing-entry' },
    ],
    ['the first entry deleted', 'DELETE FROM ledger_entries WHERE seq = 1', { seq: 1, reason: 'missing-entry' }],
    [
      'a first entry altered',
      SQLITE_TAMPER.replace(9, '"order.synced"', '"order.x"'),
      { seq: 9, reason: 'hash-mismatch' },
    ],
    [
      'a first entry relinked',
      'UPDATE ledger_entries SET canonical = replace(canonical, prev_hash, hash) WHERE seq = 5',
      { seq: 5, reason: 'prev-hash-mismatch' },
    ],
    [
      'a last entry re-hashed',
      'UPDATE ledger_entries SET hash = prev_hash WHERE seq = 8',
      { seq: 8, reason: 'hash-mismatch' },
    ],
    [
      'two breaks, the earlier named',
      SQLITE_TAMPER.replace([3, 10], '"order.synced"', '"order.x"'),
      { seq: 3, reason: 'hash-mismatch' },
    ],
    ['a later range altered alone', SQLITE_TAMPER.ciphertext(11), { seq: 11, reason: 'hash-mismatch' }],
    ['a first entry unreadable', SQLITE_TAMPER.unreadable(9), { seq: 9, reason: 'hash-mismatch' }],
  ])('%s', async (_name, sql, expectedBreak) => {
    await tamper(sql);
    const { parallel, sequential } = await verdicts(recorded);
    expect(parallel).toEqual(sequential);
    expect(parallel).toMatchObject({ ok: false, break: expectedBreak });
  });

  it('a truncated tail and a replaced head, against the recorded head', async () => {
    await tamper('DELETE FROM ledger_entries WHERE seq >= 10');
    let { parallel, sequential } = await verdicts(recorded);
    expect(parallel).toEqual(sequential);
    expect(parallel).toMatchObject({ ok: false, checked: 9, break: { seq: 10, reason: 'truncated' } });
    ({ parallel, sequential } = await verdicts({ seq: 9, hash: 'f'.repeat(64) }));
    expect(parallel).toEqual(sequential);
    expect(parallel).toMatchObject({ ok: false, break: { seq: 9, reason: 'head-mismatch' } });
  });

  it('an earlier break wins over a later unreadable entry, on both paths', async () => {
    await tamper(SQLITE_TAMPER.unreadable(9));
    await tamper(SQLITE_TAMPER.replace(2, '"order.synced"', '"order.x"'));
    const { parallel, sequential } = await verdicts();
    expect(parallel).toEqual(sequential);
    expect(parallel).toMatchObject({ ok: false, break: { seq: 2, reason: 'hash-mismatch' } });
  });

  it('stays on one thread below the threshold', async () => {
    await expect(ledgerWith({ from: 13 }).store.verifyInParallel()).resolves.toBeNull();
  });
});
