import { storedSubjectRef, type SubjectRef } from '../ledger/index.js';
import type { Database } from '../platform/db/database.js';
import { execute, executeMany, query } from '../platform/db/sql.js';

export type SyncedResource = {
  subject: SubjectRef | null;
  digest: string;
  status: string | null;
  modifiedGmt: string | null;
};

const UPSERT = `INSERT INTO sync_state (resource, id, subject, digest, status, modified_gmt, synced_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
  ON CONFLICT (resource, id) DO UPDATE SET subject = excluded.subject, digest = excluded.digest, status = excluded.status,
    modified_gmt = excluded.modified_gmt, synced_at = excluded.synced_at`;

const subjectOrNull = (value: string | null): SubjectRef | null => (value === null ? null : storedSubjectRef(value));

/** What the sync last recorded for a resource, so an unchanged resource costs one lookup and writes nothing. */
export class SyncState {
  constructor(private readonly db: Database) {}

  async get(resource: string, id: number): Promise<SyncedResource | null> {
    const rows = await query<{
      subject: string | null;
      digest: string;
      status: string | null;
      modified_gmt: string | null;
    }>(this.db, 'SELECT subject, digest, status, modified_gmt FROM sync_state WHERE resource = $1 AND id = $2', [
      resource,
      id,
    ]);
    const r = rows[0];
    return r
      ? { subject: subjectOrNull(r.subject), digest: r.digest, status: r.status, modifiedGmt: r.modified_gmt }
      : null;
  }

  /** `get` for a page of resources in one query: id → state, absent ids left out. */
  async getMany(resource: string, ids: readonly number[]): Promise<Map<number, SyncedResource>> {
    const out = new Map<number, SyncedResource>();
    if (ids.length === 0) return out;
    const marks = ids.map((_, i) => `$${i + 2}`).join(', ');
    const rows = await query<{
      id: number | string;
      subject: string | null;
      digest: string;
      status: string | null;
      modified_gmt: string | null;
    }>(
      this.db,
      `SELECT id, subject, digest, status, modified_gmt FROM sync_state WHERE resource = $1 AND id IN (${marks})`,
      [resource, ...ids],
    );
    for (const r of rows)
      out.set(Number(r.id), {
        subject: subjectOrNull(r.subject),
        digest: r.digest,
        status: r.status,
        modifiedGmt: r.modified_gmt,
      });
    return out;
  }

  async put(resource: string, id: number, s: SyncedResource, at: Date): Promise<void> {
    await this.putMany([{ resource, id, state: s }], at);
  }

  /** In one transaction: a page of orders costs one commit. */
  async putMany(rows: readonly { resource: string; id: number; state: SyncedResource }[], at: Date): Promise<void> {
    await executeMany(
      this.db,
      rows.map(
        ({ resource, id, state: s }) =>
          [UPSERT, [resource, id, s.subject, s.digest, s.status, s.modifiedGmt, at.toISOString()]] as const,
      ),
    );
  }

  async cursor(name: string): Promise<string | null> {
    return (
      (await query<{ value: string }>(this.db, 'SELECT value FROM sync_cursors WHERE name = $1', [name]))[0]?.value ??
      null
    );
  }

  async setCursor(name: string, value: string, at: Date): Promise<void> {
    await execute(
      this.db,
      `INSERT INTO sync_cursors (name, value, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      [name, value, at.toISOString()],
    );
  }

  async cursorUpdatedAt(name: string): Promise<string | null> {
    return (
      (await query<{ updated_at: string }>(this.db, 'SELECT updated_at FROM sync_cursors WHERE name = $1', [name]))[0]
        ?.updated_at ?? null
    );
  }

  /** Ids of a resource not recorded as deleted, in id order, `limit` after `afterId` (keyset paging). */
  async liveIds(resource: string, afterId: number, limit: number): Promise<number[]> {
    const rows = await query<{ id: number | string }>(
      this.db,
      `SELECT id FROM sync_state WHERE resource = $1 AND id > $2 AND (status IS NULL OR status <> 'deleted') ORDER BY id LIMIT $3`,
      [resource, afterId, limit],
    );
    return rows.map((r) => Number(r.id));
  }

  /** Ids of a resource belonging to one subject (a deleted customer's orders). */
  async idsOfSubject(resource: string, subject: string): Promise<number[]> {
    const rows = await query<{ id: number | string }>(
      this.db,
      'SELECT id FROM sync_state WHERE resource = $1 AND subject = $2 ORDER BY id',
      [resource, subject],
    );
    return rows.map((r) => Number(r.id));
  }

  async count(resource: string): Promise<number> {
    return Number(
      (
        await query<{ n: number | string }>(this.db, 'SELECT COUNT(*) AS n FROM sync_state WHERE resource = $1', [
          resource,
        ])
      )[0]?.n ?? 0,
    );
  }
}
