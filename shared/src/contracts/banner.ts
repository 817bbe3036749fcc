import { z } from 'zod';

/**
 * The cookie banner's choice, as the browser posts it to the plugin (POST
 * privacy-bridge-banner/v1/consent). The plugin reads the visitor id from its own first-party cookie,
 * never from the body, adds the time and the policy version, and records it as a RecordConsent
 * (consent.ts) through its outbox. Exported to draft-04 for the plugin, which validates with it.
 */

/** The categories a visitor can switch; `necessary` is always on and never asked. */
export const BANNER_CATEGORIES = ['preferences', 'statistics', 'marketing'] as const;
export const BannerCategory = z.enum(BANNER_CATEGORIES);
export type BannerCategory = z.infer<typeof BannerCategory>;

export const BannerConsent = z.object({
  /** The categories allowed; every other one is refused. Only the enumerated names are taken. */
  granted: z.array(BannerCategory).max(BANNER_CATEGORIES.length),
  /** The banner revision the visitor answered (the site raises it when a material policy version is published). */
  revision: z.int().min(1).max(1_000_000),
  locale: z.enum(['sq', 'en']),
  /** navigator.globalPrivacyControl as the page read it. */
  gpc: z.boolean(),
  /** The visitor was told about their GPC signal and switched statistics or marketing on anyway. */
  overridesGpc: z.boolean().optional(),
});
export type BannerConsent = z.infer<typeof BannerConsent>;

/** The plugin's 201 answer: the receipt the visitor can download (no personal data in it). */
export const BannerConsentReceipt = z.object({
  consentId: z.string().regex(/^[0-9a-f]{32}$/),
  at: z.iso.datetime({ offset: false }),
  revision: z.int().min(1),
  policyVersion: z.string().max(64),
  gpc: z.boolean(),
  decisions: z.array(z.object({ category: BannerCategory, decision: z.enum(['granted', 'denied']) })).length(3),
});
export type BannerConsentReceipt = z.infer<typeof BannerConsentReceipt>;
