import { z } from 'zod';
import { defineJob } from '../../platform/queue/define-job.js';
import type { ConsentProjector } from '../consent-projector.js';

/**
 * Brings the consent projections up to the ledger. The payload is a ledger sequence number only;
 * the handler catches up from the stored cursor, so one run covers every entry appended before it,
 * a lost trigger is covered by the next one (or the minutely run), and a repeated run changes nothing.
 */
export const projectConsentJob = defineJob({
  name: 'consent.project',
  payload: z.object({ upToSeq: z.int().min(0) }),
  options: {
    attempts: 20,
    backoff: { type: 'exponential', delay: 500 },
    removeOnComplete: true,
    removeOnFail: { count: 1_000 },
  },
  handle: async (_payload, projector: ConsentProjector) => {
    await projector.catchUp();
  },
});

/** Triggers within one window share a job (its id is the window's), which runs just after the window ends. */
export const PROJECTION_WINDOW_MS = 20;
