import type { Database } from '../platform/db/database.js';
import { execute, query } from '../platform/db/sql.js';
import type { Logger } from '../platform/log/logger.js';

/** What a delivery becomes: the sync job's id and payload (ids and enums only, never personal data). */
export type SyncJob = {
  jobId: string;
  resource: 'order' | 'customer';
  id: number;
  topic: string;
  modified: string | null;
};

/**
 * Deliveries acknowledged while Redis could not take them, kept in the database until it can.
 * A row is written (committed) before the delivery is answered and deleted only after its job is in
 * Redis, so a crash at any point loses none; one kept twice or queued twice is the same job id,
 * which BullMQ and the table's primary key both make a no-op.
 */
export class WebhookInbox {
  constructor(private readonly db: Database) {}

  async keep(job: SyncJob, at: Date): Promise<void> {
    await execute(
      this.db,
      `INSERT INTO sync_webhook_inbox (job_id, resource, resource_id, topic, modified, received_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (job_id) DO NOTHING`,
      [job.jobId, job.resource, job.id, job.topic, job.modified, at.toISOString()],
    );
  }

  /** The oldest kept deliveries first. */
  async oldest(limit: number): Promise<SyncJob[]> {
    const rows = await query<{
      job_id: string;
      resource: 'order' | 'customer';
      resource_id: number | string;
      topic: string;
      modified: string | null;
    }>(
      this.db,
      'SELECT job_id, resource, resource_id, topic, modified FROM sync_webhook_inbox ORDER BY received_at, job_id LIMIT $1',
      [limit],
    );
    return rows.map((r) => ({
      jobId: r.job_id,
      resource: r.resource,
      id: Number(r.resource_id),
      topic: r.topic,
      modified: r.modified,
    }));
  }

  async remove(jobIds: readonly string[]): Promise<void> {
    for (let i = 0; i < jobIds.length; i += 100) {
      const chunk = jobIds.slice(i, i + 100);
      await execute(
        this.db,
        `DELETE FROM sync_webhook_inbox WHERE job_id IN (${chunk.map((_, j) => `$${j + 1}`).join(', ')})`,
        chunk,
      );
    }
  }

  async count(): Promise<number> {
    return Number(
      (await query<{ n: number | string }>(this.db, 'SELECT COUNT(*) AS n FROM sync_webhook_inbox'))[0]?.n ?? 0,
    );
  }
}

export type Enqueue = (job: SyncJob) => Promise<void>;

/**
 * The receiver's enqueue with the database behind it: Redis first (bounded by `timeoutMs`, so a
 * half-open connection cannot hold WooCommerce's request); when Redis cannot take the job, the inbox
 * keeps it. Resolves with where the delivery went; rejects only when neither could keep it.
 */
export function enqueueOrKeep(deps: {
  enqueue: Enqueue;
  inbox: WebhookInbox;
  now: () => Date;
  log: Logger;
  timeoutMs?: number;
}) {
  return async (job: SyncJob): Promise<'queued' | 'kept'> => {
    try {
      await withTimeout(deps.enqueue(job), deps.timeoutMs ?? 2_000);
      return 'queued';
    } catch (err) {
      deps.log.warn({ err, jobId: job.jobId }, 'redis did not take the delivery: keeping it in the database');
    }
    await deps.inbox.keep(job, deps.now());
    return 'kept';
  };
}

/**
 * Moves kept deliveries to Redis, `batch` at a time: queue first, delete after. Returns how many it
 * moved; stops at the first failure (Redis still away) and leaves the rest for the next round.
 */
export async function drainInbox(deps: { enqueue: Enqueue; inbox: WebhookInbox }, batch = 200): Promise<number> {
  let moved = 0;
  for (;;) {
    const jobs = await deps.inbox.oldest(batch);
    if (jobs.length === 0) return moved;
    await Promise.all(jobs.map((job) => deps.enqueue(job)));
    await deps.inbox.remove(jobs.map((j) => j.jobId));
    moved += jobs.length;
    if (jobs.length < batch) return moved;
  }
}

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });
