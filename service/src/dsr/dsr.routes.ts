import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import {
  CreateDsrRequest,
  ExtendDeadline,
  RecordDisclosure,
  RefuseRequest,
} from '../../../shared/src/contracts/dsr.js';
import type { Policy } from '../../../shared/src/policy/index.js';
import type { Ledger, MasterKeyring } from '../ledger/index.js';
import type { Clock } from '../platform/clock.js';
import { AppError } from '../platform/errors.js';
import { withBody } from '../platform/http/with-body.js';
import { sensitive } from '../platform/sensitive.js';
import type { DsrRow, DsrStore } from './dsr-store.js';
import type { DsrService } from './dsr.service.js';
import { unchangeableOf } from './dsr-rules.js';
import { exportLinkValid, receiptSignatureValid } from './links.js';
import { renderReceipt, type Receipt } from './receipt.js';
import { readSealed } from './sealed-file.js';

export type DsrRoutesDeps = {
  dsr: DsrService;
  store: DsrStore;
  policy: Policy;
  ledger: Ledger;
  keyring: MasterKeyring;
  linkSecret: Buffer;
  clock: Clock;
  requireSigned: RequestHandler;
  requireAdmin: RequestHandler;
};

const Id = z.uuid();
const idOf = (raw: unknown) => {
  const id = Id.safeParse(raw);
  if (!id.success) throw new AppError('DSR_REQUEST_NOT_FOUND');
  return id.data;
};

/** A request's public view: states, dates and counts; never the e-mail. */
export async function viewOf(row: DsrRow, store: DsrStore) {
  const items = await store.items(row.id);
  const count = (a: string) => items.filter((i) => i.action === a).length;
  const unchangeable = unchangeableOf(row.id, items);
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    receivedAt: row.receivedAt,
    dueAt: row.dueAt,
    extended: row.extendedAt !== null,
    extensionReason: row.extensionReason,
    completedAt: row.completedAt,
    reason: row.reason,
    flag: row.flag,
    stuck: row.stuckStep ? { step: row.stuckStep, reason: row.stuckReason } : null,
    pass: row.pass,
    wpRequestId: row.wpRequestId,
    identity: row.identityMethod,
    items: { erase: count('erase'), anonymise: count('anonymise'), retain: count('retain') },
    receipts: (await store.receipts(row.id)).map((r) => ({ pass: r.pass, certificate: r.hash, at: r.createdAt })),
    ...(unchangeable ? { unchangeable } : {}),
  };
}

/** Requests from the plugin (signed) or an admin, admin operations, the receipt page, the export download, disclosures. */
export function dsrRoutes(d: DsrRoutesDeps): Router {
  const router = Router();
  // The plugin signs; an admin entering a request that came by e-mail or letter uses an admin token.
  const signedOrAdmin: RequestHandler = (req, res, next) =>
    (req.headers.authorization ? d.requireAdmin : d.requireSigned)(req, res, next);
  const actor = (req: { operator?: { operator: string }; signed?: { keyId: string } }) =>
    req.operator ? `admin/${req.operator.operator}` : `plugin/${req.signed?.keyId ?? 'unknown'}`;

  router.post(
    '/v1/requests',
    signedOrAdmin,
    withBody(CreateDsrRequest, async (body, req, res) => {
      const natural = req.signed
        ? `plugin/${req.signed.messageId}`
        : req.get('idempotency-key')
          ? `admin/${req.operator!.operator}/${req.get('idempotency-key')}`
          : undefined;
      // The WordPress user who acted in wp-admin is named (by id) in every ledger entry of the opening, not only the plugin's key.
      const who = req.signed && body.wpUserId ? `${actor(req)}/wp-user:${body.wpUserId}` : actor(req);
      const row = await d.dsr.open(body, who, natural);
      res.status(202).json({ id: row.id, status: row.status, dueAt: row.dueAt });
    }),
  );

  router.get('/v1/requests/:id', d.requireAdmin, async (req, res) => {
    res.json(await viewOf(await d.dsr.get(idOf(req.params.id)), d.store));
  });
  router.post('/v1/requests/:id/verify', d.requireAdmin, async (req, res) => {
    res.json(await viewOf(await d.dsr.verify(idOf(req.params.id), actor(req)), d.store));
  });
  router.post(
    '/v1/requests/:id/extend',
    d.requireAdmin,
    withBody(ExtendDeadline, async (body, req, res) => {
      res.json(await viewOf(await d.dsr.extend(idOf(req.params.id), actor(req), body.months, body.reason), d.store));
    }),
  );
  router.post(
    '/v1/requests/:id/refuse',
    d.requireAdmin,
    withBody(RefuseRequest, async (body, req, res) => {
      res.json(await viewOf(await d.dsr.refuse(idOf(req.params.id), actor(req), body.reason), d.store));
    }),
  );

  router.get('/v1/requests/:id/receipts/:pass', async (req, res) => {
    const id = Id.safeParse(req.params.id);
    const pass = Number(req.params.pass);
    if (!id.success || !Number.isInteger(pass) || !receiptSignatureValid(d.linkSecret, id.data, pass, req.query.sig))
      throw new AppError('DSR_RECEIPT_NOT_FOUND');
    const receipt = (await d.store.receipts(id.data)).find((r) => r.pass === pass);
    if (!receipt) throw new AppError('DSR_RECEIPT_NOT_FOUND');
    res.setHeader('cache-control', 'private, no-store');
    if (req.query.format === 'json') res.json({ receipt: JSON.parse(receipt.body), certificate: receipt.hash });
    else
      res
        .type('html')
        .send(
          renderReceipt(
            JSON.parse(receipt.body) as Receipt,
            receipt.hash,
            d.policy,
            (await d.store.get(id.data))?.kind === 'rectification' ? 'rectification' : 'erasure',
          ),
        );
  });

  router.get('/v1/exports/:id', async (req, res) => {
    const id = Id.safeParse(req.params.id);
    const x = id.success ? await d.store.getExport(id.data) : null;
    const now = d.clock.now();
    if (!exportLinkValid(d.linkSecret, x, req.query, now)) throw new AppError('DSR_EXPORT_NOT_FOUND');
    const key = Buffer.from(d.keyring.openSecret(x.keySealed, x.masterKeyId, `export:${x.id}`), 'base64');
    const zip = await readSealed(x.file, key, `export:${x.id}`);
    await d.ledger.record({
      key: `dsr.export-downloaded/${x.id}/${now.getTime()}`,
      kind: 'dsr.export-downloaded',
      subject: x.subject as never,
      source: `request-${x.requestId}`,
      detail: { requestId: x.requestId, bytes: zip.length },
    });
    res.setHeader('cache-control', 'private, no-store');
    res.setHeader('content-disposition', `attachment; filename="personal-data-${x.id}.zip"`);
    res.type('application/zip').send(zip);
  });

  router.post(
    '/v1/disclosures',
    d.requireAdmin,
    withBody(RecordDisclosure, async (body, req, res) => {
      const at = body.at ?? d.clock.now().toISOString();
      const id = d.ledger.fingerprint({ ...body, operator: req.operator!.operator });
      const entries = await d.ledger.recordMany(
        body.subjects.map((email) => {
          const subject = d.ledger.subjectRef(sensitive(email));
          return {
            key: `disclosure.recorded/${id}/${subject}`,
            kind: 'disclosure.recorded',
            subject,
            purpose: 'legal-obligations',
            legalBasis: 'legal-obligation',
            categories: body.categories,
            source: `disclosure-${id}`,
            at,
            detail: { recipient: 'authorities', role: 'authority', actor: `admin/${req.operator!.operator}` },
            personal: sensitive({
              recipient: body.recipient,
              legalBasis: body.legalBasis,
              ...(body.reference ? { reference: body.reference } : {}),
            }),
          };
        }),
      );
      res.status(201).json({ id, subjects: entries.length });
    }),
  );

  return router;
}
