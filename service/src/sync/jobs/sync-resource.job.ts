import { z } from 'zod';
import { defineJob } from '../../platform/queue/define-job.js';
import type { SyncService } from '../sync.service.js';

/** Syncs one order or customer. Ids only: the resource is fetched from WooCommerce, never carried in Redis. */
export const syncResourceJob = defineJob({
  name: 'sync.resource',
  payload: z
    .object({
      resource: z.enum(['order', 'customer']),
      id: z.number().int().positive(),
      topic: z.string().max(64).optional(),
    })
    .strict(),
  // Completed jobs stay a day: a redelivered webhook with the same job id is a no-op at the queue.
  options: {
    attempts: 8,
    backoff: { type: 'exponential', delay: 2_000 },
    removeOnComplete: { age: 86_400, count: 100_000 },
    removeOnFail: { age: 7 * 86_400 },
  },
  async handle({ resource, id, topic }, deps: { sync: SyncService }, { log }) {
    // A deletion delivery still fetches: WooCommerce answers 404 for a deleted resource and the trash state otherwise.
    const outcome = await deps.sync.sync(resource, id);
    log.debug({ resource, id, topic, outcome }, 'resource synced');
    return { outcome };
  },
});
