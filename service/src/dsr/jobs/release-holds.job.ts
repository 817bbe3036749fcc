import { z } from 'zod';
import { defineJob } from '../../platform/queue/define-job.js';
import { planOrder, type PlanItem } from '../erasure-plan.js';
import type { ItemRow } from '../dsr-store.js';
import type { DsrJobDeps } from './step.js';

/**
 * Scheduled: retained items whose hold ended (or whose hold has no known end, re-checked: an open
 * order that was since paid or closed) are planned again against the shop's current data; what no
 * hold keeps any more becomes a new erasure pass with its own flow and its own receipt.
 */
export const releaseHoldsJob = defineJob({
  name: 'dsr.release-holds',
  payload: z.object({}),
  async handle(_payload, deps: DsrJobDeps, { log }) {
    const now = deps.clock.now();
    const due = await deps.store.retainedDue(now.toISOString());
    const byRequest = new Map<string, ItemRow[]>();
    for (const i of due) byRequest.set(i.requestId, [...(byRequest.get(i.requestId) ?? []), i]);
    let passes = 0;
    for (const [requestId, retained] of byRequest) {
      const row = await deps.store.get(requestId);
      if (!row || row.status !== 'partially_completed') continue;
      const pass = row.pass + 1;
      const fresh = new Map((await deps.connector().orders(retained.filter((i) => i.resource !== 'customer' && i.resource !== 'booking').map((i) => i.resourceId!))).map((o) => [o.id, o]));
      const { settings, policy, ledger } = deps;
      const opts = { policy, now, sessionMargin: settings.sessionMargin, timeZone: settings.timeZone, sessionMinutes: settings.sessionMinutes, fingerprint: (v: unknown) => ledger.fingerprint(JSON.parse(JSON.stringify(v ?? null))) };
      const next: PlanItem[] = [];
      const released: string[] = [];
      for (const item of retained) {
        if (item.resource === 'customer' || item.resource === 'booking') {
          if (item.until === null) continue; // an account kept for an open order: released with the order
          next.push({ ...item, item: `${item.item}@${pass}`, action: 'erase', hold: null, until: null, fingerprints: {} });
          released.push(item.item);
          continue;
        }
        const order = fresh.get(item.resourceId!);
        if (!order) { released.push(item.item); continue; } // deleted in the shop meanwhile
        const replanned = planOrder(order, [], opts).filter((p) => p.fields.some((f) => item.fields.includes(f)) || (item.resource === 'order-notes' && p.resource === 'order-notes'));
        if (replanned.some((p) => p.action === 'retain' && p.hold === item.hold && p.until === item.until)) continue; // still held as before
        released.push(item.item);
        for (const p of replanned) next.push({ ...p, item: `${p.item}@${pass}`, fields: p.resource === 'order-notes' ? p.fields : p.fields.filter((f) => item.fields.includes(f)) });
      }
      // An account kept only for orders that are all released now goes too.
      const accountHeld = retained.find((i) => i.resource === 'customer' && i.until === null);
      if (accountHeld && released.length === retained.length - 1) {
        next.push({ ...accountHeld, item: `${accountHeld.item}@${pass}`, action: 'erase', hold: null, until: null, fingerprints: {} });
        released.push(accountHeld.item);
      }
      if (released.length === 0) continue;
      await deps.store.putItems(requestId, pass, next);
      await deps.store.releaseItems(requestId, released, pass);
      await deps.ledger.record({ key: `dsr.hold-released/${requestId}/p${pass}`, kind: 'dsr.hold-released', subject: row.subject as never, source: `request-${requestId}`, detail: { requestId, pass, released } });
      const moved = await deps.dsr.transition(requestId, 'in_progress', 'system/dsr.release-holds', { pass });
      await deps.startPass(moved, pass);
      passes++;
    }
    log.info({ passes, due: due.length }, 'dsr holds checked');
    return { passes };
  },
});
