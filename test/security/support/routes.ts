import type { Router } from 'express';

export type DiscoveredRoute = { method: string; pattern: string; key: string };

type Layer = { route?: { path: unknown; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };

/**
 * Every route the app serves, read from express 5's router (nested routers included), so a route
 * added anywhere is found without anyone listing it. Rate-limit layers share their route's pattern
 * and are folded into it.
 */
export function discoverRoutes(router: Router): DiscoveredRoute[] {
  const found = new Map<string, DiscoveredRoute>();
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of paths) {
          for (const [m, on] of Object.entries(layer.route.methods)) {
            if (!on || m === '_all') continue;
            const key = `${m.toUpperCase()} ${String(p)}`;
            found.set(key, { method: m.toUpperCase(), pattern: String(p), key });
          }
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((router as unknown as { stack: Layer[] }).stack);
  return [...found.values()].sort((a, b) => a.key.localeCompare(b.key));
}
