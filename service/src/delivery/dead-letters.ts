import type { Database } from '../platform/db/database.js';
import { execute, query } from '../platform/db/sql.js';
import type { Migration } from '../platform/db/migrate.js';

const TABLE = `
  CREATE TABLE delivery_dead_letters (
    target TEXT NOT NULL,
    id TEXT NOT NULL,
    reason TEXT NOT NULL,
    status INTEGER,
    attempts INTEGER NOT NULL,
    failed_at TEXT NOT NULL,
    PRIMARY KEY (target, id)
  );
`;
export const deliveryMigrations: readonly Migration[] = [
  { id: '0042-delivery-dead-letters', sqlite: TABLE, postgres: TABLE },
];

/** Why a delivery gave up: WordPress refused it (a 4xx a retry cannot fix) or its retries ran out. */
export type DeadLetter = {
  target: string;
  id: string;
  reason: 'refused' | 'retries-exhausted';
  status: number | null;
  attempts: number;
  failedAt: string;
};

/**
 * Service → WordPress deliveries that gave up, kept until they are re-driven (ids only: the body is
 * built again from the database when the delivery runs, so no personal data waits here).
 */
export class DeadLetters {
  constructor(private readonly db: Database) {}

  async put(d: DeadLetter): Promise<void> {
    await execute(
      this.db,
      `INSERT INTO delivery_dead_letters (target, id, reason, status, attempts, failed_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (target, id) DO UPDATE SET reason = excluded.reason, status = excluded.status, attempts = excluded.attempts, failed_at = excluded.failed_at`,
      [d.target, d.id, d.reason, d.status, d.attempts, d.failedAt],
    );
  }

  async list(limit = 1_000): Promise<DeadLetter[]> {
    const rows = await query<{
      target: string;
      id: string;
      reason: DeadLetter['reason'];
      status: number | null;
      attempts: number | string;
      failed_at: string;
    }>(
      this.db,
      'SELECT target, id, reason, status, attempts, failed_at FROM delivery_dead_letters ORDER BY failed_at, target, id LIMIT $1',
      [limit],
    );
    return rows.map((r) => ({
      target: r.target,
      id: r.id,
      reason: r.reason,
      status: r.status === null ? null : Number(r.status),
      attempts: Number(r.attempts),
      failedAt: r.failed_at,
    }));
  }

  async remove(target: string, id: string): Promise<boolean> {
    return (
      (await execute(this.db, 'DELETE FROM delivery_dead_letters WHERE target = $1 AND id = $2', [target, id])) > 0
    );
  }

  async count(): Promise<{ reason: string; n: number }[]> {
    const rows = await query<{ reason: string; n: number | string }>(
      this.db,
      'SELECT reason, COUNT(*) AS n FROM delivery_dead_letters GROUP BY reason',
    );
    return rows.map((r) => ({ reason: r.reason, n: Number(r.n) }));
  }
}
