import { z } from 'zod';
import { IsoPeriod } from './iso-period.js';
import { FIELD_PATTERN, RESOURCES } from './field-path.js';
import { GDPR_BASES } from './gdpr.js';
import { checkReferences } from './policy-references.js';

/**
 * A shop's privacy policy as data: what it collects (categories), why (purposes), on what
 * legal basis, for how long (retention rules and legal holds), who receives it, which rights
 * people have, and how every WooCommerce field maps onto all of that (the field map).
 * The sync, exports, erasure receipts and reports read it; nothing of it lives in code.
 *
 * Every text a person may read is bilingual, Albanian first. Anything the published policy
 * leaves open is a {@link Placeholder}, so tools can list what the controller still owes us.
 * Objects are strict: an unknown key is a typo, not an extension.
 */

/** Text shown to people: Albanian (`sq`) and English (`en`), both required. */
export const Bilingual = z.strictObject({ sq: z.string().trim().min(1), en: z.string().trim().min(1) });
export type Bilingual = z.infer<typeof Bilingual>;

/** A value the published policy does not give; `todo` says what the controller must supply. */
export const Placeholder = z.strictObject({ placeholder: z.literal(true), todo: Bilingual });
export type Placeholder = z.infer<typeof Placeholder>;

const OrPlaceholder = <S extends z.ZodType>(schema: S) => z.union([schema, Placeholder]);

/** Stable identifier used for cross-references and stored in the ledger: `kebab-case`. */
const Id = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a kebab-case id');
/** Which policy clause says so, e.g. `§1`; absent when the policy is silent. */
const PolicyClause = z.string().regex(/^§\d+$/, 'must look like §1');

/** When a retention period starts counting. `hold-released`: the end of a hold's condition. */
export const RETENTION_ANCHORS = [
  'collected',
  'order-closed',
  'session-end',
  'financial-year-end',
  'account-closed',
  'consent-withdrawn',
  'consent-superseded',
  'request-closed',
  'hold-released',
] as const;
/** Conditions under which a legal hold keeps data past its normal retention and blocks erasure. */
export const HOLD_CONDITIONS = ['order-paid', 'order-unpaid', 'session-upcoming', 'legal-claim'] as const;

export const Version = z.strictObject({
  /** Stored with every consent and ledger entry; change it whenever the policy changes. */
  label: z.string().min(1),
  effectiveDate: OrPlaceholder(z.iso.date()),
  policyUrl: OrPlaceholder(z.url()),
});

export const Controller = z.strictObject({
  name: z.string().min(1),
  legalName: OrPlaceholder(z.string().min(1)),
  address: OrPlaceholder(z.string().min(1)),
  taxId: OrPlaceholder(z.string().min(1)),
  email: z.email(),
  phone: OrPlaceholder(z.string().min(1)),
  website: OrPlaceholder(z.url()),
  dpo: OrPlaceholder(z.string().min(1)),
});

export const Jurisdiction = z.strictObject({
  country: z.string().length(2),
  laws: z.array(z.strictObject({ id: Id, title: Bilingual, citedByPolicy: z.boolean(), note: Bilingual.optional() })),
  supervisoryAuthority: z.strictObject({ name: Bilingual, website: z.url(), email: z.email() }),
});

export const Category = z.strictObject({
  id: Id,
  name: Bilingual,
  description: Bilingual,
  /** Special category (GDPR Art. 9): encrypted, never logged, needs an Art. 9(2) condition. */
  special: z.boolean(),
  /** Health-related (appointments, notes that may mention them); must also be `special`. */
  healthRelated: z.boolean(),
  policyClause: PolicyClause.optional(),
});
export type Category = z.infer<typeof Category>;

export const Purpose = z.strictObject({
  id: Id,
  name: Bilingual,
  description: Bilingual,
  /** The bases (Art. 6) and conditions (Art. 9) this purpose may rely on. */
  legalBases: z.array(Id).min(1),
  policyClause: PolicyClause.optional(),
});
export type Purpose = z.infer<typeof Purpose>;

export const LegalBasis = z.strictObject({ id: Id, gdpr: z.enum(GDPR_BASES), name: Bilingual, description: Bilingual });
export type LegalBasis = z.infer<typeof LegalBasis>;

/**
 * Keep until `anchor` + `period`. A rule with `when` is a legal hold: while the condition holds
 * the data is kept and erasure is refused item by item, with this rule's text as the reason.
 */
export const RetentionRule = z.strictObject({
  id: Id,
  name: Bilingual,
  description: Bilingual,
  anchor: z.enum(RETENTION_ANCHORS),
  period: IsoPeriod,
  when: z.enum(HOLD_CONDITIONS).optional(),
  purpose: Id.optional(),
  legalBasis: Id.optional(),
  specialCondition: Id.optional(),
  /** The period is not from the policy and must be confirmed by the controller. */
  placeholder: z.literal(true).optional(),
  /** Where the number comes from, for operators (English). */
  source: z.string().optional(),
});
export type RetentionRule = z.infer<typeof RetentionRule>;

export const Recipient = z.strictObject({
  id: Id,
  role: z.enum(['processor', 'controller', 'authority', 'internal']),
  name: Bilingual,
  description: Bilingual,
  entity: OrPlaceholder(z.string().min(1)).optional(),
  categories: z.array(Id).min(1),
  purposes: z.array(Id).min(1),
  policyClause: PolicyClause.optional(),
});
export type Recipient = z.infer<typeof Recipient>;

/**
 * Who receives an order's payment data, per WooCommerce payment method (`payment_method`): a card
 * gateway discloses it to the card processor; bank transfer and payment at the office disclose it to
 * no processor (`recipient: null`). `otherMethods`: a method the policy does not list (a gateway added later).
 */
export const Payments = z.strictObject({
  methods: z
    .array(z.strictObject({ id: z.string().min(1).max(100), title: Bilingual, recipient: Id.nullable() }))
    .min(1),
  otherMethods: Id.nullable(),
});
export type Payments = z.infer<typeof Payments>;

export const Right = z.strictObject({
  id: Id,
  gdpr: z.string().regex(/^Art\. \d+(\(\d+\))?$/),
  name: Bilingual,
  description: Bilingual,
  /** Promised by the published policy; the others apply by law and the policy should add them. */
  inPolicy: z.boolean(),
  policyClause: PolicyClause.optional(),
});

export const Dsr = z.strictObject({
  deadline: IsoPeriod,
  maxExtension: IsoPeriod,
  description: Bilingual,
  contactEmail: z.email(),
});

export const CookieCategory = z.strictObject({
  id: Id,
  /** The matching WP Consent API category, which the plugin reads with `wp_has_consent()`. */
  wpConsentApi: z.enum(['functional', 'preferences', 'statistics', 'statistics-anonymous', 'marketing']),
  name: Bilingual,
  description: Bilingual,
  purpose: Id,
  legalBasis: Id,
  requiresConsent: z.boolean(),
});

export const Cookie = z.strictObject({
  name: z.string().min(1),
  category: Id,
  provider: z.string().min(1),
  lifetime: z.union([IsoPeriod, z.literal('session')]),
});

const MetaKey = z.strictObject({
  role: z.string().min(1),
  key: z
    .string()
    .min(1)
    .regex(/^[^[\]]+$/, 'must not contain [ or ]'),
  label: Bilingual,
  hidden: z.boolean(),
});

/** The booking details as the shop stores them: line-item meta keys (Albanian labels) and order meta. */
export const BookingMeta = z.strictObject({
  itemMeta: z.array(MetaKey).min(1),
  orderMeta: z.array(MetaKey),
  modes: z.array(z.strictObject({ value: z.string().min(1), label: Bilingual })),
});

/** One row of the field map: a WooCommerce field (pattern, see field-path.ts) and how it is governed. */
export const FieldMapEntry = z.strictObject({
  resource: z.enum(RESOURCES),
  path: z.string().regex(FIELD_PATTERN, 'must be a field path such as billing.email or meta_data[key]'),
  category: Id,
  purpose: Id,
  /** An Art. 6 basis. */
  legalBasis: Id,
  /** An Art. 9(2) condition; required exactly when the category is special. */
  specialCondition: Id.optional(),
  /** The normal retention rule (one without `when`). */
  retention: Id,
  /** Legal holds (rules with `when`) that can keep this field longer. */
  holds: z.array(Id).optional(),
});
export type FieldMapEntry = z.infer<typeof FieldMapEntry>;

export const PolicyShape = z.strictObject({
  $comment: z.string().optional(),
  schemaVersion: z.literal(1),
  version: Version,
  controller: Controller,
  jurisdiction: Jurisdiction,
  categories: z.array(Category).min(1),
  purposes: z.array(Purpose).min(1),
  legalBases: z.array(LegalBasis).min(1),
  retention: z.array(RetentionRule).min(1),
  recipients: z.array(Recipient),
  payments: Payments,
  rights: z.array(Right).min(1),
  dsr: Dsr,
  cookies: z.strictObject({ categories: z.array(CookieCategory).min(1), inventory: OrPlaceholder(z.array(Cookie)) }),
  bookingMeta: BookingMeta,
  fieldMap: z.array(FieldMapEntry).min(1),
});
export type PolicyShape = z.infer<typeof PolicyShape>;

/** A policy whose cross-references hold (see policy-references.ts). */
export const Policy = PolicyShape.superRefine((policy, ctx) =>
  checkReferences(policy, (path, message) => ctx.addIssue({ code: 'custom', path, message })),
);
export type Policy = z.infer<typeof Policy>;
