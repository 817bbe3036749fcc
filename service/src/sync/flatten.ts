/** A leaf of a WooCommerce resource: its path in the policy's field-map syntax and its value. */
export type Leaf = { readonly path: string; readonly value: string | number | boolean };

/**
 * Flattens a resource into leaves: `billing.email`, `line_items[0].meta_data[Data e seancës]`.
 * Meta arrays are keyed by their meta key (what the policy classifies); empty values are dropped,
 * because an empty field holds nothing about anyone. `_links` is navigation, not data.
 * Leaves go into one array (a backfill flattens every order of every page: no array per level).
 */
export function flatten(value: unknown, path = '', into: Leaf[] = []): Leaf[] {
  if (value === null || value === undefined || value === '') return into;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    into.push({ path, value });
  } else if (Array.isArray(value)) {
    const meta = path.endsWith('meta_data');
    for (let i = 0; i < value.length; i++) {
      const item = value[i] as { key?: unknown; value?: unknown } | undefined;
      if (!meta) flatten(item, `${path}[${i}]`, into);
      else if (typeof item?.key === 'string') flatten(item.value, `${path}[${item.key}]`, into);
    }
  } else if (typeof value === 'object') {
    for (const k in value) {
      if (k !== '_links' && Object.hasOwn(value, k))
        flatten((value as Record<string, unknown>)[k], path ? `${path}.${k}` : k, into);
    }
  }
  return into;
}
