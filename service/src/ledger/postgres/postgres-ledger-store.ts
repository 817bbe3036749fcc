import type pg from 'pg';
import { AppError } from '../../platform/errors.js';
import {
  ChainVerifier,
  feedEntries,
  link,
  type ChainedEntry,
  type ChainHead,
  type EntryDraft,
  type LedgerEntry,
  type VerifyResult,
} from '../chain.js';
import type { LedgerStore, StoredDataKey } from '../ledger-store.js';
import {
  COLUMNS,
  storedRef,
  SUBJECT_INDEXED,
  subjectPrefix,
  toChained,
  toEntry,
  toKey,
  type EntryRow,
} from '../ledger-rows.js';
import type { SubjectRef } from '../subject-ref.js';

const SCAN_PAGE = 5_000;

/** The production ledger. Appends serialize on a row lock of `ledger_head`, so the chain never forks. */
export class PostgresLedgerStore implements LedgerStore {
  readonly dialect = 'postgres' as const;

  constructor(private readonly pool: pg.Pool) {}

  /** The chunks are sealed before the transaction starts: it holds the head's lock for the writes alone. */
  async append(
    chunks: Iterable<readonly EntryDraft[]>,
    _total: number,
    newDataKeys: readonly StoredDataKey[] = [],
  ): Promise<LedgerEntry[]> {
    const drafts = [...chunks].flat();
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      if (newDataKeys.length > 0) {
        await client.query(
          'INSERT INTO ledger_data_keys (id, subject, wrapped, master_key_id, created_at, hold) SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[], $4::text[], $5::text[], $6::text[])',
          [
            newDataKeys.map((k) => k.id),
            newDataKeys.map((k) => k.subject),
            newDataKeys.map((k) => k.wrapped),
            newDataKeys.map((k) => k.masterKeyId),
            newDataKeys.map((k) => k.createdAt),
            newDataKeys.map((k) => k.hold ?? null),
          ],
        );
      }
      const top = (
        await client.query<{ seq: string; hash: string }>('SELECT seq, hash FROM ledger_head WHERE id = 1 FOR UPDATE')
      ).rows[0];
      if (!top) throw new AppError('SERVICE_NOT_READY', { reason: 'ledger migrations not applied' });
      let head: ChainHead = { seq: Number(top.seq), hash: top.hash };

      const keys = [...new Set(drafts.map((d) => d.key))];
      const stored = new Map<string, LedgerEntry>(
        (await client.query(`SELECT ${COLUMNS} FROM ledger_entries WHERE key = ANY($1)`, [keys])).rows.map((r) => [
          r.key,
          toEntry(r),
        ]),
      );
      const keyIds = [...new Set(drafts.map((d) => d.dataKeyId).filter((id): id is string => id !== null))];
      if (keyIds.length > 0) {
        const live = new Set(
          (
            await client.query<{ id: string }>(
              'SELECT id FROM ledger_data_keys WHERE id = ANY($1) AND wrapped IS NOT NULL',
              [keyIds],
            )
          ).rows.map((r) => r.id),
        );
        const dead = keyIds.find((id) => !live.has(id));
        if (dead) throw new AppError('LEDGER_KEY_UNAVAILABLE', { dataKeyId: dead });
      }

      const fresh: LedgerEntry[] = [];
      const result = drafts.map((draft) => {
        const prior = stored.get(draft.key);
        if (prior) return prior;
        const entry = link(head, draft);
        stored.set(entry.key, entry);
        fresh.push(entry);
        head = entry;
        return entry;
      });
      if (fresh.length > 0) {
        await client.query(
          `INSERT INTO ledger_entries (${COLUMNS})
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::bytea[], $12::text[], $13::text[], $14::text[])`,
          [
            fresh.map((e) => e.seq),
            fresh.map((e) => e.key),
            fresh.map((e) => e.kind),
            fresh.map((e) => e.subject),
            fresh.map((e) => e.purpose),
            fresh.map((e) => e.legalBasis),
            fresh.map((e) => JSON.stringify(e.categories)),
            fresh.map((e) => e.source),
            fresh.map((e) => e.detail),
            fresh.map((e) => e.at),
            fresh.map((e) => e.ciphertext),
            fresh.map((e) => e.dataKeyId),
            fresh.map((e) => e.prevHash),
            fresh.map((e) => e.hash),
          ],
        );
        await client.query('UPDATE ledger_head SET seq = $1, hash = $2 WHERE id = 1', [head.seq, head.hash]);
      }
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async head() {
    const r = (
      await this.pool.query<{ seq: string; hash: string; at: string | null }>(
        'SELECT h.seq, h.hash, e.at FROM ledger_head h LEFT JOIN ledger_entries e ON e.seq = h.seq WHERE h.id = 1',
      )
    ).rows[0];
    if (!r) throw new AppError('SERVICE_NOT_READY', { reason: 'ledger migrations not applied' });
    return { seq: Number(r.seq), hash: r.hash, at: r.at };
  }

  async read(afterSeq: number, limit: number) {
    return (await this.#rows(afterSeq, limit)).map(toEntry);
  }

  async #rows(afterSeq: number, limit: number): Promise<EntryRow[]> {
    return (
      await this.pool.query<EntryRow>(`SELECT ${COLUMNS} FROM ledger_entries WHERE seq > $1 ORDER BY seq LIMIT $2`, [
        afterSeq,
        limit,
      ])
    ).rows;
  }

  async *scan(afterSeq = 0): AsyncIterable<LedgerEntry> {
    for await (const page of this.scanPages(afterSeq)) yield* page;
  }

  async *scanPages(afterSeq = 0, size = SCAN_PAGE): AsyncIterable<readonly LedgerEntry[]> {
    for await (const rows of this.#pages(afterSeq, size)) yield rows.map(toEntry);
  }

  /** Reads the rows as stored (toChained): a tampered row gets its verdict instead of failing the read. */
  async verify(expected?: ChainHead): Promise<VerifyResult> {
    const verifier = new ChainVerifier(undefined, expected);
    await feedEntries(verifier, this.#chainedPages());
    return verifier.finish();
  }

  async *#chainedPages(): AsyncIterable<readonly ChainedEntry[]> {
    for await (const rows of this.#pages(0, SCAN_PAGE)) yield rows.map(toChained);
  }

  /** Keyset pages, so a million entries stream in constant memory without a server-side cursor. */
  async *#pages(afterSeq: number, size: number): AsyncIterable<EntryRow[]> {
    let after = afterSeq;
    for (;;) {
      const page = await this.#rows(after, size);
      if (page.length > 0) yield page;
      if (page.length < size) return;
      after = Number(page[page.length - 1]!.seq);
    }
  }

  /** The pool belongs to the database; this store starts nothing of its own. */
  async close(): Promise<void> {}

  async entriesOf(refs: readonly string[]) {
    const sql = `SELECT ${COLUMNS} FROM ledger_entries WHERE ${SUBJECT_INDEXED} = ANY($1) AND subject = ANY($2) ORDER BY seq`;
    return (await this.pool.query(sql, [refs.map(subjectPrefix), refs])).rows.map(toEntry);
  }

  async byKey(key: string) {
    const row = (await this.pool.query(`SELECT ${COLUMNS} FROM ledger_entries WHERE key = $1`, [key])).rows[0];
    return row ? toEntry(row) : null;
  }

  async ensureSubject(ref: SubjectRef) {
    await this.pool.query(
      'INSERT INTO ledger_subject_refs (ref, subject) VALUES ($1, $1) ON CONFLICT (ref) DO NOTHING',
      [ref],
    );
    return (await this.subjectOf(ref))!;
  }

  /** One query when every ref is known; new refs are inserted in sorted order, so concurrent callers cannot deadlock. */
  async ensureSubjects(refs: readonly SubjectRef[]) {
    const found = async (some: readonly string[]) =>
      (
        await this.pool.query<{ ref: string; subject: string }>(
          'SELECT ref, subject FROM ledger_subject_refs WHERE ref = ANY($1)',
          [some],
        )
      ).rows;
    const subjects = new Map((await found(refs)).map((r) => [storedRef(r.ref), storedRef(r.subject)]));
    const missing = [...new Set(refs.filter((ref) => !subjects.has(ref)))].sort();
    if (missing.length > 0) {
      await this.pool.query(
        'INSERT INTO ledger_subject_refs (ref, subject) SELECT r, r FROM unnest($1::text[]) AS r ON CONFLICT (ref) DO NOTHING',
        [missing],
      );
      for (const r of await found(missing)) subjects.set(storedRef(r.ref), storedRef(r.subject));
    }
    return subjects;
  }

  async subjectOf(ref: string) {
    const row = (
      await this.pool.query<{ subject: string }>('SELECT subject FROM ledger_subject_refs WHERE ref = $1', [ref])
    ).rows[0];
    return row ? storedRef(row.subject) : null;
  }

  async refsOf(subject: string) {
    return (
      await this.pool.query<{ ref: string }>('SELECT ref FROM ledger_subject_refs WHERE subject = $1 ORDER BY ref', [
        subject,
      ])
    ).rows.map((r) => storedRef(r.ref));
  }

  async mergeSubjects(a: SubjectRef, b: SubjectRef) {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        'INSERT INTO ledger_subject_refs (ref, subject) VALUES ($1, $1), ($2, $2) ON CONFLICT (ref) DO NOTHING',
        [a, b],
      );
      const rows = (
        await client.query<{ ref: string; subject: string }>(
          'SELECT ref, subject FROM ledger_subject_refs WHERE ref = ANY($1) FOR UPDATE',
          [[a, b]],
        )
      ).rows;
      const sa = storedRef(rows.find((r) => r.ref === a)!.subject);
      const sb = storedRef(rows.find((r) => r.ref === b)!.subject);
      if (sa !== sb) {
        await client.query('UPDATE ledger_subject_refs SET subject = $1 WHERE subject = $2', [sa, sb]);
        await client.query('UPDATE ledger_data_keys SET subject = $1 WHERE subject = $2', [sa, sb]);
      }
      await client.query('COMMIT');
      return sa;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async activeDataKey(subject: string) {
    const r = (
      await this.pool.query(
        'SELECT * FROM ledger_data_keys WHERE subject = $1 AND hold IS NULL AND wrapped IS NOT NULL ORDER BY created_at DESC, id DESC LIMIT 1',
        [subject],
      )
    ).rows[0];
    return r ? toKey(r) : null;
  }

  async insertDataKey(k: StoredDataKey) {
    await this.pool.query(
      'INSERT INTO ledger_data_keys (id, subject, wrapped, master_key_id, created_at, hold) VALUES ($1, $2, $3, $4, $5, $6)',
      [k.id, k.subject, k.wrapped, k.masterKeyId, k.createdAt, k.hold ?? null],
    );
  }

  async dataKeys(ids: readonly string[]) {
    return (await this.pool.query('SELECT * FROM ledger_data_keys WHERE id = ANY($1)', [ids])).rows.map(toKey);
  }

  async liveDataKeys(subject: string) {
    return (
      await this.pool.query(
        'SELECT * FROM ledger_data_keys WHERE subject = $1 AND hold IS NULL AND wrapped IS NOT NULL ORDER BY id',
        [subject],
      )
    ).rows.map(toKey);
  }

  async liveHoldKeys(hold: string) {
    return (
      await this.pool.query('SELECT * FROM ledger_data_keys WHERE hold = $1 AND wrapped IS NOT NULL ORDER BY id', [
        hold,
      ])
    ).rows.map(toKey);
  }

  async shredDataKeys(ids: readonly string[]) {
    const r = await this.pool.query<{ id: string }>(
      `UPDATE ledger_data_keys SET wrapped = NULL, master_key_id = NULL, shredded_at = to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
       WHERE id = ANY($1) AND wrapped IS NOT NULL RETURNING id`,
      [ids],
    );
    return r.rows.map((row) => row.id);
  }

  async liveDataKeysPage(afterId: string, limit: number) {
    return (
      await this.pool.query(
        'SELECT * FROM ledger_data_keys WHERE id > $1 AND wrapped IS NOT NULL ORDER BY id LIMIT $2',
        [afterId, limit],
      )
    ).rows.map(toKey);
  }

  async rewrapDataKey(id: string, wrapped: Buffer, masterKeyId: string) {
    await this.pool.query(
      'UPDATE ledger_data_keys SET wrapped = $1, master_key_id = $2 WHERE id = $3 AND wrapped IS NOT NULL',
      [wrapped, masterKeyId, id],
    );
  }
}
