import { z } from 'zod';
import { ConsentDecision, ConsentSource } from './consent.js';

/**
 * What the plugin's wp-admin console (wp-plugin/includes/Admin/Console.php) reads from the service,
 * signed: the ledger's state, the queues' health and one person's consent log. The request list is
 * AdminRequestList in dsr.ts. Ids, counts, enums and times only — the e-mail a search sends is the
 * one personal value, and it travels in a POST body. The console reads no field these do not define.
 */

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** GET /v1/ledger/status — the chain's head and its last verification (null: not verified yet). */
export const LedgerStatusView = z.object({
  verified: z.boolean().nullable(),
  verifiedAt: z.iso.datetime().nullable(),
  /** Entries the last verification checked. */
  checked: z.int().min(0),
  /** Where the last verification found the chain broken (only when `verified` is false). */
  break: z
    .object({
      seq: z.int().min(0),
      reason: z.enum([
        'missing-entry',
        'out-of-order',
        'prev-hash-mismatch',
        'hash-mismatch',
        'truncated',
        'head-mismatch',
      ]),
      detail: z.string().max(500),
    })
    .optional(),
  head: z.object({ seq: z.int().min(0), hash: Sha256Hex, at: z.string().max(40).nullable() }),
});
export type LedgerStatusView = z.infer<typeof LedgerStatusView>;

/** The service's job queues, as operators and the console watch them. */
export const QueueName = z.enum(['sync', 'consent', 'delivery', 'dsr', 'ledger']);

/** GET /v1/admin/queues — jobs per state in every queue. */
export const QueueHealthList = z.object({
  queues: z.array(
    z.object({
      name: QueueName,
      waiting: z.int().min(0),
      active: z.int().min(0),
      delayed: z.int().min(0),
      failed: z.int().min(0),
    }),
  ),
});
export type QueueHealthList = z.infer<typeof QueueHealthList>;

/**
 * POST /v1/plugin/heartbeat — the plugin's own outbox as it stands (what WordPress has not yet delivered to
 * the service), sent every five minutes by its recurring WP-Cron event. Counts and ages only.
 */
export const PluginHeartbeat = z
  .object({
    outbox: z
      .object({
        /** Messages still being retried. */
        pending: z.int().min(0).max(10_000_000),
        /** Messages the service refused (kept a while, no longer retried). */
        refused: z.int().min(0).max(10_000_000),
        /** Age of the oldest pending message; null when none waits. */
        oldestAgeSeconds: z
          .int()
          .min(0)
          .max(10 * 365 * 86_400)
          .nullable(),
      })
      .strict(),
  })
  .strict();
export type PluginHeartbeat = z.infer<typeof PluginHeartbeat>;

/** POST /v1/admin/consents/search — the console's search by address (POSTed: never in a URL or an access log). */
export const ConsentSearch = z.object({ email: z.email().max(254) });
export type ConsentSearch = z.infer<typeof ConsentSearch>;

/**
 * Its answer: one row per purpose of every consent event of the address, newest first, with the
 * decision it took effect as (GPC may have turned a grant into a denial). Nothing after an erasure.
 */
export const ConsentSearchResult = z.object({
  erased: z.boolean(),
  items: z.array(
    z.object({ purpose: z.string().max(64), decision: ConsentDecision, source: ConsentSource, at: z.string().max(40) }),
  ),
});
export type ConsentSearchResult = z.infer<typeof ConsentSearchResult>;
