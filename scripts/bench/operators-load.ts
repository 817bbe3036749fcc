// The job load of `npm run bench -- operators`: jobs across the five queues, most waiting, some delayed
// (a retry's back-off), some failed — added with BullMQ's addBulk, a thousand per call.
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobQueue } from '../../service/src/platform/queue/job-runtime.js';

/** Share of the jobs per queue, and the job each queue holds (ids only, as the real ones). */
const MIX = [
  {
    queue: 'sync',
    share: 0.5,
    name: 'sync.resource',
    data: (i: number) => ({ resource: 'order', id: i, topic: 'order.updated' }),
  },
  {
    queue: 'delivery',
    share: 0.2,
    name: 'delivery.deliver',
    data: (i: number) => ({ target: 'consent', id: `c${i}` }),
  },
  { queue: 'dsr', share: 0.15, name: 'dsr.collect', data: (i: number) => ({ requestId: `r${i}` }) },
  { queue: 'consent', share: 0.1, name: 'consent.project', data: () => ({}) },
  { queue: 'ledger', share: 0.05, name: 'ledger.verify', data: () => ({}) },
] as const;
const CHUNK = 1_000;

/** `total` jobs: per queue 85% waiting, 10% delayed by an hour, 5% failed (by a worker that fails them). */
export async function seedJobs(redis: Redis, queue: JobQueue, prefix: string, total: number): Promise<void> {
  for (const m of MIX) {
    const n = Math.round(total * m.share);
    const failed = Math.round(n * 0.05);
    const delayed = Math.round(n * 0.1);
    const q = queue.queue(m.queue);
    // The ones to fail go first, alone in the queue, and a worker fails each on its only attempt.
    await add(q, m, 0, failed, { attempts: 1 });
    if (failed > 0) {
      const connection = redis.duplicate({ maxRetriesPerRequest: null });
      const worker = new Worker(
        m.queue,
        async () => {
          throw new Error('bench: failed on purpose');
        },
        { connection, prefix, concurrency: 200 },
      );
      worker.on('error', () => undefined);
      while (((await q.getJobCounts('failed')).failed ?? 0) < failed) await new Promise((r) => setTimeout(r, 50));
      await worker.close();
      connection.disconnect();
    }
    await add(q, m, failed, delayed, { delay: 3_600_000 });
    await add(q, m, failed + delayed, n - failed - delayed, {});
  }
}

async function add(
  q: ReturnType<JobQueue['queue']>,
  m: (typeof MIX)[number],
  from: number,
  count: number,
  opts: { attempts?: number; delay?: number },
) {
  for (let i = 0; i < count; i += CHUNK)
    await q.addBulk(
      Array.from({ length: Math.min(CHUNK, count - i) }, (_, k) => ({
        name: m.name,
        data: m.data(from + i + k),
        opts: { ...opts, removeOnComplete: true },
      })),
    );
}
