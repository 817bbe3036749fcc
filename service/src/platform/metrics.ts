import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics. Labels are enums and route patterns only — never a path with an id in it,
 * never an email or a subject ref — so no label can carry personal data.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'pb_' });
  return {
    registry,
    httpRequests: new Counter({
      name: 'pb_http_requests_total',
      help: 'HTTP requests by route pattern and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    /** Seconds from a request's arrival to its response's last byte. */
    httpDuration: new Histogram({
      name: 'pb_http_request_duration_seconds',
      help: 'HTTP request duration by method, route pattern and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    }),
    jobs: new Counter({
      name: 'pb_jobs_total',
      help: 'Jobs finished, by job name and outcome',
      labelNames: ['job', 'outcome'] as const,
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: 'pb_job_duration_seconds',
      help: 'Time a job ran, by job name and outcome',
      labelNames: ['job', 'outcome'] as const,
      registers: [registry],
      buckets: [0.005, 0.025, 0.1, 0.5, 1, 5, 15, 60, 300],
    }),
    webhooks: new Counter({
      name: 'pb_webhook_deliveries_total',
      help: 'WooCommerce webhook deliveries by outcome',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    /** A gauge computed at scrape time. */
    gauge(
      name: string,
      help: string,
      labelNames: readonly string[],
      collect: (set: (labels: Record<string, string>, value: number) => void) => Promise<void>,
    ) {
      return new Gauge({
        name,
        help,
        labelNames,
        registers: [registry],
        async collect() {
          this.reset();
          await collect((labels, value) => this.set(labels, value));
        },
      });
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/**
 * A read that several gauges of one scrape share (prom-client collects them all at once): a call made
 * while one is in flight gets that call's promise, so a scrape reads each source once.
 */
export function sharedRead<T>(read: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | null = null;
  return () =>
    (inFlight ??= read().finally(() => {
      inFlight = null;
    }));
}
