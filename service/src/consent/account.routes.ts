import type { Clock } from '../platform/clock.js';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Ledger } from '../ledger/index.js';
import { ERASED } from '../ledger/index.js';
import { withBody } from '../platform/http/with-body.js';
import { sensitive } from '../platform/sensitive.js';
import { CONSENT_RECORDED, ConsentDetail } from './consent-projector.js';
import type { ConsentService } from './consent.service.js';
import { receiptPath } from './links.js';

/** Who the My Account page asks about: the logged-in customer's e-mail and user id. */
export const AccountLookup = z.object({
  email: z.email().max(254),
  wpUserId: z.int().min(1).max(2_147_483_647).optional(),
});

const ORDER_SOURCE = /^order-(\d{1,10})$/;

/**
 * The My Account privacy tab's one signed read: the person's consent state per purpose, every consent
 * event with its policy version, order and receipt link, and the ids of the orders filed under the
 * person's linked refs (guest orders placed before the account existed included). One call per page
 * view, whatever the number of orders.
 */
export function accountConsentRoutes(d: {
  consent: ConsentService;
  ledger: Ledger;
  linkSecret: Buffer;
  clock: Clock;
  requireSigned: RequestHandler;
}): Router {
  return Router().post(
    '/v1/account/consents',
    d.requireSigned,
    withBody(AccountLookup, async (body, _req, res) => {
      const refs = d.consent.refsOf({
        email: sensitive(body.email),
        ...(body.wpUserId ? { wpUserId: body.wpUserId } : {}),
      });
      const state = await d.consent.state(refs[0]!);
      if (state.erased) return void res.json({ state, history: [], orderIds: [] });
      const seen = new Set<string>();
      const history: unknown[] = [];
      const orderIds = new Set<number>();
      for (const ref of refs) {
        for (const e of await d.ledger.timeline(ref)) {
          if (seen.has(e.key)) continue;
          seen.add(e.key);
          const order = ORDER_SOURCE.exec(e.source ?? '');
          if (order) orderIds.add(Number(order[1]));
          if (e.kind !== CONSENT_RECORDED || !e.detail || e.personal === ERASED) continue;
          const c = ConsentDetail.parse(e.detail);
          history.push({
            eventId: c.eventId,
            at: e.at,
            source: c.source,
            decisions: c.decisions,
            effects: c.effects,
            gpc: c.gpc,
            policyVersion: c.policyVersion,
            ...(c.orderId !== undefined ? { orderId: c.orderId } : {}),
            receiptPath: receiptPath(d.linkSecret, c.eventId, d.clock.now()),
          });
        }
      }
      history.sort((a, b) => ((a as { at: string }).at < (b as { at: string }).at ? 1 : -1));
      res.json({ state, history: history.slice(0, 200), orderIds: [...orderIds].sort((a, b) => b - a).slice(0, 500) });
    }),
  );
}
