import type { Redis } from 'ioredis';
import { DeadLetters } from '../delivery/index.js';
import { DsrStore, OPEN_STATUSES } from '../dsr/index.js';
import { LAST_VERIFY_KEY } from '../ledger/index.js';
import type { Database } from '../platform/db/database.js';
import type { Logger } from '../platform/log/logger.js';
import type { JobQueue } from '../platform/queue/job-runtime.js';
import { RECONCILE_CURSOR, SyncState, webhookHealth } from '../sync/index.js';
import type { Observations } from './alert-rules.js';

const SOURCE_TIMEOUT_MS = 5_000;

export type SourceDeps = {
  db: Database;
  redis: Redis;
  queue: JobQueue;
  queuePrefix: string;
  /** The queues whose failed jobs alert (every queue a module works). */
  queues: readonly string[];
  /** A store is synced (WooCommerce or the demo store): only then does reconcile lag mean anything. */
  storeSynced: boolean;
  /** When this process began to wait for a first reconciliation. */
  startedAt: Date;
  log: Logger;
};

/**
 * Reads what the rooms keep (ids, enums, counts, times): open requests' deadlines, the last webhook
 * check, the ledger's last self-verification, failed jobs, the reconciliation watermark's age, dead
 * letters. A source that fails is left out (its alerts are not judged this round) and logged.
 */
export function observer(deps: SourceDeps): () => Promise<Observations> {
  const requests = new DsrStore(deps.db);
  const sync = new SyncState(deps.db);
  const deadLetters = new DeadLetters(deps.db);
  const read = async <K extends keyof Observations>(name: K, get: () => Promise<Observations[K]>) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      // Redis away can leave a BullMQ read waiting for a connection: a source answers within 5 s or is left out.
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('source did not answer within 5 s')), SOURCE_TIMEOUT_MS);
      });
      return { [name]: await Promise.race([get(), late]) } as Partial<Observations>;
    } catch (err) {
      deps.log.warn({ err, source: name }, 'alert source not readable; its alerts stay as they were');
      return {};
    } finally {
      clearTimeout(timer);
    }
  };
  return async () => {
    const parts = await Promise.all([
      read('requests', async () => (await requests.tally(OPEN_STATUSES)).open),
      read('disabledWebhooks', async () => (await webhookHealth(sync))?.disabled ?? []),
      read('verification', async () => {
        const raw = await deps.redis.get(`${deps.queuePrefix}:${LAST_VERIFY_KEY}`);
        return raw ? (JSON.parse(raw) as NonNullable<Observations['verification']>) : null;
      }),
      read('failedJobs', () =>
        Promise.all(
          deps.queues.map(async (queue) => ({ queue, failed: await deps.queue.queue(queue).getFailedCount() })),
        ),
      ),
      read('reconcile', async () =>
        deps.storeSynced
          ? { at: await sync.cursorUpdatedAt(RECONCILE_CURSOR), waitingSince: deps.startedAt.toISOString() }
          : null,
      ),
      read('deadLetters', async () => (await deadLetters.list()).map((d) => ({ target: d.target, reason: d.reason }))),
    ]);
    return Object.assign({}, ...parts) as Observations;
  };
}
