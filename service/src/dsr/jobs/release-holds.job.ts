import { z } from 'zod';
import { defineJob } from '../../platform/queue/define-job.js';
import type { ItemRow } from '../dsr-store.js';
import type { DsrService } from '../dsr.service.js';
import { heldOrders, releaseHolds } from '../hold-release.js';
import type { DsrJobDeps, DsrJobSettings } from './step.js';

type Needs = Pick<DsrJobDeps, 'store' | 'ledger' | 'policy' | 'clock' | 'connector' | 'startPass'> & {
  dsr: Pick<DsrService, 'transition'>;
  settings: Pick<DsrJobSettings, 'sessionMargin' | 'timeZone' | 'sessionMinutes'>;
};

/**
 * Scheduled: retained items whose hold ended (or whose hold has no known end, re-checked: an open
 * order that was since paid or closed) are planned again against the shop's current data; what no
 * hold keeps any more becomes a new erasure pass with its own flow and its own receipt.
 */
export const releaseHoldsJob = defineJob({
  name: 'dsr.release-holds',
  payload: z.object({}),
  async handle(_payload, deps: Needs, { log }) {
    const now = deps.clock.now();
    const due = await deps.store.retainedDue(now.toISOString());
    const byRequest = new Map<string, ItemRow[]>();
    for (const i of due) byRequest.set(i.requestId, [...(byRequest.get(i.requestId) ?? []), i]);
    let passes = 0;
    for (const [requestId, retained] of byRequest) {
      const row = await deps.store.get(requestId);
      if (!row || row.status !== 'partially_completed') continue;
      const pass = row.pass + 1;
      const fresh = new Map((await deps.connector().orders(heldOrders(retained))).map((o) => [o.id, o]));
      const { settings, policy, ledger } = deps;
      const opts = {
        policy,
        now,
        sessionMargin: settings.sessionMargin,
        timeZone: settings.timeZone,
        sessionMinutes: settings.sessionMinutes,
        fingerprint: (v: unknown) => ledger.fingerprint(JSON.parse(JSON.stringify(v ?? null))),
      };
      const { next, released } = releaseHolds(retained, fresh, pass, opts);
      if (released.length === 0) continue;
      await deps.store.putItems(requestId, pass, next);
      await deps.store.releaseItems(requestId, released, pass);
      await deps.ledger.record({
        key: `dsr.hold-released/${requestId}/p${pass}`,
        kind: 'dsr.hold-released',
        subject: row.subject as never,
        source: `request-${requestId}`,
        detail: { requestId, pass, released },
      });
      const moved = await deps.dsr.transition(requestId, 'in_progress', 'system/dsr.release-holds', { pass });
      await deps.startPass(moved, pass);
      passes++;
    }
    log.info({ passes, due: due.length }, 'dsr holds checked');
    return { passes };
  },
});
