import { z } from 'zod';

/** The rules a fact must meet before it is drafted; `isWellFormedFact` is the same rules, checked by hand. */
export const FactShape = z.object({
  key: z.string().min(1).max(300),
  kind: z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/),
  subject: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullish(),
  purpose: z.string().max(64).nullish(),
  legalBasis: z.string().max(64).nullish(),
  categories: z.array(z.string().min(1).max(64)).max(64).optional(),
  source: z.string().max(200).nullish(),
});

const KIND = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/;
const SUBJECT = /^[0-9a-f]{64}$/;
/** Zod measures strings in code points; counting them only matters once the UTF-16 length is over. */
const fits = (s: string, max: number) => s.length <= max || [...s].length <= max;
const optionalText = (v: unknown, max: number) =>
  v === undefined || v === null || (typeof v === 'string' && fits(v, max));

/**
 * `FactShape.safeParse(fact).success` without building zod's result: a backfill validates about
 * seven facts per order, and the parse was a visible share of the append's CPU. Invalid facts
 * are rare, so the caller asks zod only then, for the field-by-field report.
 * fact-shape.test.ts holds both to the same verdicts.
 */
export function isWellFormedFact(fact: unknown): boolean {
  if (typeof fact !== 'object' || fact === null) return false;
  const f = fact as Record<string, unknown>;
  if (typeof f.key !== 'string' || f.key.length < 1 || !fits(f.key, 300)) return false;
  if (typeof f.kind !== 'string' || !KIND.test(f.kind)) return false;
  if (f.subject !== undefined && f.subject !== null && (typeof f.subject !== 'string' || !SUBJECT.test(f.subject)))
    return false;
  if (!optionalText(f.purpose, 64) || !optionalText(f.legalBasis, 64) || !optionalText(f.source, 200)) return false;
  if (f.categories === undefined) return true;
  if (!Array.isArray(f.categories) || f.categories.length > 64) return false;
  for (const c of f.categories as unknown[]) if (typeof c !== 'string' || c.length < 1 || !fits(c, 64)) return false;
  return true;
}
