import type { Database } from '../platform/db/database.js';
import type { ModuleContext, ServiceModule } from '../platform/module.js';
import { deliveryBacklog, PROBE_SCHEDULER } from './backlog.js';
import { DeadLetters } from './dead-letters.js';
import { deliveryJobs, probeJob, type Delivery } from './delivery.js';

/** Service → WordPress: the delivery jobs, dead letters of those that gave up, and a minutely probe that re-drives them. */
export function deliveryModule(
  ctx: ModuleContext<{ readonly db: Database }, unknown>,
  delivery: Delivery,
): ServiceModule {
  const deadLetters = new DeadLetters(ctx.core.db);
  ctx.metrics.gauge(
    'pb_delivery_dead_letters',
    'Deliveries to WordPress that gave up and wait to be re-driven, by reason',
    ['reason'],
    async (set) => {
      for (const reason of ['refused', 'retries-exhausted']) set({ reason }, 0);
      for (const { reason, n } of await deadLetters.count()) set({ reason }, n);
    },
  );
  ctx.metrics.gauge(
    'pb_delivery_pending',
    'Deliveries to WordPress not yet delivered nor given up, by state (delayed: waiting out a retry back-off)',
    ['state'],
    async (set) => {
      for (const [state, n] of Object.entries(await deliveryBacklog(ctx.queue))) set({ state }, n);
    },
  );
  return {
    name: 'delivery',
    jobs: deliveryJobs({ delivery, deadLetters, queue: ctx.queue, now: () => ctx.clock.now() }),
    async schedule(q) {
      await q
        .queue('delivery')
        .upsertJobScheduler(PROBE_SCHEDULER, { every: 60_000 }, { name: probeJob.name, data: {} });
    },
  };
}
