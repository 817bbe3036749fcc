import type { DsrKind, DsrStatus } from '../../../shared/src/contracts/dsr.js';
import { storedSubjectRef, type SubjectRef } from '../ledger/index.js';
import type { Database } from '../platform/db/database.js';
import { execute, executeMany, query } from '../platform/db/sql.js';
import type { ItemAction, PlanItem } from './erasure-plan.js';

export type DsrRow = {
  id: string;
  kind: DsrKind;
  status: DsrStatus;
  subject: SubjectRef;
  emailSealed: Buffer;
  termsSealed: Buffer | null;
  correctionsSealed: Buffer | null;
  masterKeyId: string;
  wpRequestId: number | null;
  identityMethod: string;
  locale: 'sq' | 'en';
  source: string;
  receivedAt: string;
  dueAt: string;
  extendedAt: string | null;
  extensionReason: string | null;
  completedAt: string | null;
  reason: string | null;
  flag: string | null;
  stuckStep: string | null;
  stuckReason: string | null;
  pass: number;
  connector: string | null;
  version: number;
  updatedAt: string;
};
export type ItemRow = Omit<PlanItem, 'fields' | 'fingerprints'> & {
  requestId: string;
  pass: number;
  fields: string[];
  fingerprints: Record<string, string>;
  doneAt: string | null;
  result: Record<string, unknown> | null;
  releasedPass: number | null;
};
export type ExportRow = {
  id: string;
  requestId: string;
  subject: SubjectRef;
  file: string;
  keySealed: Buffer;
  masterKeyId: string;
  bytes: number;
  createdAt: string;
  expiresAt: string;
  deletedAt: string | null;
};

const COLS = `id, kind, status, subject, email_sealed, terms_sealed, corrections_sealed, master_key_id, wp_request_id, identity_method,
  locale, source, received_at, due_at, extended_at, extension_reason, completed_at, reason, flag, stuck_step, stuck_reason, pass, connector, version, updated_at`;

const buf = (v: unknown): Buffer | null =>
  v === null || v === undefined ? null : Buffer.isBuffer(v) ? v : Buffer.from(v as Uint8Array);

function toRow(r: Record<string, unknown>): DsrRow {
  return {
    id: r.id as string,
    kind: r.kind as DsrKind,
    status: r.status as DsrStatus,
    subject: storedSubjectRef(r.subject),
    emailSealed: buf(r.email_sealed)!,
    termsSealed: buf(r.terms_sealed),
    correctionsSealed: buf(r.corrections_sealed),
    masterKeyId: r.master_key_id as string,
    wpRequestId: r.wp_request_id === null ? null : Number(r.wp_request_id),
    identityMethod: r.identity_method as string,
    locale: r.locale as 'sq' | 'en',
    source: r.source as string,
    receivedAt: r.received_at as string,
    dueAt: r.due_at as string,
    extendedAt: (r.extended_at as string) ?? null,
    extensionReason: (r.extension_reason as string) ?? null,
    completedAt: (r.completed_at as string) ?? null,
    reason: (r.reason as string) ?? null,
    flag: (r.flag as string) ?? null,
    stuckStep: (r.stuck_step as string) ?? null,
    stuckReason: (r.stuck_reason as string) ?? null,
    pass: Number(r.pass),
    connector: (r.connector as string) ?? null,
    version: Number(r.version),
    updatedAt: r.updated_at as string,
  };
}

/** Requests, plan items, export files and receipts, on SQLite or PostgreSQL (one SQL text). */
export class DsrStore {
  constructor(private readonly db: Database) {}

  async insert(r: DsrRow): Promise<boolean> {
    const n = await execute(
      this.db,
      `INSERT INTO dsr_requests (${COLS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25) ON CONFLICT (id) DO NOTHING`,
      [
        r.id,
        r.kind,
        r.status,
        r.subject,
        r.emailSealed,
        r.termsSealed,
        r.correctionsSealed,
        r.masterKeyId,
        r.wpRequestId,
        r.identityMethod,
        r.locale,
        r.source,
        r.receivedAt,
        r.dueAt,
        r.extendedAt,
        r.extensionReason,
        r.completedAt,
        r.reason,
        r.flag,
        r.stuckStep,
        r.stuckReason,
        r.pass,
        r.connector,
        r.version,
        r.updatedAt,
      ],
    );
    return n > 0;
  }

  async get(id: string): Promise<DsrRow | null> {
    const rows = await query<Record<string, unknown>>(this.db, `SELECT ${COLS} FROM dsr_requests WHERE id = $1`, [id]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  /** Requests per status, and the deadlines of the open ones: what metrics and the status page count, read in SQL. */
  async tally(open: readonly DsrStatus[]): Promise<{
    byStatus: Map<DsrStatus, number>;
    open: { id: string; kind: DsrKind; status: DsrStatus; dueAt: string }[];
  }> {
    const counts = await query<{ status: DsrStatus; n: number | string }>(
      this.db,
      'SELECT status, COUNT(*) AS n FROM dsr_requests GROUP BY status',
      [],
    );
    const marks = open.map((_, i) => `$${i + 1}`).join(', ');
    const rows = await query<{ id: string; kind: DsrKind; status: DsrStatus; due_at: string }>(
      this.db,
      `SELECT id, kind, status, due_at FROM dsr_requests WHERE status IN (${marks}) ORDER BY due_at`,
      [...open],
    );
    return {
      byStatus: new Map(counts.map((c) => [c.status, Number(c.n)])),
      open: rows.map((r) => ({ id: r.id, kind: r.kind, status: r.status, dueAt: r.due_at })),
    };
  }

  /**
   * The open requests' deadlines, counted in SQL: how many are overdue (due before `now`) and due soon
   * (within `warnDays`, as deadlineFlag says), and the `limit` most urgent of those two, soonest first —
   * so a status page or a scrape costs the same with 10 or 10,000 requests on file.
   */
  async deadlines(
    open: readonly DsrStatus[],
    now: Date,
    warnDays: number,
    limit: number,
  ): Promise<{
    open: number;
    overdue: number;
    dueSoon: number;
    urgent: { id: string; kind: DsrKind; status: DsrStatus; dueAt: string }[];
  }> {
    const soon = new Date(now.getTime() + warnDays * 86_400_000).toISOString();
    const marks = open.map((_, i) => `$${i + 3}`).join(', ');
    const [counts] = await query<{
      open: number | string;
      overdue: number | string | null;
      due_soon: number | string | null;
    }>(
      this.db,
      `SELECT COUNT(*) AS open, SUM(CASE WHEN due_at < $1 THEN 1 ELSE 0 END) AS overdue,
         SUM(CASE WHEN due_at >= $1 AND due_at <= $2 THEN 1 ELSE 0 END) AS due_soon
       FROM dsr_requests WHERE status IN (${marks})`,
      [now.toISOString(), soon, ...open],
    );
    const rows = await query<{ id: string; kind: DsrKind; status: DsrStatus; due_at: string }>(
      this.db,
      `SELECT id, kind, status, due_at FROM dsr_requests WHERE status IN (${marks}) AND due_at <= $2
       ORDER BY due_at, id LIMIT $1`,
      [limit, soon, ...open],
    );
    return {
      open: Number(counts?.open ?? 0),
      overdue: Number(counts?.overdue ?? 0),
      dueSoon: Number(counts?.due_soon ?? 0),
      urgent: rows.map((r) => ({ id: r.id, kind: r.kind, status: r.status, dueAt: r.due_at })),
    };
  }

  /** Requests per status (every status, open or not). */
  async countByStatus(): Promise<Map<DsrStatus, number>> {
    const counts = await query<{ status: DsrStatus; n: number | string }>(
      this.db,
      'SELECT status, COUNT(*) AS n FROM dsr_requests GROUP BY status',
    );
    return new Map(counts.map((c) => [c.status, Number(c.n)]));
  }

  async list(filter: { statuses?: readonly DsrStatus[]; subject?: string } = {}): Promise<DsrRow[]> {
    const rows = await query<Record<string, unknown>>(
      this.db,
      `SELECT ${COLS} FROM dsr_requests ORDER BY received_at, id`,
      [],
    );
    return rows
      .map(toRow)
      .filter(
        (r) =>
          (!filter.statuses || filter.statuses.includes(r.status)) && (!filter.subject || r.subject === filter.subject),
      );
  }

  /** Optimistic update: applies only if the row is still at `version`; returns whether it did. */
  async update(
    id: string,
    version: number,
    patch: Partial<
      Pick<
        DsrRow,
        | 'status'
        | 'completedAt'
        | 'reason'
        | 'flag'
        | 'stuckStep'
        | 'stuckReason'
        | 'pass'
        | 'connector'
        | 'termsSealed'
        | 'dueAt'
        | 'extendedAt'
        | 'extensionReason'
      >
    >,
    at: string,
  ): Promise<boolean> {
    const cols: Record<string, string> = {
      status: 'status',
      completedAt: 'completed_at',
      reason: 'reason',
      flag: 'flag',
      stuckStep: 'stuck_step',
      stuckReason: 'stuck_reason',
      pass: 'pass',
      connector: 'connector',
      termsSealed: 'terms_sealed',
      dueAt: 'due_at',
      extendedAt: 'extended_at',
      extensionReason: 'extension_reason',
    };
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
    const sets = entries.map(([k], i) => `${cols[k]} = $${i + 4}`);
    const n = await execute(
      this.db,
      `UPDATE dsr_requests SET version = version + 1, updated_at = $3${sets.length ? ', ' : ''}${sets.join(', ')} WHERE id = $1 AND version = $2`,
      [id, version, at, ...entries.map(([, v]) => v)],
    );
    return n > 0;
  }

  // ---- items ------------------------------------------------------------------------------
  async putItems(requestId: string, pass: number, items: readonly PlanItem[]): Promise<void> {
    await executeMany(
      this.db,
      items.map(
        (i) =>
          [
            `INSERT INTO dsr_items (request_id, item, pass, resource, resource_id, action, fields, hold, until, fingerprints) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT (request_id, item) DO NOTHING`,
            [
              requestId,
              i.item,
              pass,
              i.resource,
              i.resourceId,
              i.action,
              JSON.stringify(i.fields),
              i.hold,
              i.until,
              JSON.stringify(i.fingerprints),
            ],
          ] as const,
      ),
    );
  }

  async items(requestId: string, pass?: number): Promise<ItemRow[]> {
    const rows = await query<Record<string, unknown>>(
      this.db,
      'SELECT * FROM dsr_items WHERE request_id = $1 ORDER BY item',
      [requestId],
    );
    return rows.map(toItem).filter((i) => pass === undefined || i.pass === pass);
  }

  async markItems(
    requestId: string,
    done: readonly { item: string; result: Record<string, unknown> }[],
    at: string,
  ): Promise<void> {
    await executeMany(
      this.db,
      done.map(
        (d) =>
          [
            'UPDATE dsr_items SET done_at = $3, result = $4 WHERE request_id = $1 AND item = $2',
            [requestId, d.item, at, JSON.stringify(d.result)],
          ] as const,
      ),
    );
  }

  /** Marks items not done again, so the next execute-erasure carries them out again (a re-check after residue). */
  async reopenItems(requestId: string, items: readonly string[]): Promise<void> {
    await executeMany(
      this.db,
      items.map(
        (item) =>
          [
            'UPDATE dsr_items SET done_at = NULL, result = NULL WHERE request_id = $1 AND item = $2',
            [requestId, item],
          ] as const,
      ),
    );
  }

  async releaseItems(requestId: string, items: readonly string[], pass: number): Promise<void> {
    await executeMany(
      this.db,
      items.map(
        (item) =>
          [
            'UPDATE dsr_items SET released_pass = $3 WHERE request_id = $1 AND item = $2 AND released_pass IS NULL',
            [requestId, item, pass],
          ] as const,
      ),
    );
  }

  /** Retained items not yet released whose hold ended by `now`, or has no known end (re-checked). */
  async retainedDue(now: string): Promise<ItemRow[]> {
    const rows = await query<Record<string, unknown>>(
      this.db,
      `SELECT * FROM dsr_items WHERE action = 'retain' AND released_pass IS NULL AND (until IS NULL OR until <= $1) ORDER BY request_id, item`,
      [now],
    );
    return rows.map(toItem);
  }

  // ---- exports and receipts ---------------------------------------------------------------
  async putExport(e: ExportRow): Promise<void> {
    await execute(
      this.db,
      `INSERT INTO dsr_exports (id, request_id, subject, file, key_sealed, master_key_id, bytes, created_at, expires_at, deleted_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,NULL) ON CONFLICT (id) DO NOTHING`,
      [e.id, e.requestId, e.subject, e.file, e.keySealed, e.masterKeyId, e.bytes, e.createdAt, e.expiresAt],
    );
  }

  async getExport(id: string): Promise<ExportRow | null> {
    const rows = await query<Record<string, unknown>>(this.db, 'SELECT * FROM dsr_exports WHERE id = $1', [id]);
    return rows[0] ? toExport(rows[0]) : null;
  }

  async liveExports(filter: { expiredBy?: string; subject?: string }): Promise<ExportRow[]> {
    const rows = await query<Record<string, unknown>>(
      this.db,
      'SELECT * FROM dsr_exports WHERE deleted_at IS NULL ORDER BY created_at',
      [],
    );
    return rows
      .map(toExport)
      .filter(
        (e) =>
          (!filter.expiredBy || e.expiresAt <= filter.expiredBy) && (!filter.subject || e.subject === filter.subject),
      );
  }

  async setExportExpiry(id: string, expiresAt: string): Promise<void> {
    await execute(this.db, 'UPDATE dsr_exports SET expires_at = $2 WHERE id = $1', [id, expiresAt]);
  }

  async markExportDeleted(id: string, at: string): Promise<void> {
    await execute(this.db, 'UPDATE dsr_exports SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL', [id, at]);
  }

  async putReceipt(requestId: string, pass: number, body: string, hash: string, at: string): Promise<void> {
    await execute(
      this.db,
      'INSERT INTO dsr_receipts (request_id, pass, body, hash, created_at) VALUES ($1,$2,$3,$4,$5) ON CONFLICT (request_id, pass) DO NOTHING',
      [requestId, pass, body, hash, at],
    );
  }

  async receipts(requestId: string): Promise<{ pass: number; body: string; hash: string; createdAt: string }[]> {
    const rows = await query<{ pass: number; body: string; hash: string; created_at: string }>(
      this.db,
      'SELECT pass, body, hash, created_at FROM dsr_receipts WHERE request_id = $1 ORDER BY pass',
      [requestId],
    );
    return rows.map((r) => ({ pass: Number(r.pass), body: r.body, hash: r.hash, createdAt: r.created_at }));
  }
}

function toItem(r: Record<string, unknown>): ItemRow {
  return {
    requestId: r.request_id as string,
    item: r.item as string,
    pass: Number(r.pass),
    resource: r.resource as ItemRow['resource'],
    resourceId: r.resource_id === null ? null : Number(r.resource_id),
    action: r.action as ItemAction,
    fields: JSON.parse(r.fields as string),
    hold: (r.hold as string) ?? null,
    until: (r.until as string) ?? null,
    fingerprints: JSON.parse(r.fingerprints as string),
    doneAt: (r.done_at as string) ?? null,
    result: r.result ? JSON.parse(r.result as string) : null,
    releasedPass: r.released_pass === null || r.released_pass === undefined ? null : Number(r.released_pass),
  };
}

function toExport(r: Record<string, unknown>): ExportRow {
  return {
    id: r.id as string,
    requestId: r.request_id as string,
    subject: storedSubjectRef(r.subject),
    file: r.file as string,
    keySealed: buf(r.key_sealed)!,
    masterKeyId: r.master_key_id as string,
    bytes: Number(r.bytes),
    createdAt: r.created_at as string,
    expiresAt: r.expires_at as string,
    deletedAt: (r.deleted_at as string) ?? null,
  };
}
