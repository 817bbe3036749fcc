import { sensitive } from '../platform/sensitive.js';
import { DISABLE_GUARD, sqliteHarness, type LedgerHarness } from '../testing/ledger-harness.js';
import { ledgerStoreContract } from './ledger-store.contract.js';

describe('LedgerStore contract: SQLite', () => ledgerStoreContract(sqliteHarness));

// SQLite renders most of each entry's canonical encoding in SQL for verify; the JS encoding decides whenever they differ.
describe('SQLite verify, rendered in SQL', () => {
  let h: LedgerHarness;
  beforeEach(async () => {
    h = await sqliteHarness();
    const subject = h.ledger.subjectRef(sensitive('arta@example.com'));
    const awkward = 'a\u0001\u001f\n\t"\\é😀\u2028/';
    for (let i = 1; i <= 4; i++) {
      await h.ledger.record({ key: `k-${i}-${awkward}`, kind: 'order.synced', subject, source: awkward, categories: ['contact'], detail: { note: awkward }, personal: i % 2 ? sensitive({ n: i }) : undefined });
    }
  });
  afterEach(() => h.close());

  it('agrees with the JS encoding on escapes, unicode and null ciphertexts', async () => {
    await expect(h.ledger.verify()).resolves.toMatchObject({ ok: true, checked: 4 });
  });
  it('lets the JS encoding decide when the stored text is spelled differently but means the same', async () => {
    await h.sql(`${DISABLE_GUARD.sqlite} UPDATE ledger_entries SET categories = '["\\u0063ontact"]' WHERE seq = 2`);
    await expect(h.ledger.verify()).resolves.toMatchObject({ ok: true, checked: 4 });
  });
  it('still names an altered entry, and still throws on categories that are not JSON', async () => {
    await h.sql(`${DISABLE_GUARD.sqlite} UPDATE ledger_entries SET source = 'b' WHERE seq = 3`);
    await expect(h.ledger.verify()).resolves.toMatchObject({ ok: false, checked: 2, break: { seq: 3, reason: 'hash-mismatch' } });
    await h.sql(`UPDATE ledger_entries SET categories = '[' WHERE seq = 2`);
    await expect(h.ledger.verify()).rejects.toThrow(SyntaxError);
  });
});
