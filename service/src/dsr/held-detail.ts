import type { Policy } from '../../../shared/src/policy/index.js';
import type { JsonObject } from '../ledger/index.js';

/**
 * Reading a held entry's clear detail. A `data.held` entry holds one purpose's data: its detail maps
 * each category to its retention rule (`retention: { category: rule }`) and lists the special (Art. 9)
 * ones (`special: [category]`). Entries recorded when each held one category carry a single rule id
 * and a flag instead; the ledger keeps them, so they are still read.
 */
type Held = { readonly purpose: string | null; readonly detail: JsonObject | null };

/** The rule a category of the entry is kept by: as recorded, else the policy's when its field map keeps that category for that purpose by one rule (`appointment.held`). */
export function retentionOf(policy: Policy, e: Held, category: string): string | null {
  const recorded = e.detail?.retention;
  if (typeof recorded === 'string') return recorded;
  const mine = recorded && typeof recorded === 'object' && !Array.isArray(recorded) ? recorded[category] : undefined;
  if (typeof mine === 'string') return mine;
  const rules = new Set(
    policy.fieldMap.filter((f) => f.purpose === e.purpose && f.category === category).map((f) => f.retention),
  );
  return rules.size === 1 ? [...rules][0]! : null;
}

/** Whether a category of the entry is special (Art. 9): as recorded, else as the policy says. */
export function isSpecial(policy: Policy, e: Held, category: string): boolean {
  const recorded = e.detail?.special;
  if (Array.isArray(recorded)) return recorded.includes(category);
  if (typeof recorded === 'boolean') return recorded;
  return policy.categories.find((c) => c.id === category)?.special ?? false;
}
