import { Router } from 'express';

export type ReadinessCheck = () => Promise<void>;

/** `/healthz`: the process is up. `/readyz`: every dependency answers (database, Redis, migrations). */
export function healthRoutes(checks: Record<string, ReadinessCheck>): Router {
  return Router()
    .get('/healthz', (_req, res) => {
      res.json({ status: 'ok' });
    })
    .get('/readyz', async (_req, res) => {
      const results = await Promise.all(
        Object.entries(checks).map(async ([name, check]) => {
          try {
            await withTimeout(check(), 2_000);
            return [name, 'ok'] as const;
          } catch (err) {
            return [name, err instanceof Error ? err.message : 'failed'] as const;
          }
        }),
      );
      const ready = results.every(([, r]) => r === 'ok');
      res
        .status(ready ? 200 : 503)
        .json({ status: ready ? 'ready' : 'not-ready', checks: Object.fromEntries(results) });
    });
}

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), ms).unref())]);
