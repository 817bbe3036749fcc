import { Router, type RequestHandler } from 'express';
import { ConsentSearch, type ConsentSearchResult } from '../../../shared/src/contracts/console.js';
import { withBody } from '../platform/http/with-body.js';
import { sensitive } from '../platform/sensitive.js';
import type { ConsentService } from './consent.service.js';

/**
 * POST /v1/admin/consents/search (ConsentSearch → ConsentSearchResult in shared/src/contracts/console.ts),
 * signed, for the plugin's wp-admin console: every consent event of the address (all linked refs),
 * newest first, one row per purpose with the decision it took effect as (GPC may have turned a grant
 * into a denial). Nothing after a shred: the person's data key is gone, and so is the log's link to
 * them. The address is POSTed, never in a URL.
 */
export function consentSearchRoutes(d: {
  consent: Pick<ConsentService, 'refsOf' | 'state' | 'history'>;
  requireSigned: RequestHandler;
}): Router {
  return Router().post(
    '/v1/admin/consents/search',
    d.requireSigned,
    withBody(ConsentSearch, async (body, _req, res) => {
      const ref = d.consent.refsOf({ email: sensitive(body.email) })[0]!;
      const state = await d.consent.state(ref);
      const answer: ConsentSearchResult = state.erased
        ? { erased: true, items: [] }
        : {
            erased: false,
            items: (await d.consent.history(ref))
              .flatMap((e) =>
                e.effects.map((x) => ({ purpose: x.purpose, decision: x.decision, source: e.source, at: e.at })),
              )
              .reverse(),
          };
      res.json(answer);
    }),
  );
}
