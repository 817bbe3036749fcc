import fs from 'node:fs';
import path from 'node:path';
import { Ledger, MasterKeyring, type TimelineEntry } from '../../../service/src/ledger/index.js';
import { createLedgerStore } from '../../../service/src/ledger/open-store.js';
import { systemClock } from '../../../service/src/platform/clock.js';
import { openDatabase } from '../../../service/src/platform/db/database.js';
import { sensitive } from '../../../service/src/platform/sensitive.js';
import type { Svc } from './services.js';

/**
 * A person's ledger timeline as the service itself reads it (Ledger.timeline, the read behind exports and the
 * privacy tools): the service's SQLite ledger and its development keys (DATA_DIR/dev-keys.json), opened beside it.
 */
export async function timelineOf(svc: Pick<Svc, 'dataDir'>, email: string): Promise<TimelineEntry[]> {
  const keys = JSON.parse(fs.readFileSync(path.join(svc.dataDir, 'dev-keys.json'), 'utf8')) as {
    masterKeyId: string;
    masterKey: string;
    pepper: string;
  };
  const db = openDatabase(`sqlite:${path.join(svc.dataDir, 'ledger.sqlite')}`);
  try {
    const ledger = new Ledger({
      store: createLedgerStore(db),
      keyring: new MasterKeyring([{ id: keys.masterKeyId, key: Buffer.from(keys.masterKey, 'base64') }]),
      pepper: Buffer.from(keys.pepper, 'base64'),
      clock: systemClock,
    });
    return await ledger.timeline(ledger.subjectRef(sensitive(email)));
  } finally {
    await db.close();
  }
}

export const isErased = (e: TimelineEntry) =>
  typeof e.personal === 'object' && e.personal !== null && 'erased' in e.personal;

/** An order's entries (and its appointments') that carry values. */
export const ofOrder = (orderId: number) => (e: TimelineEntry) =>
  e.personal !== null && (e.source === `order-${orderId}` || e.detail?.orderId === orderId);
