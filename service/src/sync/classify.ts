import { classifyField, type Policy } from '../../../shared/src/policy/index.js';
import type { Leaf } from './flatten.js';

export type Resource = 'order' | 'customer' | 'booking';

/**
 * Leaves grouped by what the policy says they are for: one group per purpose and legal basis, as a
 * record of processing (GDPR Art. 30) lists them — a purpose, the categories it uses, and how long
 * each category is kept.
 */
export type HeldGroup = {
  readonly purpose: string;
  readonly legalBasis: string;
  /** Every category of the group's fields, sorted, each once. */
  readonly categories: string[];
  /** Category → the id of its retention rule (the policy gives a category one rule per resource, purpose and basis: policy-references.ts). */
  readonly retention: Record<string, string>;
  /** The special (Art. 9) categories among `categories`, sorted; empty when there are none. */
  readonly special: string[];
  readonly fields: Record<string, string | number | boolean>;
};

type Classification = ReturnType<typeof classifyField>;
const memo = new WeakMap<Policy, Map<string, Classification>>();

/**
 * classifyField, remembered per policy and field path: a store's orders repeat the same few dozen
 * paths, and matching each against every field-map pattern was a tenth of a backfill's time.
 */
function classify(policy: Policy, resource: Resource, path: string): Classification {
  let byPath = memo.get(policy);
  if (!byPath) memo.set(policy, (byPath = new Map()));
  const key = `${resource} ${path}`;
  let c = byPath.get(key);
  if (c === undefined) {
    if (byPath.size > 50_000) byPath.clear(); // free-form meta keys must not grow it without bound
    c = classifyField(policy, resource, path);
    byPath.set(key, c);
  }
  return c;
}

/** Classifies every leaf through the policy; leaves the policy does not map are not personal data. */
export function groupByPolicy(policy: Policy, resource: Resource, leaves: readonly Leaf[]): HeldGroup[] {
  type Open = { purpose: string; legalBasis: string; retention: Record<string, string>; special: Set<string>; fields: HeldGroup['fields'] };
  const groups = new Map<string, Open>();
  for (const leaf of leaves) {
    const c = classify(policy, resource, leaf.path);
    if (!c) continue;
    const id = `${c.purpose}|${c.legalBasis}`;
    let group = groups.get(id);
    if (!group) {
      group = { purpose: c.purpose, legalBasis: c.legalBasis, retention: {}, special: new Set(), fields: {} };
      groups.set(id, group);
    }
    group.retention[c.category] ??= c.retention;
    if (c.special) group.special.add(c.category);
    group.fields[leaf.path] = leaf.value;
  }
  return [...groups.keys()].sort().map((id) => {
    const { purpose, legalBasis, retention, special, fields } = groups.get(id)!;
    const categories = Object.keys(retention).sort();
    return { purpose, legalBasis, categories, retention: Object.fromEntries(categories.map((k) => [k, retention[k]!])), special: [...special].sort(), fields };
  });
}
