import type { Redis } from 'ioredis';
import { ErasureReceiptPush, ExportReadyPush } from '../../../shared/src/contracts/dsr.js';
import { loadPolicy, type Policy } from '../../../shared/src/policy/index.js';
import type { Delivery } from '../delivery/index.js';
import type { Ledger, MasterKeyring } from '../ledger/index.js';
import type { Clock } from '../platform/clock.js';
import type { Database } from '../platform/db/database.js';
import { AppError } from '../platform/errors.js';
import type { ModuleContext, ServiceModule } from '../platform/module.js';
import { bind, type JobBinding, type JobQueue } from '../platform/queue/job-runtime.js';
import type { WooClient } from '../woocommerce/index.js';
import type { ShopConnector } from './connectors/connector.js';
import { PluginConnector } from './connectors/plugin.js';
import { WooRestConnector } from './connectors/woocommerce-rest.js';
import { DsrStore } from './dsr-store.js';
import { OPEN_STATUSES } from './dsr-rules.js';
import { dsrRoutes } from './dsr.routes.js';
import { accountDsrRoutes } from './account.routes.js';
import { privacyToolsRoutes } from './privacy-tools.routes.js';
import { DsrService, type Actor, type DsrSettings } from './dsr.service.js';
import type { DsrRow } from './dsr-store.js';
import { DsrFlows } from './flow-producer.js';
import { stepsOf, type StepRetry } from './flows.js';
import { dsrLinks, EXPORT_READY_TARGET, parseReceiptDeliveryId, RECEIPT_TARGET } from './links.js';
import { assembleJob } from './jobs/assemble.job.js';
import { checkResidueJob } from './jobs/check-residue.job.js';
import { collectJob } from './jobs/collect.job.js';
import { deadlinesJob } from './jobs/deadlines.job.js';
import { deliverExportJob } from './jobs/deliver-export.job.js';
import { executeErasureJob } from './jobs/execute-erasure.job.js';
import { expireExportsJob } from './jobs/expire-exports.job.js';
import { planErasureJob } from './jobs/plan-erasure.job.js';
import { receiptJob } from './jobs/receipt.job.js';
import { rectifyJob } from './jobs/rectify.job.js';
import { releaseHoldsJob } from './jobs/release-holds.job.js';
import { shredJob } from './jobs/shred.job.js';
import type { DsrJobDeps, DsrJobSettings } from './jobs/step.js';

export type DsrParts = ReturnType<typeof createDsr>;

/** What DSR takes of the core: the database, the ledger and its keyring, the secret that signs people's links. */
export type DsrCore = {
  readonly db: Database;
  readonly ledger: Ledger;
  readonly keyring: MasterKeyring;
  readonly linkSecret: Buffer;
};

/** What DSR reads of the configuration (DSR_*, and the shop's clock, DATA_DIR, PUBLIC_URL, QUEUE_PREFIX, WOOCOMMERCE_CONCURRENCY). */
export type DsrConfig = {
  readonly queuePrefix: string;
  readonly dataDir: string;
  readonly publicUrl: string;
  readonly dsr: DsrSettings &
    Pick<DsrJobSettings, 'sessionMargin' | 'exportLinkHours' | 'attempts' | 'backoffMs'> & {
      readonly viaPlugin: boolean;
      readonly erasePageWaitMs: number;
    };
  readonly sync: { readonly timeZone: string; readonly sessionMinutes: number };
  readonly woo: { readonly concurrency: number };
};

/** The DSR settings, read from the configuration the one way `start` and the `dsr` commands share. */
export const dsrSettings = (config: Pick<DsrConfig, 'dsr' | 'sync' | 'dataDir' | 'publicUrl'>) => ({
  ...config.dsr,
  timeZone: config.sync.timeZone,
  sessionMinutes: config.sync.sessionMinutes,
  dataDir: config.dataDir,
  publicUrl: config.publicUrl,
});

/**
 * The requests themselves — their store, their flows on Redis, the service that opens and moves them,
 * the links sent to the person — without workers or a shop: what `start` (through createDsr) and the
 * `dsr` commands both build.
 */
export function dsrRequests(p: {
  core: DsrCore;
  clock: Clock;
  redis: Redis;
  prefix: string;
  settings: DsrSettings & StepRetry & { publicUrl: string };
}) {
  const store = new DsrStore(p.core.db);
  const flows = new DsrFlows(p.redis, p.prefix, p.settings);
  const dsr = new DsrService({
    store,
    ledger: p.core.ledger,
    keyring: p.core.keyring,
    clock: p.clock,
    settings: p.settings,
    start: (row) => flows.start(row.kind, row.id, row.pass),
  });
  /** `dsr retry`: the request's current flow, restarted on Redis from what retry.ts decides. */
  const retry = (row: DsrRow, actor: Actor) =>
    dsr.retry(row.id, actor, stepsOf(row.kind, row.pass), (r, steps, n, round) =>
      flows.restart(steps, r.id, r.pass, n, round),
    );
  return { store, flows, dsr, retry, links: dsrLinks(p.settings.publicUrl, p.core.linkSecret) };
}

/** Everything DSR needs, wired from explicit parts (compose and the test harness both use it). */
export function createDsr(
  p: Parameters<typeof dsrRequests>[0] & {
    settings: DsrSettings & Omit<DsrJobSettings, 'linkSecret'>;
    woo: WooClient | null;
    delivery: Delivery;
    queue: JobQueue;
    viaPlugin: boolean;
    policy?: Policy;
    afterSideEffects?: (step: string) => void;
    /** WOOCOMMERCE_CONCURRENCY: the notes requests in flight, and what `dsr show`'s estimate assumes. */
    wooConcurrency: number;
  },
) {
  const policy = p.policy ?? loadPolicy();
  const {
    store,
    flows,
    dsr,
    links: { exportUrl, receiptUrl },
  } = dsrRequests(p);
  const rest = p.woo ? new WooRestConnector(p.woo, p.wooConcurrency) : null;
  const connector = (): ShopConnector => {
    if (!rest) throw new AppError('DSR_CONNECTOR_UNAVAILABLE');
    return p.viaPlugin ? new PluginConnector(p.delivery, rest) : rest;
  };
  const settings: DsrJobSettings = { ...p.settings, linkSecret: p.core.linkSecret };
  // What the jobs use between them; each job's type names its own share, checked where it is bound below.
  const deps: DsrJobDeps = {
    dsr,
    store,
    ledger: p.core.ledger,
    keyring: p.core.keyring,
    policy,
    clock: p.clock,
    settings,
    connector,
    deliver: async (target, id) => void (await p.delivery.enqueue(p.queue, target, id)),
    startPass: (row, pass) => flows.start('erasure', row.id, pass),
    redisContaining: (needles) => redisContaining(p.redis, p.prefix, needles),
    afterSideEffects: p.afterSideEffects,
  };
  // Bodies are built when the delivery job runs, read by id from our database: the e-mail never waits in Redis.
  p.delivery.register(EXPORT_READY_TARGET, async (id) => {
    const row = await store.get(id);
    const x = await store.getExport(id);
    if (!row || !x || x.deletedAt) return null;
    return {
      route: 'dsr/export-ready',
      body: ExportReadyPush.parse({
        requestId: id,
        ...(row.wpRequestId ? { wpRequestId: row.wpRequestId } : {}),
        email: dsr.email(row).reveal(),
        url: exportUrl(id, x.expiresAt),
        expiresAt: x.expiresAt,
        locale: row.locale,
      }),
    };
  });
  p.delivery.register(RECEIPT_TARGET, async (key) => {
    const { requestId: id, pass } = parseReceiptDeliveryId(key);
    const row = await store.get(id);
    const receipt = (await store.receipts(id)).find((r) => r.pass === pass);
    if (!row || !receipt) return null;
    return {
      route: 'dsr/erasure-receipt',
      body: ErasureReceiptPush.parse({
        requestId: id,
        ...(row.wpRequestId ? { wpRequestId: row.wpRequestId } : {}),
        email: dsr.email(row).reveal(),
        pass,
        url: receiptUrl(id, pass),
        certificate: receipt.hash,
        locale: row.locale,
      }),
    };
  });
  const jobs: JobBinding[] = [
    bind(collectJob, deps),
    bind(assembleJob, deps),
    bind(deliverExportJob, deps),
    bind(planErasureJob, deps),
    bind(executeErasureJob, deps),
    bind(shredJob, deps),
    bind(checkResidueJob, deps),
    bind(receiptJob, deps),
    bind(rectifyJob, deps),
    bind(deadlinesJob, deps),
    bind(releaseHoldsJob, deps),
    bind(expireExportsJob, deps),
  ];
  return { policy, store, dsr, flows, deps, jobs, connector, exportUrl, receiptUrl };
}

/** Keys under our prefix whose job data, return value or failure reason mentions a needle. */
export async function redisContaining(redis: Redis, prefix: string, needles: readonly string[]): Promise<string[]> {
  const wanted = needles.map((n) => n.toLowerCase()).filter((n) => n.length >= 5);
  if (wanted.length === 0) return [];
  const hits: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      const text =
        type === 'hash'
          ? JSON.stringify(await redis.hmget(key, 'data', 'returnvalue', 'failedReason', 'stacktrace'))
          : type === 'string'
            ? String(await redis.get(key))
            : '';
      if (wanted.some((n) => text.toLowerCase().includes(n))) hits.push(key);
    }
  } while (cursor !== '0');
  return hits;
}

/** DSR in the running service: routes, the step jobs, and three schedules (deadlines, holds, expiry). */
export function dsrModule(
  ctx: ModuleContext<DsrCore, DsrConfig>,
  woo: WooClient | null,
  delivery: Delivery,
): ServiceModule {
  const { config, core, clock, queue, redis, requireSigned, requireAdmin, metrics } = ctx;
  const store = new DsrStore(core.db);
  metrics.gauge('pb_dsr_requests', 'Data-subject requests by state', ['state'], async (set) => {
    for (const [state, n] of await store.countByStatus()) set({ state }, n);
  });
  metrics.gauge(
    'pb_dsr_open_requests_by_deadline',
    'Open requests by deadline window (overdue, due within DSR_WARN_DAYS, later)',
    ['window'],
    async (set) => {
      const d = await store.deadlines(OPEN_STATUSES, clock.now(), config.dsr.warnDays, 0);
      set({ window: 'overdue' }, d.overdue);
      set({ window: 'due-soon' }, d.dueSoon);
      set({ window: 'later' }, d.open - d.overdue - d.dueSoon);
    },
  );
  const parts = createDsr({
    core,
    clock,
    redis,
    prefix: config.queuePrefix,
    woo,
    delivery,
    queue,
    viaPlugin: config.dsr.viaPlugin,
    wooConcurrency: config.woo.concurrency,
    settings: dsrSettings(config),
  });
  return {
    name: 'dsr',
    routers: [
      dsrRoutes({
        ...parts,
        linkSecret: core.linkSecret,
        keyring: core.keyring,
        ledger: core.ledger,
        clock,
        requireSigned,
        requireAdmin,
      }),
      privacyToolsRoutes({ ...parts, ledger: core.ledger, requireSigned, eraseWaitMs: config.dsr.erasePageWaitMs }),
      accountDsrRoutes({ ...parts, requireSigned }),
    ],
    jobs: parts.jobs,
    async schedule(q) {
      const dsrQueue = q.queue('dsr');
      await dsrQueue.upsertJobScheduler(
        'dsr-deadlines-hourly',
        { every: 3_600_000 },
        { name: deadlinesJob.name, data: {} },
      );
      await dsrQueue.upsertJobScheduler(
        'dsr-release-holds-hourly',
        { every: 3_600_000 },
        { name: releaseHoldsJob.name, data: {} },
      );
      await dsrQueue.upsertJobScheduler(
        'dsr-expire-exports-hourly',
        { every: 3_600_000 },
        { name: expireExportsJob.name, data: {} },
      );
    },
    close: () => parts.flows.close(),
  };
}
