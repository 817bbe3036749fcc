import { z } from 'zod';

/**
 * GET /v1/site-health (signed): what WordPress's Site Health screen asks the service — is the ledger
 * verified, and lately; did the reconciliation with WooCommerce run lately. Enums and times only.
 */
export const SiteHealthView = z.object({
  time: z.iso.datetime(),
  ledger: z.object({
    verified: z.boolean().nullable(),
    verifiedAt: z.iso.datetime().nullable(),
    everySeconds: z.number().int().positive(),
  }),
  sync: z.object({
    reconciledAt: z.iso.datetime().nullable(),
    everySeconds: z.number().int().positive(),
    store: z.enum(['woocommerce', 'demo', 'none']),
  }),
});
export type SiteHealthView = z.infer<typeof SiteHealthView>;
