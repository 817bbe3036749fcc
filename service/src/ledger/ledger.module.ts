import type { ModuleContext, ServiceModule } from '../platform/module.js';
import { bind } from '../platform/queue/job-runtime.js';
import { verifyLedgerJob } from './jobs/verify-ledger.job.js';
import type { Ledger } from './ledger.service.js';

export const LAST_VERIFY_KEY = 'ledger:last-verify';
/** How often the running service verifies its ledger. */
export const VERIFY_EVERY_MS = 60 * 60 * 1000;

export type LedgerModuleContext = ModuleContext<{ readonly ledger: Ledger }, { readonly queuePrefix: string }>;

/** The ledger in the running service: an hourly self-verification whose verdict operators can read. */
export function ledgerModule({ core, redis, config }: LedgerModuleContext): ServiceModule {
  return {
    name: 'ledger',
    jobs: [
      bind(verifyLedgerJob, {
        ledger: core.ledger,
        saveVerification: async (result) => {
          await redis.set(`${config.queuePrefix}:${LAST_VERIFY_KEY}`, JSON.stringify(result));
        },
      }),
    ],
    async schedule(queue) {
      await queue
        .queue('ledger')
        .upsertJobScheduler(
          'ledger-verify-hourly',
          { every: VERIFY_EVERY_MS },
          { name: verifyLedgerJob.name, data: {} },
        );
    },
  };
}
