import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { JobQueue } from '../platform/queue/job-runtime.js';
import { TEST_REDIS_URL } from '../testing/databases.js';
import { deliveryBacklog, PROBE_SCHEDULER } from './backlog.js';
import { deliverJob, probeJob } from './delivery.js';

describe('the delivery backlog (pending deliveries to WordPress), on the real Redis', () => {
  const prefix = `pbb${randomBytes(3).toString('hex')}`;
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  const queue = new JobQueue(redis, prefix);
  afterAll(async () => {
    await queue.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it("counts deliveries waiting and waiting out a back-off, and not the probe's own scheduled run", async () => {
    const q = queue.queue('delivery');
    expect(await deliveryBacklog(queue)).toEqual({ waiting: 0, active: 0, delayed: 0 });
    await q.upsertJobScheduler(PROBE_SCHEDULER, { every: 60_000 }, { name: probeJob.name, data: {} });
    // The scheduler's next run is queued at once (no worker runs here), and is not a delivery.
    const scheduled = await q.getJobCounts('waiting', 'delayed');
    expect(scheduled.waiting! + scheduled.delayed!).toBe(1);
    expect(await deliveryBacklog(queue)).toEqual({ waiting: 0, active: 0, delayed: 0 });
    for (let i = 0; i < 3; i++)
      await queue.add(deliverJob, { target: 'consent', id: `c${i}` }, { jobId: `deliver-consent-c${i}` });
    await queue.add(deliverJob, { target: 'consent', id: 'later' }, { jobId: 'deliver-consent-later', delay: 60_000 });
    expect(await deliveryBacklog(queue)).toEqual({ waiting: 3, active: 0, delayed: 1 });
  });
});
