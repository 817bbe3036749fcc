/**
 * Field paths name one value inside a WooCommerce resource, as the REST API returns it:
 *
 * - `billing.email`, `customer_ip_address` — dotted object keys;
 * - `line_items[0].name` — an array element; any index is read as `[*]`;
 * - `meta_data[booking_reference]`, `line_items[0].meta_data[Data e seancës]` — one meta entry,
 *   addressed by its `key` (meta lists are arrays of `{ id, key, value }`, so the key, not the
 *   index, says what the value is). A key may hold spaces and non-ASCII letters, not `[` or `]`.
 *
 * Patterns in the policy's field map use the same syntax plus `*`: outside brackets it matches
 * within one segment (`shipping.*`, `date_*`), inside brackets it matches any key or index
 * (`meta_data[*]`, `meta_data[_booking_*]`). The most specific pattern wins: an exact match,
 * then the pattern with the most literal characters, then the earlier entry.
 */
export const RESOURCES = ['order', 'customer', 'booking'] as const;
export type Resource = (typeof RESOURCES)[number];

export const FIELD_PATTERN = /^[A-Za-z0-9_*]+(?:\[[^[\]]+\])*(?:\.[A-Za-z0-9_*]+(?:\[[^[\]]+\])*)*$/u;

type Mappable = { readonly resource: Resource; readonly path: string };

/** `line_items[3].meta_data[Ora]` → `line_items[*].meta_data[Ora]`. */
export function normalizeFieldPath(fieldPath: string): string {
  return fieldPath.replace(/\[\d+\]/g, '[*]');
}

/** The field-map entry that governs `fieldPath` in `resource`, or null when none does. */
export function findFieldEntry<E extends Mappable>(
  entries: readonly E[],
  resource: Resource,
  fieldPath: string,
): E | null {
  const path = normalizeFieldPath(fieldPath);
  let best: E | null = null;
  let bestScore = -1;
  for (const entry of entries) {
    if (entry.resource !== resource) continue;
    if (entry.path === path) return entry;
    if (!entry.path.includes('*') || !compile(entry.path).test(path)) continue;
    const score = entry.path.replace(/\*/g, '').length;
    if (score > bestScore) [best, bestScore] = [entry, score];
  }
  return best;
}

const compiled = new Map<string, RegExp>();

function compile(pattern: string): RegExp {
  let regex = compiled.get(pattern);
  if (!regex) {
    let source = '';
    let inBrackets = false;
    for (const char of pattern) {
      if (char === '[' || char === ']') inBrackets = char === '[';
      if (char === '*') source += inBrackets ? '[^\\]]*' : '[^.[\\]]*';
      else source += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
    regex = new RegExp(`^${source}$`, 'u');
    compiled.set(pattern, regex);
  }
  return regex;
}
