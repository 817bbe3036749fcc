import { classifyField, type Policy } from '../../../shared/src/policy/index.js';
import type { Leaf } from './flatten.js';

export type Resource = 'order' | 'customer' | 'booking';

/** Leaves grouped by what the policy says they are: one group per category, purpose and legal basis. */
export type HeldGroup = {
  readonly category: string;
  readonly purpose: string;
  readonly legalBasis: string;
  readonly special: boolean;
  readonly retention: string;
  readonly fields: Record<string, string | number | boolean>;
};

/** Classifies every leaf through the policy; leaves the policy does not map are not personal data. */
export function groupByPolicy(policy: Policy, resource: Resource, leaves: readonly Leaf[]): HeldGroup[] {
  const groups = new Map<string, { -readonly [K in keyof HeldGroup]: HeldGroup[K] }>();
  for (const leaf of leaves) {
    const c = classifyField(policy, resource, leaf.path);
    if (!c) continue;
    const id = `${c.category}|${c.purpose}|${c.legalBasis}`;
    let group = groups.get(id);
    if (!group) {
      group = { category: c.category, purpose: c.purpose, legalBasis: c.legalBasis, special: c.special, retention: c.retention, fields: {} };
      groups.set(id, group);
    }
    group.fields[leaf.path] = leaf.value;
  }
  return [...groups.values()].sort((a, b) => (a.category + a.purpose).localeCompare(b.category + b.purpose));
}
