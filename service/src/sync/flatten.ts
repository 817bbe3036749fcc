/** A leaf of a WooCommerce resource: its path in the policy's field-map syntax and its value. */
export type Leaf = { readonly path: string; readonly value: string | number | boolean };

/**
 * Flattens a resource into leaves: `billing.email`, `line_items[0].meta_data[Data e seancës]`.
 * Meta arrays are keyed by their meta key (what the policy classifies); empty values are dropped,
 * because an empty field holds nothing about anyone. `_links` is navigation, not data.
 */
export function flatten(value: unknown, path = ''): Leaf[] {
  if (value === null || value === undefined || value === '') return [];
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return [{ path, value }];
  if (Array.isArray(value)) {
    if (path.endsWith('meta_data')) {
      return value.flatMap((m: { key?: unknown; value?: unknown }) => (typeof m?.key === 'string' ? flatten(m.value, `${path}[${m.key}]`) : []));
    }
    return value.flatMap((item, i) => flatten(item, `${path}[${i}]`));
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
      k === '_links' ? [] : flatten(v, path ? `${path}.${k}` : k),
    );
  }
  return [];
}
