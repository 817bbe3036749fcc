import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { JobQueue } from '../platform/queue/job-runtime.js';
import { TEST_REDIS_URL } from '../testing/databases.js';
import { syncEnqueuer } from './sync-enqueue.js';

describe('syncEnqueuer (webhook deliveries of one event-loop turn as one addBulk)', () => {
  const prefix = `pbtest-${randomBytes(4).toString('hex')}`;
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  const queue = new JobQueue(redis, prefix);
  afterAll(async () => {
    await queue.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  const job = (id: number, jobId = `wh-order-updated-${id}-x`) => ({
    jobId,
    resource: 'order' as const,
    id,
    topic: 'order.updated',
    modified: null,
  });

  it('resolves every caller once its job is in Redis, keeps one job per id within a batch and across replays', async () => {
    const enqueue = syncEnqueuer(queue);
    const sent = Array.from({ length: 300 }, (_, i) => job((i % 250) + 1)); // 50 replays inside the batches
    await Promise.all(
      sent.map(async (j) => {
        await enqueue(j);
        // Acknowledged ⇒ in Redis: the job is readable the moment the caller's promise settles.
        expect(await queue.queue('sync').getJob(j.jobId)).toBeDefined();
      }),
    );
    await Promise.all(sent.slice(0, 100).map(enqueue)); // a later redelivery
    const counts = await queue.queue('sync').getJobCounts('waiting');
    expect(counts.waiting).toBe(250);
    const stored = await queue.queue('sync').getJob('wh-order-updated-7-x');
    expect(stored?.data).toEqual({ resource: 'order', id: 7, topic: 'order.updated' });
    expect(stored?.opts.attempts).toBe(8);
  });

  it('fails only the caller whose job is refused; the rest of its batch is queued', async () => {
    const enqueue = syncEnqueuer(queue);
    const results = await Promise.allSettled([
      enqueue(job(1001)),
      enqueue(job(-1, 'wh-bad')),
      enqueue(job(1002, 'wh:colon')),
      enqueue(job(1003)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(await queue.queue('sync').getJob('wh-order-updated-1003-x')).toBeDefined();
  });
});
