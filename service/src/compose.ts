import { Redis } from 'ioredis';
import type { Config } from './config.js';
import { MIGRATIONS, openCore, type Core } from './core.js';
import { consoleModule } from './operators/index.js';
import { ledgerModule } from './ledger/index.js';
import { consentModule } from './consent/index.js';
import { dsrModule } from './dsr/index.js';
import { Delivery, deliveryModule } from './delivery/index.js';
import { openWooStore, syncModule, WebhookSecrets } from './sync/index.js';
import { startDemoPlugin } from './demo-plugin.js';
import { systemClock, type Clock } from './platform/clock.js';
import { checkDatabaseWritable } from './platform/db/database.js';
import { AppError } from './platform/errors.js';
import { pendingMigrations } from './platform/db/migrate.js';
import { buildApp } from './platform/http/build-app.js';
import { healthRoutes } from './platform/http/health.routes.js';
import { rateLimiters } from './platform/http/rate-limits.js';
import { homeRoutes } from './platform/http/home.routes.js';
import { requireSignedRequest } from './platform/http/signed-request.js';
import type { Logger } from './platform/log/logger.js';
import { createMetrics } from './platform/metrics.js';
import type { ModuleContext, ServiceModule } from './platform/module.js';
import { JobQueue, startWorkers, type WorkerSet } from './platform/queue/job-runtime.js';
import { RedisMessageGuard } from './platform/queue/redis-message-guard.js';
import { keepSchedules } from './platform/queue/keep-schedules.js';
import { startTasks } from './platform/periodic.js';
import { queueOf } from './platform/queue/define-job.js';
import { alertsModule } from './alerts/index.js';

/** The composition root: the only place adapters are constructed and capabilities are put together. */
export async function compose(config: Config, log: Logger, clock: Clock = systemClock) {
  const core = await openCore(config, log, clock);
  // HTTP callers fail fast when Redis is down; workers wait for it (BullMQ requires null retries).
  // Reconnect attempts at most a second apart: a restarted Redis is used again within a second of answering.
  const retryStrategy = (times: number) => Math.min(times * 100, 1_000);
  const redis = new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy });
  const workerConnection = new Redis(config.redisUrl, { maxRetriesPerRequest: null, retryStrategy });
  for (const r of [redis, workerConnection]) r.on('error', (err) => log.warn({ err }, 'redis connection error'));
  const queue = new JobQueue(redis, config.queuePrefix);

  const metrics = createMetrics();
  const context: ModuleContext<Core, Config> = {
    config,
    log,
    clock,
    core,
    queue,
    redis,
    requireSigned: requireSignedRequest({
      keys: () => config.pluginKeys,
      guard: new RedisMessageGuard(redis, config.queuePrefix),
      clock,
    }),
    requireAdmin: core.adminTokens.middleware(),
    metrics,
  };
  // One line per capability.
  const woo = await openWooStore(config, log);
  // On the demo store with no WordPress configured, "WordPress" is the demo's plugin double (demo-plugin.ts).
  const demoPlugin =
    woo?.demoData && config.dsr.viaPlugin && !config.wordpressUrl
      ? await startDemoPlugin(woo.client, woo.demoData)
      : null;
  const webhookSecrets = WebhookSecrets.configured(core, config);
  const delivery = demoPlugin
    ? new Delivery({ wordpressUrl: demoPlugin.url, key: demoPlugin.key, clock })
    : Delivery.configured(config, clock);
  const working: ServiceModule[] = [
    ledgerModule(context),
    consoleModule(context, { alerts: () => alerts.firing() }),
    syncModule(context, woo, webhookSecrets),
    consentModule(context, delivery),
    dsrModule(context, woo?.client ?? null, delivery),
    deliveryModule(context, delivery),
  ];
  // Failed jobs alert in every queue a module works.
  const queues = [...new Set(working.flatMap((m) => (m.jobs ?? []).map((b) => queueOf(b.job.name))))].sort();
  const alerts = alertsModule(context, queues);
  const modules: ServiceModule[] = [...working, alerts];

  const health = healthRoutes({
    database: () =>
      checkDatabaseWritable(core.db, clock.now()).catch((err: unknown) =>
        Promise.reject(
          new Error(
            core.db.dialect === 'sqlite'
              ? `not writable: ${err instanceof Error ? err.message : 'failed'}`
              : 'unreachable',
          ),
        ),
      ),
    migrations: async () => {
      if (core.db.dialect === 'sqlite' && core.db.guard?.check(true))
        throw new Error('not checked: the database files are not usable');
      const pending = await pendingMigrations(core.db, MIGRATIONS);
      if (pending.length > 0) throw new Error(`pending: ${pending.join(', ')}`);
    },
    redis: async () => {
      if ((await redis.ping().catch(() => null)) !== 'PONG') throw new Error('unreachable');
    },
  });
  // SQLite's files are looked at before the database is touched (see StorageGuard): a broken -shm is a 503, not a SIGBUS.
  const guard = core.db.dialect === 'sqlite' ? core.db.guard : null;
  guard?.onFailure((reason) =>
    log.error(
      { reason },
      'storage not usable: refusing requests and jobs until the files are fixed and the service restarted',
    ),
  );
  const watchdog = guard ? setInterval(() => guard.check(), 1_000).unref() : null;
  const storageGate: import('express').RequestHandler = (_req, res, next) => {
    if (!guard?.check()) return next();
    res.setHeader('retry-after', '30');
    next(new AppError('STORAGE_UNAVAILABLE'));
  };
  const app = buildApp({
    metrics,
    log,
    early: [health],
    limits: rateLimiters(config.rateLimitScale),
    before: [storageGate],
    rawRouters: modules.flatMap((m) => m.rawRouters ?? []),
    routers: [homeRoutes(), ...modules.flatMap((m) => m.routers ?? [])],
  });

  let workers: WorkerSet | null = null;
  const stops: (() => Promise<void> | void)[] = [];
  return {
    app,
    core,
    queue,
    alerts,
    /** Called once the HTTP server listens: the demo store learns where to deliver its webhooks. */
    async afterListen(url: string) {
      if (woo?.subscribeDemo)
        await woo.subscribeDemo(`${url}/webhooks/woocommerce`, await webhookSecrets.rotate(clock.now()));
    },
    async startWorkers() {
      workers = startWorkers({
        bindings: modules.flatMap((m) => m.jobs ?? []),
        connection: workerConnection,
        prefix: config.queuePrefix,
        log,
        metrics,
        beforeJob: () => guard?.assertUsable(),
      });
      // Registered now, and again whenever Redis comes back without them (restarted empty, flushed).
      const schedules = keepSchedules({
        redis,
        prefix: config.queuePrefix,
        log,
        register: async () => {
          for (const m of modules) await m.schedule?.(queue);
        },
      });
      stops.push(
        () => schedules.stop(),
        startTasks(
          modules.flatMap((m) => m.tasks ?? []),
          log,
        ),
      );
      if (!(await schedules.check(true)))
        throw new Error('scheduled jobs could not be registered: Redis is not answering');
    },
    /** Finishes running jobs (their locks are released), then closes every connection. */
    /** The storage problem that stopped the database being used, if any (start exits 2 on it). */
    storageFailure: () => guard?.failure ?? null,
    async close() {
      if (watchdog) clearInterval(watchdog);
      await Promise.allSettled(stops.map((stop) => stop()));
      await workers?.close();
      await Promise.allSettled([...modules.map((m) => m.close?.()), demoPlugin?.close()]);
      await queue.close();
      await Promise.allSettled([redis.quit(), workerConnection.quit()]);
      await core.close();
    },
  };
}
