import { z } from 'zod';
import { defineJob } from '../../platform/queue/define-job.js';
import type { DsrService } from '../dsr.service.js';

type Needs = { dsr: Pick<DsrService, 'flagDeadlines'> };

/** Scheduled: flags requests due within the warning window and overdue ones (each flag ledgered once). */
export const deadlinesJob = defineJob({
  name: 'dsr.deadlines',
  payload: z.object({}),
  async handle(_payload, deps: Needs, { log }) {
    const counts = await deps.dsr.flagDeadlines();
    log.info(counts, 'dsr deadlines checked');
    return counts;
  },
});
