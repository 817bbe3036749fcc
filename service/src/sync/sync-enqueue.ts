import { Batcher, oneByOne } from '../platform/batcher.js';
import { queueOf } from '../platform/queue/define-job.js';
import type { JobQueue } from '../platform/queue/job-runtime.js';
import type { Enqueue, SyncJob } from './webhook-inbox.js';
import { syncResourceJob } from './jobs/sync-resource.job.js';

/**
 * The webhook receiver's enqueue: deliveries arriving in the same event-loop turn go to Redis as
 * one `addBulk` (one pipelined round trip instead of one per delivery). Each caller still resolves
 * only once the pipeline has answered, i.e. once its own job is in Redis, so a 200 is never a lost
 * delivery. Job ids come from what was delivered: BullMQ's add script skips an id it already holds,
 * in a bulk add as in a single one, so replays stay no-ops. If the bulk add fails (one bad entry
 * fails the whole pipeline's answer), every job of the batch is added alone, which settles each
 * caller with its own outcome; ids already added are no-ops the second time.
 */
export function syncEnqueuer(queue: JobQueue, maxBatch = 200): Enqueue {
  const one = (job: SyncJob) =>
    queue
      .add(syncResourceJob, { resource: job.resource, id: job.id, topic: job.topic }, { jobId: job.jobId })
      .then(() => undefined);
  const batcher = new Batcher<SyncJob, void>(async (jobs) => {
    if (jobs.length === 1) return oneByOne(jobs, one);
    const bulk = jobs.map((job) => {
      const data = syncResourceJob.payload.safeParse({ resource: job.resource, id: job.id, topic: job.topic });
      // Same checks as JobQueue.add; any refusal sends the batch one by one, where it fails alone.
      return data.success && !job.jobId.includes(':')
        ? { name: syncResourceJob.name, data: data.data, opts: { ...syncResourceJob.options, jobId: job.jobId } }
        : null;
    });
    if (bulk.includes(null)) return oneByOne(jobs, one);
    try {
      await queue.queue(queueOf(syncResourceJob.name)).addBulk(bulk as NonNullable<(typeof bulk)[number]>[]);
      return jobs.map(() => ({ status: 'fulfilled', value: undefined }) as const);
    } catch {
      return oneByOne(jobs, one);
    }
  }, maxBatch);
  return (job) => batcher.add(job);
}
