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
export async function queueStats(queue: JobQueue, now: Date, names: readonly QueueName[] = QUEUES): Promise<QueueStats[]> {
  return Promise.all(
    names.map(async (name) => {
      const q = queue.queue(name);
      const [counts, [oldest]] = await Promise.all([q.getJobCounts('waiting', 'active', 'delayed', 'failed'), q.getJobs(['wait'], 0, 0, true)]);
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
