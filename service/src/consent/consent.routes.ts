import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { IssueUnsubscribeLink, RecordConsent, SuppressionCheck } from '../../../shared/src/contracts/consent.js';
import type { Clock } from '../platform/clock.js';
import { AppError } from '../platform/errors.js';
import { html, type Html } from '../platform/http/html.js';
import { withBody } from '../platform/http/with-body.js';
import { sensitive } from '../platform/sensitive.js';
import type { ConsentService } from './consent.service.js';
import { receiptSignatureValid } from './links.js';
import type { Messages } from './messages.sq.js';
import { bilingualPage } from './pages.js';
import type { PolicyVersions } from './policy-versions.js';
import { renderReceipt, type Receipts } from './receipts.js';
import type { Unsubscribe } from './unsubscribe.js';

export type ConsentRoutesDeps = {
  consent: ConsentService;
  policies: PolicyVersions;
  receipts: Receipts;
  unsubscribe: Unsubscribe;
  linkSecret: Buffer;
  clock: Clock;
  requireSigned: RequestHandler;
  requireAdmin: RequestHandler;
};

const AdminLookup = z.object({ email: z.email().max(254) });
const AdminWithdrawal = z.object({
  email: z.email().max(254),
  purposes: z.array(z.string().max(64)).min(1).max(16).default(['marketing']),
});
const EventId = z.string().regex(/^[0-9a-f]{32}$/);

/** The plugin's, the mailer's and people's consent endpoints (signed, admin or signed-link). */
export function consentRoutes(d: ConsentRoutesDeps): Router {
  const router = Router();

  router.post(
    '/v1/consents',
    d.requireSigned,
    withBody(RecordConsent, async (body, req, res) => {
      const { email, ...ids } = body.subject;
      const recorded = await d.consent.record(
        { ...body, subject: { ...ids, ...(email ? { email: sensitive(email) } : {}) } },
        `plugin/${req.signed!.messageId}`,
      );
      res.status(202).json(recorded);
    }),
  );

  router.get('/v1/policy/current', async (_req, res) => void res.json(await d.policies.current()));
  router.get('/v1/policy/versions', async (_req, res) => void res.json({ versions: await d.policies.list() }));
  router.get('/v1/policy/reconsent', d.requireAdmin, async (_req, res) => void res.json(await d.policies.reconsent()));

  router.get('/v1/consents/receipts/:id', async (req, res) => {
    const id = EventId.safeParse(req.params.id);
    if (!id.success || !receiptSignatureValid(d.linkSecret, id.data, req.query.exp, req.query.sig, d.clock.now()))
      throw new AppError('CONSENT_RECEIPT_NOT_FOUND');
    const receipt = await d.receipts.get(id.data);
    res.setHeader('cache-control', 'private, no-store');
    if (req.query.format === 'json' || req.accepts(['html', 'json']) === 'json') res.json(receipt);
    else res.type('html').send(renderReceipt(receipt));
  });

  router.post(
    '/v1/unsubscribe-links',
    d.requireSigned,
    withBody(IssueUnsubscribeLink, async (body, _req, res) => {
      res.status(201).json(await d.unsubscribe.issue(sensitive(body.email)));
    }),
  );

  router.post(
    '/v1/suppression/check',
    d.requireSigned,
    withBody(SuppressionCheck, async (body, _req, res) => {
      res.json({ marketing: (await d.consent.mayReceiveMarketing(sensitive(body.email))) ? 'yes' : 'no' });
    }),
  );

  router.get('/v1/subjects/consents', d.requireAdmin, async (req, res) => {
    const q = AdminLookup.safeParse(req.query);
    if (!q.success) throw new AppError('REQUEST_INVALID', { fields: z.flattenError(q.error).fieldErrors });
    const ref = d.consent.refsOf({ email: sensitive(q.data.email) })[0]!;
    const state = await d.consent.state(ref);
    res.json({ subject: ref, state, history: state.erased ? [] : await d.consent.history(ref) });
  });

  router.post(
    '/v1/subjects/consents/withdrawals',
    d.requireAdmin,
    withBody(AdminWithdrawal, async (body, req, res) => {
      const recorded = await d.consent.record(
        {
          subject: { email: sensitive(body.email) },
          source: 'admin',
          decisions: body.purposes.map((purpose) => ({ purpose, decision: 'denied' as const })),
          policyVersion: await d.consent.currentVersionLabel(),
          gpc: false,
          locale: 'sq',
          at: d.clock.now().toISOString(),
          operator: req.operator!.operator,
        },
        `admin/${req.operator!.tokenId}/${req.get('idempotency-key') ?? crypto.randomUUID()}`,
      );
      res.status(201).json(recorded);
    }),
  );

  router.use(unsubscribePages(d.unsubscribe));
  return router;
}

/** GET: a confirmation page (mail scanners follow links; they must not unsubscribe anyone). POST: RFC 8058 one-click. */
function unsubscribePages(unsubscribe: Unsubscribe): Router {
  const page = (status: number, body: (m: Messages) => Html) => ({
    status,
    text: bilingualPage((m) => m.unsubscribeTitle, body),
  });
  const invalid = page(404, (m) => html`<p>${m.unsubscribeInvalid}</p>`);
  const send = (res: express.Response, p: { status: number; text: string }) =>
    void res.status(p.status).type('html').setHeader('cache-control', 'no-store').send(p.text);

  return Router()
    .get('/v1/unsubscribe/:token', async (req, res) => {
      const token = String(req.params.token);
      const ok = await unsubscribe.resolve(token).then(
        () => true,
        () => false,
      );
      if (!ok) return send(res, invalid);
      send(
        res,
        page(
          200,
          (m) =>
            html`<p>${m.unsubscribeQuestion}</p><form method="post" action="/v1/unsubscribe/${token}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${m.unsubscribeButton}</button></form>`,
        ),
      );
    })
    .post('/v1/unsubscribe/:token', express.urlencoded({ extended: false, limit: '1kb' }), async (req, res) => {
      if ((req.body as Record<string, unknown> | undefined)?.['List-Unsubscribe'] !== 'One-Click')
        throw new AppError('REQUEST_INVALID', { fields: { 'List-Unsubscribe': ['must be One-Click (RFC 8058)'] } });
      const done = await unsubscribe.withdraw(String(req.params.token)).then(
        () => true,
        (err: unknown) => {
          if (err instanceof AppError && err.code === 'UNSUBSCRIBE_TOKEN_INVALID') return false;
          throw err;
        },
      );
      send(res, done ? page(200, (m) => html`<p>${m.unsubscribeDone}</p>`) : invalid);
    });
}
