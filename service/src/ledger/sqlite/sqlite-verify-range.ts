import BetterSqlite3 from 'better-sqlite3';
import {
  ChainVerifier,
  feedStored,
  storedPrevHash,
  type ChainHead,
  type StoredEntry,
  type VerifySegment,
} from '../chain.js';
import { STORED_COLUMNS } from '../ledger-rows.js';

/** One range of a parallel verify: the entries with `after < seq <= upTo` of one SQLite file. */
export type RangeTask = {
  readonly file: string;
  readonly after: number;
  readonly upTo: number;
  readonly expected: ChainHead | undefined;
};

/**
 * `first` is the range's first entry (null: the range is empty); the segment was verified from
 * `{ seq: first.seq - 1, hash: first.prevHash }`, or `error` is what verifying it threw.
 */
export type RangeReport = {
  readonly first: { readonly seq: number; readonly prevHash: string | null } | null;
  readonly outcome: VerifySegment | { readonly error: unknown };
};

// 500 rows a page: with 2,000, a million-entry parallel verify peaked ~10 MB higher (pages outlive scavenges) and was no faster.
const PAGE = 500;

/** Verifies one range on a read-only connection of its own (WAL readers block no one), streamed in pages. */
export async function verifyRange({ file, after, upTo, expected }: RangeTask): Promise<RangeReport> {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  let first: RangeReport['first'] = null;
  try {
    db.pragma('busy_timeout = 30000');
    const page = db
      .prepare(`SELECT ${STORED_COLUMNS} FROM ledger_entries WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`)
      .raw();
    const read = (afterSeq: number) => page.all(afterSeq, upTo, PAGE) as unknown as StoredEntry[];
    const firstPage = read(after);
    const top = firstPage[0];
    if (!top) return { first: null, outcome: { checked: 0, head: { seq: after, hash: '' }, break: null, seen: null } };
    first = { seq: top[0], prevHash: storedPrevHash(top[2]) };
    async function* pages() {
      let rows = firstPage;
      yield rows;
      while (rows.length === PAGE) {
        rows = read(rows[rows.length - 1]![0]);
        if (rows.length > 0) yield rows;
      }
    }
    // Start where the sequential verifier stands if `first` links onto the previous range; the caller checks that it does.
    // (An unreadable first entry starts nowhere: its own push names it as altered, as the sequential verify does.)
    const verifier = new ChainVerifier({ seq: first.seq - 1, hash: first.prevHash ?? '' }, expected);
    await feedStored(verifier, pages());
    return { first, outcome: verifier.segment() };
  } catch (error) {
    return { first, outcome: { error } };
  } finally {
    db.close();
  }
}
