import { Redis } from 'ioredis';
import type { Config } from './config.js';
import { openCore } from './core.js';
import { verifyLedgerJob } from './ledger/jobs/verify-ledger.job.js';
import { pingDatabase } from './platform/db/database.js';
import { pendingMigrations } from './platform/db/migrate.js';
import { buildApp } from './platform/http/build-app.js';
import { healthRoutes } from './platform/http/health.routes.js';
import type { Logger } from './platform/log/logger.js';
import { JobQueue, startWorkers, type WorkerSet } from './platform/queue/job-runtime.js';
import { MIGRATIONS } from './core.js';

const LAST_VERIFY_KEY = 'ledger:last-verify';

/** The composition root: the only place adapters are constructed. */
export async function compose(config: Config, log: Logger) {
  const core = await openCore(config, log);
  // HTTP callers fail fast when Redis is down; workers wait for it (BullMQ requires null retries).
  const producer = new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, keyPrefix: '' });
  const workerConnection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  for (const r of [producer, workerConnection]) r.on('error', (err) => log.warn({ err }, 'redis connection error'));
  const queue = new JobQueue(producer, config.queuePrefix);
  const stateKey = (key: string) => `${config.queuePrefix}:${key}`;

  const jobDeps = {
    ledger: core.ledger,
    saveVerification: async (result: object) => {
      await producer.set(stateKey(LAST_VERIFY_KEY), JSON.stringify(result));
    },
  };

  const app = buildApp({
    log,
    routers: [
      healthRoutes({
        database: async () => {
          await pingDatabase(core.db).catch(() => Promise.reject(new Error('unreachable')));
        },
        migrations: async () => {
          const pending = await pendingMigrations(core.db, MIGRATIONS);
          if (pending.length > 0) throw new Error(`pending: ${pending.join(', ')}`);
        },
        redis: async () => {
          if ((await producer.ping().catch(() => null)) !== 'PONG') throw new Error('unreachable');
        },
      }),
    ],
  });

  let workers: WorkerSet | null = null;
  return {
    app,
    ledger: core.ledger,
    queue,
    async startWorkers() {
      workers = startWorkers({ jobs: [verifyLedgerJob], deps: jobDeps, connection: workerConnection, prefix: config.queuePrefix, log });
      await queue.queue('ledger').upsertJobScheduler('ledger-verify-hourly', { every: 60 * 60 * 1000 }, { name: verifyLedgerJob.name, data: {} });
    },
    /** Finishes running jobs (their locks are released), then closes every connection. */
    async close() {
      await workers?.close();
      await queue.close();
      await Promise.allSettled([producer.quit(), workerConnection.quit()]);
      await core.close();
    },
  };
}
