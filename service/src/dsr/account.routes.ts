import { randomUUID } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Policy } from '../../../shared/src/policy/index.js';
import { withBody } from '../platform/http/with-body.js';
import { sensitive } from '../platform/sensitive.js';
import type { DsrStore } from './dsr-store.js';
import { planErasure } from './erasure-plan.js';
import type { DsrJobDeps, DsrJobSettings } from './jobs/step.js';

const AccountRequests = z.object({ email: z.email().max(254) });
const ErasurePreview = z.object({ email: z.email().max(254), locale: z.enum(['sq', 'en']).default('sq') });

/**
 * What the My Account privacy tab reads, signed by the plugin: the person's own requests (state,
 * deadline, receipt or download link when done) and, before an erasure is confirmed, what it would
 * keep and why — the erasure planner run on what the shop holds now, nothing changed, nothing stored.
 */
export function accountDsrRoutes(d: {
  store: DsrStore;
  policy: Policy;
  requireSigned: RequestHandler;
  deps: Pick<DsrJobDeps, 'ledger' | 'connector' | 'policy' | 'clock'> & {
    settings: Pick<DsrJobSettings, 'sessionMargin' | 'timeZone' | 'sessionMinutes'>;
  };
  exportUrl(id: string, expiresAt: string): string;
  receiptUrl(id: string, pass: number): string;
}): Router {
  const router = Router();

  router.post(
    '/v1/account/requests',
    d.requireSigned,
    withBody(AccountRequests, async (body, _req, res) => {
      const subject = d.deps.ledger.subjectRef(sensitive(body.email));
      const rows = (await d.store.list({ subject })).reverse().slice(0, 50);
      const items = [];
      for (const r of rows) {
        const receipts = r.kind === 'erasure' ? await d.store.receipts(r.id) : [];
        const x = r.kind === 'access' ? await d.store.getExport(r.id) : null;
        const last = receipts.at(-1);
        items.push({
          id: r.id,
          kind: r.kind,
          state: r.status,
          receivedAt: r.receivedAt,
          deadline: r.dueAt,
          completedAt: r.completedAt,
          wpRequestId: r.wpRequestId,
          ...(last ? { receiptUrl: d.receiptUrl(r.id, last.pass) } : {}),
          ...(x && !x.deletedAt ? { downloadUrl: d.exportUrl(r.id, x.expiresAt), downloadExpiresAt: x.expiresAt } : {}),
        });
      }
      res.json({ items });
    }),
  );

  router.post(
    '/v1/account/erasure-preview',
    d.requireSigned,
    withBody(ErasurePreview, async (body, _req, res) => {
      const { deps } = d;
      // A request id of its own (the plugin's bulk read takes a UUID); no request row is made.
      const collected = await deps.connector().collect(sensitive(body.email), randomUUID());
      const items = planErasure(collected, {
        policy: deps.policy,
        now: deps.clock.now(),
        sessionMargin: deps.settings.sessionMargin,
        timeZone: deps.settings.timeZone,
        sessionMinutes: deps.settings.sessionMinutes,
        fingerprint: () => '',
      });
      const kept = items
        .filter((i) => i.action === 'retain')
        .map((i) => {
          const rule = d.policy.retention.find((r) => r.id === i.hold);
          return {
            item: i.item,
            resource: i.resource,
            resourceId: i.resourceId,
            hold: i.hold,
            until: i.until,
            reason: rule ? rule.name[body.locale] : i.hold,
          };
        });
      res.json({
        orders: collected.orders.length,
        kept,
        erased: items.filter((i) => i.action === 'erase').length,
        anonymised: items.filter((i) => i.action === 'anonymise').length,
      });
    }),
  );
  return router;
}
