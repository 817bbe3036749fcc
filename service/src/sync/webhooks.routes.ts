import { createHash } from 'node:crypto';
import express, { Router } from 'express';
import { AppError } from '../platform/errors.js';
import type { Logger } from '../platform/log/logger.js';
import type { SyncJob } from './webhook-inbox.js';
import { DeliveryRef, isKnownTopic } from '../woocommerce/index.js';
import { isCreationPing, verifyWooSignature } from './verify-signature.js';

export type WebhookDeps = {
  /** Every active webhook secret (rotation: old and new both verify). */
  secrets(): Promise<readonly string[]>;
  /**
   * Durably keeps the sync of one resource: resolves once Redis has it ('queued', or nothing) or,
   * with Redis away, once the database's inbox has it ('kept'). Repeated ids are no-ops.
   */
  enqueue(job: SyncJob): Promise<void | 'queued' | 'kept'>;
  log: Logger;
  maxBodyBytes?: number;
  /** Counts each delivery's outcome (an enum: pong, refused, malformed, ignored, queued). */
  count?(outcome: 'pong' | 'refused' | 'malformed' | 'ignored' | 'queued' | 'kept' | 'unavailable'): void;
};

const RETRY_AFTER_S = 30;

/**
 * POST /webhooks/woocommerce. Order of checks: size (413) → creation ping (200) → signature over
 * the raw bytes (401) → JSON (400) → topic (unknown: 200, ignored) → enqueue → 200.
 * It acknowledges only after the job is in Redis or, Redis away, in the database's inbox, so a 200 is
 * never a lost delivery; when neither can keep it, 503 with Retry-After (WooCommerce counts a failure,
 * but nothing was acknowledged).
 */
export function webhookRoutes(deps: WebhookDeps): Router {
  const raw = express.raw({ type: () => true, limit: deps.maxBodyBytes ?? 1024 * 1024 });
  return Router().post('/webhooks/woocommerce', raw, async (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!req.get('x-wc-webhook-signature') && isCreationPing(req.get('content-type'), body)) {
      deps.count?.('pong');
      res.status(200).json({ status: 'pong' });
      return;
    }
    if (!verifyWooSignature(body, req.get('x-wc-webhook-signature'), await deps.secrets())) {
      deps.count?.('refused');
      throw new AppError('WEBHOOK_SIGNATURE_INVALID');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      deps.count?.('malformed');
      throw new AppError('BODY_MALFORMED');
    }
    const topic = req.get('x-wc-webhook-topic') ?? '';
    if (!isKnownTopic(topic)) {
      deps.log.info({ topic: topic.slice(0, 64) }, 'webhook topic ignored');
      deps.count?.('ignored');
      res.status(200).json({ status: 'ignored' });
      return;
    }
    const ref = DeliveryRef.safeParse(parsed);
    if (!ref.success) {
      deps.count?.('malformed');
      throw new AppError('REQUEST_INVALID', { reason: 'delivery has no resource id' });
    }
    const resource = topic.startsWith('order.') ? 'order' : 'customer';
    // X-WC-Webhook-Delivery-ID is not unique (1-second resolution): deduplicate on what was delivered.
    const modified = ref.data.date_modified_gmt ?? null;
    const digest = createHash('sha256').update(body).digest('hex').slice(0, 16);
    // A deletion body is only {id}: the delivery id (1-second resolution) tells two deletions apart.
    const when = modified ?? req.get('x-wc-webhook-delivery-id') ?? '';
    const jobId = `wh-${topic.replace('.', '-')}-${ref.data.id}-${when.replace(/[^0-9a-z]/gi, '').slice(0, 40)}-${digest}`;
    let where: void | 'queued' | 'kept';
    try {
      where = await deps.enqueue({ jobId, resource, id: ref.data.id, topic, modified });
    } catch (err) {
      deps.count?.('unavailable');
      res.set('Retry-After', String(RETRY_AFTER_S));
      throw new AppError('WEBHOOK_NOT_KEPT', undefined, { cause: err });
    }
    const status = where === 'kept' ? 'kept' : 'queued';
    deps.count?.(status);
    res.status(200).json({ status });
  });
}
