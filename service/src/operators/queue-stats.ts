import type { Ledger } from '../ledger/index.js';
import type { JobQueue } from '../platform/queue/job-runtime.js';

/** The queues operators watch. */
export const QUEUES = ['sync', 'consent', 'delivery', 'dsr', 'ledger'] as const;
export type QueueName = (typeof QUEUES)[number];

export type QueueStats = {
  name: QueueName;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  /** Age of the oldest job still waiting, in seconds; null when none waits. */
  oldestWaitingSeconds: number | null;
};

/** Counts per state and the oldest waiting job's age: ids and numbers only, nothing a job carries. */
export async function queueStats(
  queue: JobQueue,
  now: Date,
  names: readonly QueueName[] = QUEUES,
): Promise<QueueStats[]> {
  return Promise.all(
    names.map(async (name) => {
      const q = queue.queue(name);
      const [counts, [oldest]] = await Promise.all([
        q.getJobCounts('waiting', 'active', 'delayed', 'failed'),
        q.getJobs(['wait'], 0, 0, true),
      ]);
      return {
        name,
        waiting: counts.waiting ?? 0,
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        failed: counts.failed ?? 0,
        oldestWaitingSeconds: oldest ? Math.max(0, Math.round((now.getTime() - oldest.timestamp) / 1000)) : null,
      };
    }),
  );
}

/** Moves every failed job of the named queues back to waiting; returns the ids retried, by queue. */
export async function retryFailed(queue: JobQueue, names: readonly QueueName[]): Promise<Record<string, string[]>> {
  const retried: Record<string, string[]> = {};
  for (const name of names) {
    const failed = await queue.queue(name).getFailed(0, -1);
    for (const job of failed) await job.retry('failed');
    if (failed.length > 0) retried[name] = failed.map((j) => String(j.id));
  }
  return retried;
}

/** Ledgers a retry of failed jobs: who, which queues, which job ids (ids come from natural keys, never personal). */
export async function recordRetry(
  ledger: Ledger,
  actor: string,
  retried: Record<string, string[]>,
  at: Date,
  source: 'cli' | 'admin-ui',
): Promise<void> {
  if (Object.keys(retried).length === 0) return;
  await ledger.record({
    key: `ops.jobs-retried/${at.toISOString()}/${Object.keys(retried).join('+')}`,
    kind: 'ops.jobs-retried',
    detail: { actor, queues: retried },
    source,
  });
}
