import { defineJob } from '../../platform/queue/define-job.js';
import type { DsrService } from '../dsr.service.js';
import { StepPayload } from '../flows.js';
import { RECEIPT_TARGET, receiptDeliveryId } from '../links.js';
import { buildReceipt, certificateOf } from '../receipt.js';
import { runStep, type StepDeps, type DsrJobDeps } from './step.js';

type Needs = StepDeps & Pick<DsrJobDeps, 'clock' | 'policy' | 'deliver'> & { dsr: Pick<DsrService, 'transition'> };

/**
 * Erasure, step 5: the receipt, item by item, stored with its hash; the hash is ledgered as the
 * erasure certificate; WordPress e-mails it. A request the residue check failed gets no receipt.
 */
export const receiptJob = defineJob({
  name: 'dsr.receipt',
  payload: StepPayload,
  handle: (payload, deps: Needs, ctx) =>
    runStep('receipt', payload, deps, ctx, async (row) => {
      if (row.status !== 'in_progress') return { skipped: row.status };
      const items = await deps.store.items(row.id);
      const existing = (await deps.store.receipts(row.id)).find((r) => r.pass === payload.pass);
      const receipt = existing
        ? JSON.parse(existing.body)
        : buildReceipt(row.id, payload.pass, deps.clock.now().toISOString(), items, deps.policy);
      const certificate = existing?.hash ?? certificateOf(receipt);
      await deps.store.putReceipt(
        row.id,
        payload.pass,
        JSON.stringify(receipt),
        certificate,
        deps.clock.now().toISOString(),
      );
      // One receipt and one certificate per pass: a re-check round that ends clean after an earlier receipt does not send it again.
      const certificateKey = `dsr.erasure-certificate/${row.id}/${payload.pass}`;
      const resent = payload.round > 0 && (await deps.ledger.byKey(certificateKey)) !== null;
      await deps.ledger.record({
        key: certificateKey,
        kind: 'dsr.erasure-certificate',
        subject: row.subject as never,
        source: `request-${row.id}`,
        detail: { requestId: row.id, pass: payload.pass, sha256: certificate },
      });
      if (!resent) await deps.deliver(RECEIPT_TARGET, receiptDeliveryId(row.id, payload.pass));
      const retained = items.some((i) => i.action === 'retain' && i.releasedPass === null);
      await deps.dsr.transition(row.id, retained ? 'partially_completed' : 'completed', 'system/dsr.receipt');
      return { certificate, retained };
    }),
});
