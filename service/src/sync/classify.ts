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
  /** The group's fields sorted by path, each path once (a path listed twice keeps its last value, as an object would). */
  readonly fields: readonly Leaf[];
};

type Classification = ReturnType<typeof classifyField>;
const memo = new WeakMap<Policy, Map<Resource, Map<string, Classification>>>();

/**
 * classifyField, remembered per policy, resource and field path: a store's orders repeat the same few
 * dozen paths, and matching each against every field-map pattern was a tenth of a backfill's time.
 */
function classifier(policy: Policy, resource: Resource): (path: string) => Classification {
  let byResource = memo.get(policy);
  if (!byResource) memo.set(policy, (byResource = new Map()));
  let byPath = byResource.get(resource);
  if (!byPath) byResource.set(resource, (byPath = new Map()));
  const known = byPath;
  return (path) => {
    let c = known.get(path);
    if (c === undefined) {
      if (known.size > 50_000) known.clear(); // free-form meta keys must not grow it without bound
      c = classifyField(policy, resource, path);
      known.set(path, c);
    }
    return c;
  };
}

/** Classifies every leaf through the policy; leaves the policy does not map are not personal data. */
export function groupByPolicy(policy: Policy, resource: Resource, leaves: readonly Leaf[]): HeldGroup[] {
  type Open = {
    purpose: string;
    legalBasis: string;
    retention: Record<string, string>;
    special: Set<string>;
    fields: Leaf[];
  };
  const classify = classifier(policy, resource);
  const groups = new Map<string, Open>();
  for (const leaf of leaves) {
    const c = classify(leaf.path);
    if (!c) continue;
    const id = `${c.purpose}|${c.legalBasis}`;
    let group = groups.get(id);
    if (!group) {
      group = { purpose: c.purpose, legalBasis: c.legalBasis, retention: {}, special: new Set(), fields: [] };
      groups.set(id, group);
    }
    group.retention[c.category] ??= c.retention;
    if (c.special) group.special.add(c.category);
    group.fields.push(leaf);
  }
  return [...groups.keys()].sort().map((id) => {
    const { purpose, legalBasis, retention, special, fields } = groups.get(id)!;
    const categories = Object.keys(retention).sort();
    return {
      purpose,
      legalBasis,
      categories,
      retention: Object.fromEntries(categories.map((k) => [k, retention[k]!])),
      special: [...special].sort(),
      fields: byPath(fields),
    };
  });
}

/**
 * canonicalJson of the group's fields as an object keyed by path, written from the sorted leaves
 * without building that object (a backfill writes every field group of every order).
 */
export function fieldsJson(fields: readonly Leaf[]): string {
  let out = '{';
  for (let i = 0; i < fields.length; i++)
    out += `${i === 0 ? '' : ','}${JSON.stringify(fields[i]!.path)}:${JSON.stringify(fields[i]!.value)}`;
  return `${out}}`;
}

/** Sorted by path, as an object's keys sort; a repeated path keeps its last leaf. (The sort is stable.) */
function byPath(leaves: Leaf[]): Leaf[] {
  leaves.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return leaves.filter((leaf, i) => leaves[i + 1]?.path !== leaf.path);
}
