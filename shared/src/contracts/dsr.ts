import { z } from 'zod';

/**
 * Data-subject requests on the wire (policy §5): what the plugin (or an admin) sends to open a request,
 * and the two plugin routes the service calls under `privacy-bridge/v1` — the bulk read (a page of
 * orders with their notes in one call) and the erase command (WooCommerce's own order anonymiser plus
 * what it misses), with its item-by-item answer. Every message is signed (signed-transport.ts).
 * Exported to draft-04 JSON Schema by scripts/export-contracts.ts: keep to keywords WordPress validates.
 */

export const DSR_KINDS = ['access', 'erasure', 'rectification'] as const;
export const DsrKind = z.enum(DSR_KINDS);
export type DsrKind = z.infer<typeof DsrKind>;

/** How the person's identity was checked before the request was opened. */
export const IDENTITY_METHODS = [
  'wordpress-email-confirmation',
  'logged-in-account',
  'email-reply',
  'document-checked',
  'letter-signed',
  'not-verified',
] as const;

const WpId = z.int().min(1).max(2_147_483_647);

/** Fields a person may correct: the customer's and their open orders' billing fields. */
export const Corrections = z.object({
  first_name: z.string().min(1).max(100).optional(),
  last_name: z.string().min(1).max(100).optional(),
  company: z.string().max(100).optional(),
  address_1: z.string().max(200).optional(),
  address_2: z.string().max(200).optional(),
  city: z.string().max(100).optional(),
  state: z.string().max(50).optional(),
  postcode: z.string().max(20).optional(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  phone: z
    .string()
    .regex(/^[+0-9 ()-]{3,30}$/)
    .optional(),
});
export type Corrections = z.infer<typeof Corrections>;

/** POST /v1/requests — signed by the plugin, or sent by an admin for a request received by email or letter. */
export const CreateDsrRequest = z.object({
  kind: DsrKind,
  email: z.email().max(254),
  /** The WordPress `user_request` post id, when the request came through WordPress's privacy tools. */
  wpRequestId: WpId.optional(),
  /**
   * The WordPress user who acted in wp-admin: started the request there (Tools → Erase/Export Personal Data)
   * or had it processed. A user id, never a name or e-mail; the service ledgers it in the request's actor
   * (`plugin/<key id>/wp-user:<id>`). Absent when only the person acted (My Account, the e-mailed link).
   */
  wpUserId: WpId.optional(),
  identity: z.object({
    verified: z.boolean(),
    method: z.enum(IDENTITY_METHODS),
  }),
  /** Required for rectification (checked by the service: DSR_CORRECTIONS_MISSING). */
  corrections: Corrections.optional(),
  locale: z.enum(['sq', 'en']).optional(),
  /** When the request was received, if earlier than now (a letter); ISO-8601 UTC. */
  receivedAt: z.iso.datetime({ offset: false }).optional(),
});
export type CreateDsrRequest = z.infer<typeof CreateDsrRequest>;

export const DSR_STATUSES = [
  'received',
  'verified',
  'in_progress',
  'completed',
  'partially_completed',
  'needs_attention',
  'refused',
] as const;
export const DsrStatus = z.enum(DSR_STATUSES);
export type DsrStatus = z.infer<typeof DsrStatus>;

export const DsrRequestCreated = z.object({ id: z.uuid(), status: DsrStatus, dueAt: z.string() });

export const ExtendDeadline = z.object({ months: z.int().min(1).max(12), reason: z.string().min(5).max(500) });
export const RefuseRequest = z.object({ reason: z.string().min(5).max(500) });

/** POST /v1/disclosures — an admin records a disclosure to an authority (policy §3). */
export const RecordDisclosure = z.object({
  recipient: z.string().min(2).max(200),
  legalBasis: z.string().min(2).max(200),
  categories: z
    .array(z.string().regex(/^[a-z0-9-]{1,64}$/))
    .min(1)
    .max(32),
  subjects: z.array(z.email().max(254)).min(1).max(1000),
  reference: z.string().max(200).optional(),
  at: z.iso.datetime({ offset: false }).optional(),
});
export type RecordDisclosure = z.infer<typeof RecordDisclosure>;

// ---- plugin routes the service calls ---------------------------------------------------------

/** POST privacy-bridge/v1/dsr/bulk-read — one page of a subject's orders, each with its notes. */
export const BulkReadQuery = z.object({
  requestId: z.uuid(),
  email: z.email().max(254),
  page: z.int().min(1).max(100_000),
  perPage: z.int().min(1).max(500),
});
export type BulkReadQuery = z.infer<typeof BulkReadQuery>;

const WooObject = z.looseObject({ id: z.int() });
export const BulkReadPage = z.object({
  /** The WooCommerce customer (wc/v3 shape) on page 1, when one has this e-mail. */
  customer: WooObject.nullable(),
  /** Orders by billing e-mail or customer id, wc/v3 shape, each with `notes` (wc/v3 note shape). */
  orders: z.array(WooObject),
  bookings: z.array(WooObject),
  page: z.int(),
  totalPages: z.int(),
});
export type BulkReadPage = z.infer<typeof BulkReadPage>;

/** Order fields the erase command may anonymise (WooCommerce's anonymiser writes its placeholders). */
export const ERASABLE_ORDER_FIELDS = [
  'billing.first_name',
  'billing.last_name',
  'billing.company',
  'billing.address_1',
  'billing.address_2',
  'billing.city',
  'billing.state',
  'billing.postcode',
  'billing.country',
  'billing.email',
  'billing.phone',
  'shipping.first_name',
  'shipping.last_name',
  'shipping.company',
  'shipping.address_1',
  'shipping.address_2',
  'shipping.city',
  'shipping.state',
  'shipping.postcode',
  'shipping.country',
  'shipping.phone',
  'customer_ip_address',
  'customer_user_agent',
  'customer_note',
  'customer_id',
  'transaction_id',
] as const;
export const ErasableField = z.enum(ERASABLE_ORDER_FIELDS);

/** POST privacy-bridge/v1/dsr/erase — what to do to each order and to the account. Idempotent per requestId. */
export const EraseCommand = z.object({
  requestId: z.uuid(),
  pass: z.int().min(1).max(100),
  orders: z
    .array(
      z.object({
        id: WpId,
        anonymise: z.array(ErasableField).max(ERASABLE_ORDER_FIELDS.length),
        /** Order meta keys to delete (custom checkout and booking meta). */
        deleteMetaKeys: z.array(z.string().min(1).max(255)).max(200),
        /** Line-item meta keys to delete (booking date, time, psychologist…). */
        deleteItemMetaKeys: z.array(z.string().min(1).max(255)).max(200),
        deleteNotes: z.boolean(),
        /**
         * The holds that keep this order (policy retention ids, each with its ISO end or null while an open
         * order has none). A held order is not marked erased: WooCommerce's anonymiser (`_anonymized`, its
         * "Personal data removed." note, deleting the notes) is not run on it, only the fields named above
         * change, and it gets one order note naming each hold and its end, in the shop's language.
         * Absent or empty: nothing holds it.
         */
        holds: z
          .array(
            z.object({
              id: z.string().regex(/^[a-z0-9-]{1,64}$/),
              until: z.iso.datetime({ offset: false }).nullable(),
            }),
          )
          .max(10)
          .optional(),
      }),
    )
    .max(500),
  /** Delete the WordPress user (and WooCommerce customer) when nothing holds it. */
  deleteAccount: z.object({ customerId: WpId }).nullable(),
  /** WooCommerce Bookings records to delete (past sessions). */
  deleteBookings: z.array(WpId).max(5000),
  /** Delete product reviews written with this e-mail (invisible to WordPress's comment eraser). */
  reviewsByEmail: z.email().max(254).nullable(),
});
export type EraseCommand = z.infer<typeof EraseCommand>;

export const EraseOutcome = z.enum(['done', 'not-found', 'failed']);
export const EraseCommandResult = z.object({
  requestId: z.uuid(),
  orders: z.array(
    z.object({
      id: z.int(),
      outcome: EraseOutcome,
      anonymised: z.array(z.string()),
      /** Fields the connector could not change (REST: IP address and user agent are read-only). */
      unchangeable: z.array(z.string()),
      deletedMetaKeys: z.array(z.string()),
      notesDeleted: z.int().min(0),
      error: z.string().max(200).optional(),
    }),
  ),
  account: z.object({ customerId: z.int(), outcome: EraseOutcome }).nullable(),
  reviewsDeleted: z.int().min(0).nullable(),
});
export type EraseCommandResult = z.infer<typeof EraseCommandResult>;

/**
 * POST privacy-bridge/v1/dsr/residue — the residue check's SQL search inside WordPress: where the store's
 * database still holds any of `terms` (case-insensitive substring) in the tables WooCommerce keeps personal
 * data in (HPOS orders, addresses, meta, operational data; placeholder and legacy order posts and their
 * meta; the customer lookup; order items and their meta; order notes and reviews; users and their meta;
 * WooCommerce sessions). The answer names rows (table, column, row id, order/user it belongs to) and which
 * term matched, never a value.
 */
export const RESIDUE_TERM_KINDS = ['email', 'phone', 'name'] as const;
export const ResidueProbeQuery = z.object({
  requestId: z.uuid(),
  terms: z
    .array(z.object({ kind: z.enum(RESIDUE_TERM_KINDS), value: z.string().min(3).max(254) }))
    .min(1)
    .max(20),
  /**
   * Orders a hold keeps: their rows that match a term of one of `kinds` are expected and not named (so a
   * customer with a thousand paid orders kept for accounting does not fill the answer with the names the
   * receipt keeps); with `notes`, their order notes are kept too and not searched. Absent: none kept.
   */
  keep: z
    .array(
      z.object({
        orderId: z.int().min(1),
        kinds: z.array(z.enum(RESIDUE_TERM_KINDS)).max(3),
        notes: z.boolean(),
      }),
    )
    .max(10_000)
    .optional(),
});
export type ResidueProbeQuery = z.infer<typeof ResidueProbeQuery>;
export const ResidueProbeResult = z.object({
  hits: z
    .array(
      z.object({
        table: z.string().max(64),
        column: z.string().max(64),
        row: z.string().max(64),
        /** The order the row belongs to (order, its placeholder post, its meta, items, notes), else null. */
        orderId: z.int().nullable(),
        /** The WordPress user the row belongs to (users, usermeta, customer lookup), else null. */
        userId: z.int().nullable(),
        /** Index into the query's terms. */
        term: z.int().min(0),
      }),
    )
    .max(5000),
  tables: z.array(z.string().max(64)),
  truncated: z.boolean(),
});
export type ResidueProbeResult = z.infer<typeof ResidueProbeResult>;

/** Pushed to the plugin, which e-mails the person the link (WordPress's own export e-mail flow). */
export const ExportReadyPush = z.object({
  requestId: z.uuid(),
  wpRequestId: WpId.optional(),
  email: z.email(),
  url: z.url(),
  expiresAt: z.string(),
  locale: z.enum(['sq', 'en']),
});

/** Pushed to the plugin, which e-mails the receipt and marks the WordPress request completed. */
export const ErasureReceiptPush = z.object({
  requestId: z.uuid(),
  wpRequestId: WpId.optional(),
  email: z.email(),
  pass: z.int().min(1),
  url: z.url(),
  certificate: z.string().regex(/^[0-9a-f]{64}$/),
  locale: z.enum(['sq', 'en']),
});

// ---- service routes the plugin calls (wp-admin console, WordPress's privacy tools) ----------

const Cursor = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/);

/** GET /v1/admin/requests — the console's request list: states and dates, never an e-mail. */
export const AdminRequestList = z.object({
  items: z.array(
    z.object({
      id: z.uuid(),
      kind: DsrKind,
      state: DsrStatus,
      /** ISO-8601 UTC: when the answer is due (after any extension). */
      deadline: z.string(),
      /** Every state the request went through, oldest first (from the ledger). */
      timeline: z.array(z.object({ state: DsrStatus, at: z.string() })),
    }),
  ),
});
export type AdminRequestList = z.infer<typeof AdminRequestList>;

/**
 * POST /v1/privacy-tools/export and /erase — one page of WordPress's exporter or eraser loop. Page 1
 * sends `cursor: null`; page N+1 sends the `nextCursor` page N returned (opaque; never an offset).
 */
export const PrivacyToolsPageRequest = z.object({
  email: z.email().max(254),
  cursor: Cursor.nullable(),
  /** The person's language for the exporter's labels (the account's, else the site's); Albanian when absent. */
  locale: z.enum(['sq', 'en']).optional(),
});
export type PrivacyToolsPageRequest = z.infer<typeof PrivacyToolsPageRequest>;

/** One exporter page: groups as WordPress's exporter items (the plugin maps the names). */
export const PrivacyToolsExportPage = z.object({
  groups: z.array(
    z.object({
      groupId: z.string().regex(/^[a-z0-9-]{1,64}$/),
      groupLabel: z.string().max(200),
      groupDescription: z.string().max(500),
      itemId: z.string().max(100),
      data: z.array(z.object({ name: z.string().max(200), value: z.string().max(10_000) })),
    }),
  ),
  /** null: this was the last page. */
  nextCursor: Cursor.nullable(),
});
export type PrivacyToolsExportPage = z.infer<typeof PrivacyToolsExportPage>;

/** One eraser page: the erasure runs as a background request; pages report on it until it ends. */
export const PrivacyToolsErasePage = z.object({
  itemsRemoved: z.boolean(),
  itemsRetained: z.boolean(),
  messages: z.array(z.string().max(500)),
  /** null: the erasure is over (the messages say what was kept and why). */
  nextCursor: Cursor.nullable(),
});
export type PrivacyToolsErasePage = z.infer<typeof PrivacyToolsErasePage>;
