import type { JobQueue } from '../platform/queue/job-runtime.js';
import { probeJob } from './delivery.js';

/** The probe's scheduler (delivery.module.ts): its jobs share the delivery queue but are not deliveries. */
export const PROBE_SCHEDULER = 'delivery-probe-minutely';

/** Deliveries to WordPress not yet delivered nor given up, by state (delayed: waiting out a retry's back-off). */
export type DeliveryBacklog = { waiting: number; active: number; delayed: number };

/**
 * The delivery queue's counts without the probe's own jobs (at most its next run and one running):
 * a handful of Redis calls whatever the backlog, never a walk over the jobs.
 */
export async function deliveryBacklog(queue: JobQueue): Promise<DeliveryBacklog> {
  const q = queue.queue('delivery');
  const [counts, active, scheduler] = await Promise.all([
    q.getJobCounts('waiting', 'prioritized', 'active', 'delayed'),
    q.getActive(0, 99),
    q.getJobScheduler(PROBE_SCHEDULER),
  ]);
  const backlog: DeliveryBacklog = {
    waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
    active: (counts.active ?? 0) - active.filter((j) => j.name === probeJob.name).length,
    delayed: counts.delayed ?? 0,
  };
  if (scheduler?.next) {
    const next = await q.getJobState(`repeat:${PROBE_SCHEDULER}:${scheduler.next}`);
    if (next === 'delayed') backlog.delayed--;
    else if (next === 'waiting' || next === 'prioritized') backlog.waiting--;
  }
  return {
    waiting: Math.max(0, backlog.waiting),
    active: Math.max(0, backlog.active),
    delayed: Math.max(0, backlog.delayed),
  };
}
