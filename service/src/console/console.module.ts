import { Router } from 'express';
import type { Core } from '../core.js';
import { LAST_VERIFY_KEY } from '../ledger/ledger.module.js';
import type { ModuleContext, ServiceModule } from '../platform/module.js';

/** The queues whose health the wp-admin console shows. */
export const QUEUES = ['sync', 'consent', 'delivery', 'dsr', 'ledger'] as const;

/**
 * What the plugin's wp-admin console reads, signed like every plugin call: a ping for "test connection",
 * the ledger's head and last verification, and queue health. Nothing personal in any of it.
 */
export function consoleModule({ core, redis, queue, config, requireSigned, clock }: ModuleContext<Core>): ServiceModule {
  const router = Router()
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
