// A separate process appending to a shared ledger: `node --import tsx append-worker.ts <worker> <count>`.
import { fixedClock } from '../platform/clock.js';
import { openDatabase } from '../platform/db/database.js';
import { sensitive } from '../platform/sensitive.js';
import { Ledger, MasterKeyring } from '../ledger/index.js';
import { createLedgerStore } from '../ledger/open-store.js';

async function main() {
  const [worker = '0', count = '1000'] = process.argv.slice(2);
  const db = openDatabase(process.env.PB_URL!);
  const ledger = new Ledger({
    store: createLedgerStore(db),
    keyring: new MasterKeyring([{ id: 'm1', key: Buffer.from(process.env.PB_MASTER!, 'base64') }]),
    pepper: Buffer.from(process.env.PB_PEPPER!, 'base64'),
    clock: fixedClock('2026-11-01T10:00:00Z'),
  });
  const subject = ledger.subjectRef(sensitive(`worker-${worker}@example.invalid`));
  for (let i = 0; i < Number(count); i++) {
    await ledger.record({
      key: `w${worker}-${i}`,
      kind: 'test.appended',
      subject,
      categories: ['contact'],
      personal: sensitive({ i }),
    });
  }
  await db.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
