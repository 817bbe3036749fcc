import { Router } from 'express';
import type { Core } from '../core.js';
import { LAST_VERIFY_KEY } from '../ledger/ledger.module.js';
import type { ModuleContext, ServiceModule } from '../platform/module.js';

/** The queues whose health the wp-admin console shows. */
export const QUEUES = ['sync', 'consent', 'delivery', 'dsr', 'ledger'] as const;

/**
 * What operators and the plugin's wp-admin console read: Prometheus metrics (admin token), and, signed
 * like every plugin call, a ping for "test connection", the ledger's head and last verification, and
 * queue health. Nothing personal in any of it.
 */
export function consoleModule({ core, redis, queue, config, requireSigned, requireAdmin, clock, metrics }: ModuleContext<Core>): ServiceModule {
  metrics.gauge('pb_ledger_head_seq', 'The ledger head\'s sequence number', [], async (set) => set({}, (await core.ledger.head()).seq));
  metrics.gauge('pb_queue_jobs', 'Jobs per queue and state', ['queue', 'state'], async (set) => {
    for (const name of QUEUES) {
      const counts = await queue.queue(name).getJobCounts('waiting', 'active', 'delayed', 'failed');
      for (const [state, n] of Object.entries(counts)) set({ queue: name, state }, n);
    }
  });
  const router = Router()
    .get('/metrics', requireAdmin, async (_req, res) => {
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    })
    .get('/v1/ping', requireSigned, (req, res) => {
      res.json({ status: 'ok', keyId: req.signed?.keyId, time: clock.now().toISOString() });
    })
    .get('/v1/ledger/status', requireSigned, async (_req, res) => {
      const head = await core.ledger.head();
      const raw = await redis.get(`${config.queuePrefix}:${LAST_VERIFY_KEY}`);
      const last = raw ? (JSON.parse(raw) as { ok: boolean; at: string; checked: number; break?: { seq: number; reason: string } }) : null;
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
    });
  return { name: 'console', routers: [router] };
}
