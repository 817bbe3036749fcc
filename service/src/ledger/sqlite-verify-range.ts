import BetterSqlite3 from 'better-sqlite3';
import { ChainVerifier, feedEncoded, type ChainHead, type EncodedEntry, type VerifySegment } from './chain.js';
import { ENCODED_COLUMNS, rawToEncoded } from './ledger-rows.js';

/** One range of a parallel verify: the entries with `after < seq <= upTo` of one SQLite file. */
export type RangeTask = { readonly file: string; readonly after: number; readonly upTo: number; readonly expected: ChainHead | undefined };

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
  let first: EncodedEntry | undefined;
  try {
    db.pragma('busy_timeout = 30000');
    const page = db.prepare(`SELECT ${ENCODED_COLUMNS} FROM ledger_entries WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`).raw();
    const firstPage = (page.all(after, upTo, PAGE) as unknown[][]).map(rawToEncoded);
    first = firstPage[0];
    if (!first) return { first: null, outcome: { checked: 0, head: { seq: after, hash: '' }, break: null, seen: null } };
    async function* pages() {
      let rows = firstPage;
      yield rows;
      while (rows.length === PAGE) {
        rows = (page.all(rows[rows.length - 1]!.seq, upTo, PAGE) as unknown[][]).map(rawToEncoded);
        if (rows.length > 0) yield rows;
      }
    }
    // Start where the sequential verifier stands if `first` links onto the previous range; the caller checks that it does.
    // (An unreadable first entry starts nowhere: its own push names it as altered, as the sequential verify does.)
    const verifier = new ChainVerifier({ seq: first.seq - 1, hash: first.prevHash ?? '' }, expected);
    await feedEncoded(verifier, pages());
    return { first: { seq: first.seq, prevHash: first.prevHash }, outcome: verifier.segment() };
  } catch (error) {
    return { first: first ? { seq: first.seq, prevHash: first.prevHash } : null, outcome: { error } };
  } finally {
    db.close();
  }
}
