import { z } from 'zod';
import { defineJob } from '../../platform/queue/define-job.js';
import type { Ledger } from '../ledger.service.js';
import type { VerifyResult } from '../chain.js';

export type VerifyLedgerDeps = {
  ledger: Ledger;
  saveVerification(result: VerifyResult & { at: string }): Promise<void>;
};

/** Scheduled: walks the whole chain and keeps the verdict (no personal data in it) for operators. */
export const verifyLedgerJob = defineJob({
  name: 'ledger.verify',
  payload: z.object({}).strict(),
  options: { attempts: 3, backoff: { type: 'exponential', delay: 10_000 }, removeOnComplete: 100, removeOnFail: 100 },
  async handle(_payload, deps: VerifyLedgerDeps, { log }) {
    const result = await deps.ledger.verify();
    await deps.saveVerification({ ...result, at: new Date().toISOString() });
    if (result.ok) log.info({ checked: result.checked, seq: result.head.seq }, 'ledger verified');
    else log.error({ seq: result.break.seq, reason: result.break.reason }, 'LEDGER CHAIN BROKEN');
    return { ok: result.ok, checked: result.checked };
  },
});
