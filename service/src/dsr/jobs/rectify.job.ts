import { defineJob } from '../../platform/queue/define-job.js';
import type { DsrService } from '../dsr.service.js';
import { StepPayload } from '../flows.js';
import { certificateOf } from '../receipt.js';
import { runStep, type StepDeps, type DsrJobDeps } from './step.js';

const OPEN = new Set(['pending', 'on-hold', 'processing', 'failed', 'checkout-draft']);

type Needs = StepDeps &
  Pick<DsrJobDeps, 'connector' | 'policy' | 'clock'> & {
    dsr: Pick<DsrService, 'email' | 'corrections' | 'transition'>;
  };

/**
 * Rectification: the corrected fields go to the customer and to open orders; paid orders keep their
 * invoice fields (the accounting hold), which the receipt says. The receipt (ids and field names, no
 * corrected value) is stored with its SHA-256, and the hash is ledgered as the rectification
 * certificate, as an erasure's is. A retry after a crash reuses the stored receipt: one of each.
 */
export const rectifyJob = defineJob({
  name: 'dsr.rectify',
  payload: StepPayload,
  handle: (payload, deps: Needs, ctx) =>
    runStep('rectify', payload, deps, ctx, async (row) => {
      const connector = deps.connector();
      const collected = await connector.collect(deps.dsr.email(row), row.id);
      // The policy decides: with an accounting retention rule, closed orders keep their invoice fields; without one, they are corrected too.
      const keepInvoices = deps.policy.retention.some((r) => r.id === 'accounting');
      const open = collected.orders.filter((o) => OPEN.has(o.status) || !keepInvoices).map((o) => o.id);
      const kept = collected.orders.filter((o) => !OPEN.has(o.status) && keepInvoices).map((o) => o.id);
      const corrections = deps.dsr.corrections(row);
      await connector.rectify({ customerId: collected.customer?.id ?? null, orderIds: open }, corrections);
      const fields = Object.keys(corrections.reveal()).sort();
      const existing = (await deps.store.receipts(row.id)).find((r) => r.pass === 1);
      const receipt = existing
        ? (JSON.parse(existing.body) as object)
        : {
            requestId: row.id,
            pass: 1,
            issuedAt: deps.clock.now().toISOString(),
            policyVersion: deps.policy.version.label,
            items: [
              ...(collected.customer
                ? [{ item: `customer-${collected.customer.id}`, action: 'rectified', fields, hold: null, until: null }]
                : []),
              ...open.map((id) => ({ item: `order-${id}`, action: 'rectified', fields, hold: null, until: null })),
              ...kept.map((id) => ({
                item: `order-${id}`,
                action: 'retained',
                fields,
                hold: 'accounting',
                until: null,
                note: 'invoice-fields-kept',
              })),
            ],
          };
      const certificate = existing?.hash || certificateOf(receipt);
      await deps.store.putReceipt(row.id, 1, JSON.stringify(receipt), certificate, deps.clock.now().toISOString());
      await deps.ledger.record({
        key: `dsr.rectification-certificate/${row.id}/1`,
        kind: 'dsr.rectification-certificate',
        subject: row.subject as never,
        source: `request-${row.id}`,
        detail: { requestId: row.id, pass: 1, sha256: certificate },
      });
      await deps.dsr.transition(row.id, 'completed', 'system/dsr.rectify');
      return {
        fields,
        customer: collected.customer !== null,
        ordersUpdated: open,
        invoiceFieldsKept: kept,
        certificate,
      };
    }),
});
