import { z } from 'zod';

/**
 * Consent on the wire: what the WordPress plugin sends to the service (record a consent, issue an
 * unsubscribe link, ask whether an address may receive marketing) and what the service pushes back
 * (a consent state change). Every message travels signed (signed-transport.ts). Exported to draft-04
 * JSON Schema for the plugin by scripts/export-contracts.ts: keep to keywords WordPress validates
 * (type, enum, format, lengths, pattern, bounds, properties, items, required), so a refinement that
 * JSON Schema cannot say is checked by the service instead, with its own error code.
 */

/** A policy purpose id as the policy file spells it; the service checks it against the policy. */
export const ConsentPurposeId = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
  .max(64);

export const ConsentDecision = z.enum(['granted', 'denied']);
export type ConsentDecision = z.infer<typeof ConsentDecision>;

/** Where a person made the choice. */
export const CONSENT_SOURCES = ['checkout', 'banner', 'account-page', 'unsubscribe-link', 'admin', 'import'] as const;
export const ConsentSource = z.enum(CONSENT_SOURCES);
export type ConsentSource = z.infer<typeof ConsentSource>;

/** A visitor id the plugin keeps in a first-party cookie: random, opaque, never derived from a person. */
export const VisitorId = z.string().regex(/^[A-Za-z0-9_-]{16,128}$/);

/**
 * Who decided: an email, a WordPress user id, an anonymous visitor id, or several of them. At least
 * one is required (checked by the service: CONSENT_SUBJECT_MISSING). A visitor id sent together with
 * an email or user id (log-in, checkout) links the visitor's earlier choices to that person.
 */
export const ConsentSubject = z.object({
  email: z.email().max(254).optional(),
  wpUserId: z.int().min(1).max(2_147_483_647).optional(),
  visitorId: VisitorId.optional(),
});
export type ConsentSubject = z.infer<typeof ConsentSubject>;

export const PurposeDecision = z.object({ purpose: ConsentPurposeId, decision: ConsentDecision });
export type PurposeDecision = z.infer<typeof PurposeDecision>;

const IsoInstant = z.iso.datetime({ offset: false });
const PolicyVersionLabel = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/);
const Locale = z.string().regex(/^[a-z]{2}(?:[-_][A-Za-z]{2})?$/);

/** POST /v1/consents — one consent event, signed by the plugin; the message id is its natural key. */
export const RecordConsent = z.object({
  subject: ConsentSubject,
  source: ConsentSource,
  decisions: z.array(PurposeDecision).min(1).max(16),
  /** The policy version label the person was shown (see GET /v1/policy/current). */
  policyVersion: PolicyVersionLabel,
  /** The browser sent `Sec-GPC: 1`. */
  gpc: z.boolean(),
  /**
   * The person was told their browser signals GPC and granted anyway, purpose by purpose.
   * Without it, a GPC record denies marketing and statistics whatever it says.
   */
  overridesGpc: z.boolean().optional(),
  orderId: z.int().min(1).max(2_147_483_647).optional(),
  locale: Locale,
  /** When the person decided (UTC, `Z`); not in the future. */
  at: IsoInstant,
});
export type RecordConsent = z.infer<typeof RecordConsent>;

/** 202 answer to RecordConsent; the receipt path is a signed link the person can keep. */
export const ConsentRecorded = z.object({
  eventId: z.string().regex(/^[0-9a-f]{32}$/),
  receiptPath: z.string().max(300),
  duplicate: z.boolean(),
});
export type ConsentRecorded = z.infer<typeof ConsentRecorded>;

/** POST /v1/unsubscribe-links — a login-free unsubscribe link for one address (for a mailing). */
export const IssueUnsubscribeLink = z.object({ email: z.email().max(254) });
export type IssueUnsubscribeLink = z.infer<typeof IssueUnsubscribeLink>;

/** The token holds no email: a random id and a signature; the path is `/v1/unsubscribe/<token>`. */
export const UnsubscribeLinkIssued = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/),
  path: z.string().max(200),
});
export type UnsubscribeLinkIssued = z.infer<typeof UnsubscribeLinkIssued>;

/** POST /v1/suppression/check — may this address receive marketing? The answer is yes or no only. */
export const SuppressionCheck = z.object({ email: z.email().max(254) });
export type SuppressionCheck = z.infer<typeof SuppressionCheck>;
export const SuppressionVerdict = z.object({ marketing: z.enum(['yes', 'no']) });
export type SuppressionVerdict = z.infer<typeof SuppressionVerdict>;

/** Which rule decided a purpose's current state. */
export const ConsentRule = z.enum(['explicit', 'gpc', 'no-record']);
export type ConsentRule = z.infer<typeof ConsentRule>;

/**
 * Service → plugin, POST privacy-bridge/v1/consent-state: a person's consent changed outside
 * WordPress (an unsubscribe link, an operator). The plugin updates what it keeps for the user.
 */
export const ConsentStatePush = z.object({
  eventId: z.string().regex(/^[0-9a-f]{32}$/),
  email: z.email().max(254).optional(),
  wpUserId: z.int().min(1).max(2_147_483_647).optional(),
  source: ConsentSource,
  purposes: z
    .array(z.object({ purpose: ConsentPurposeId, decision: ConsentDecision, rule: ConsentRule }))
    .min(1)
    .max(16),
  at: IsoInstant,
});
export type ConsentStatePush = z.infer<typeof ConsentStatePush>;

/** GET /v1/policy/current and each item of GET /v1/policy/versions. */
export const PolicyVersionView = z.object({
  version: PolicyVersionLabel,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  languages: z.array(z.string().regex(/^[a-z]{2}$/)).min(1),
  effective: z.iso.date(),
  material: z.boolean(),
  publishedAt: IsoInstant,
});
export type PolicyVersionView = z.infer<typeof PolicyVersionView>;
