import { Router } from 'express';
import type { Core } from '../core.js';
import type { SiteHealthView } from '../../../shared/src/contracts/site-health.js';
import { LAST_VERIFY_KEY, VERIFY_EVERY_MS } from '../ledger/ledger.module.js';
import { RECONCILE_CURSOR } from '../sync/jobs/reconcile.job.js';
import { SyncState } from '../sync/sync-state.js';
import type { ModuleContext, ServiceModule } from '../platform/module.js';

/** The queues whose health the wp-admin console shows. */
export const QUEUES = ['sync', 'consent', 'delivery', 'dsr', 'ledger'] as const;

/**
 * What operators and the plugin's wp-admin console read: Prometheus metrics (admin token), and, signed
 * like every plugin call, a ping for "test connection", the ledger's head and last verification, and
 * queue health, and what WordPress's Site Health screen checks. Nothing personal in any of it.
 */
export function consoleModule({ core, redis, queue, config, requireSigned, requireAdmin, clock, metrics }: ModuleContext<Core>): ServiceModule {
  metrics.gauge('pb_ledger_head_seq', 'The ledger head\'s sequence number', [], async (set) => set({}, (await core.ledger.head()).seq));
  metrics.gauge('pb_queue_jobs', 'Jobs per queue and state', ['queue', 'state'], async (set) => {
    for (const name of QUEUES) {
      const counts = await queue.queue(name).getJobCounts('waiting', 'active', 'delayed', 'failed');
      for (const [state, n] of Object.entries(counts)) set({ queue: name, state }, n);
    }
  });
  const lastVerify = async () => {
    const raw = await redis.get(`${config.queuePrefix}:${LAST_VERIFY_KEY}`);
    return raw ? (JSON.parse(raw) as { ok: boolean; at: string; checked: number; break?: { seq: number; reason: string } }) : null;
  };
  const syncState = new SyncState(core.db);
  const router = Router()
    .get('/metrics', requireAdmin, async (_req, res) => {
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    })
    .get('/v1/ping', requireSigned, (req, res) => {
      res.json({ status: 'ok', keyId: req.signed?.keyId, time: clock.now().toISOString() });
    })
    .get('/v1/ledger/status', requireSigned, async (_req, res) => {
      const head = await core.ledger.head();
      const last = await lastVerify();
      res.json({
        verified: last ? last.ok : null,
        verifiedAt: last?.at ?? null,
        checked: last?.checked ?? 0,
        break: last && !last.ok ? last.break : undefined,
        head,
      });
    })
    .get('/v1/admin/queues', requireSigned, async (_req, res) => {
      const queues = await Promise.all(
        QUEUES.map(async (name) => ({ name, ...(await queue.queue(name).getJobCounts('waiting', 'active', 'delayed', 'failed')) })),
      );
      res.json({ queues });
    })
    .get('/v1/site-health', requireSigned, async (_req, res) => {
      const last = await lastVerify();
      const reconciledAt = await syncState.cursorUpdatedAt(RECONCILE_CURSOR);
      const view: SiteHealthView = {
        time: clock.now().toISOString(),
        ledger: { verified: last ? last.ok : null, verifiedAt: last?.at ?? null, everySeconds: VERIFY_EVERY_MS / 1000 },
        sync: {
          reconciledAt: reconciledAt ? new Date(reconciledAt).toISOString() : null,
          everySeconds: config.sync.reconcileEverySeconds,
          store: config.woo.url ? 'woocommerce' : config.woo.demoStore ? 'demo' : 'none',
        },
      };
      res.json(view);
    });
  return { name: 'console', routers: [router] };
}
