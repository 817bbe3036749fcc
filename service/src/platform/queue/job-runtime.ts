import { Queue, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { AppError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { Metrics } from '../metrics.js';
import type { z } from 'zod';
import { queueOf, readPayload, type JobDefinition } from './define-job.js';

/** Enqueues by job definition; the payload is checked against its schema before it reaches Redis. */
export class JobQueue {
  readonly #queues = new Map<string, Queue>();

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
  ) {}

  queue(name: string): Queue {
    let q = this.#queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.connection, prefix: this.prefix });
      // The connection's own 'error' listener (compose.ts) logs it; unheard, BullMQ prints every reconnect attempt to the console.
      q.on('error', () => undefined);
      this.#queues.set(name, q);
    }
    return q;
  }

  /** `jobId` must be derived from natural keys (no `:`), so a repeated add is a no-op. */
  async add(job: JobDefinition, data: unknown, opts: { jobId?: string; delay?: number } = {}): Promise<Job> {
    const payload = job.payload.safeParse(data);
    if (!payload.success) throw new AppError('REQUEST_INVALID', { job: job.name });
    if (opts.jobId?.includes(':')) throw new AppError('INTERNAL', { job: job.name, reason: 'jobId contains ":"' });
    return this.queue(queueOf(job.name)).add(job.name, payload.data, { ...job.options, ...opts });
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#queues.values()].map((q) => q.close()));
  }
}

export type WorkerSet = { close(): Promise<void> };

/** A job with the dependencies its handler needs. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bindings are heterogeneous by design
export type JobBinding = { readonly job: JobDefinition<any, any>; readonly deps: unknown };
export const bind = <S extends z.ZodType, D>(job: JobDefinition<S, D>, deps: D): JobBinding => ({ job, deps });

/** A finished job, counted under its name when it is one of ours; any other name (anyone can add a job to Redis) is `unknown`, so no label carries what it says. */
function count(
  metrics: Metrics | undefined,
  known: ReadonlyMap<string, unknown>,
  job: Job | undefined,
  outcome: 'completed' | 'failed',
): void {
  const labels = { job: job && known.has(job.name) ? job.name : 'unknown', outcome };
  metrics?.jobs.inc(labels);
  if (job?.processedOn && job.finishedOn)
    metrics?.jobDuration.observe(labels, (job.finishedOn - job.processedOn) / 1000);
}

/** One BullMQ worker per queue, dispatching by job name to the bound handler. */
export function startWorkers(options: {
  bindings: readonly JobBinding[];
  connection: ConnectionOptions;
  prefix: string;
  log: Logger;
  concurrency?: number;
  metrics?: Metrics;
  /** BullMQ stall detection (defaults 30 s / 30 s); crash tests shorten both so a killed worker's job is retried soon. */
  stall?: { lockDuration: number; stalledInterval: number };
  /** Throws when a job must not run now (the storage guard): the job fails this attempt and is retried. */
  beforeJob?: () => void;
}): WorkerSet {
  const registry = new Map(options.bindings.map((b) => [b.job.name as string, b]));
  const queues = [...new Set([...registry.keys()].map(queueOf))];
  const workers = queues.map(
    (name) =>
      new Worker(
        name,
        async (job) => {
          const binding = registry.get(job.name);
          if (!binding) throw new UnrecoverableError('no handler for this job name');
          options.beforeJob?.();
          const log = options.log.child({ job: job.name, jobId: job.id });
          return binding.job.handle(readPayload(binding.job, job.data), binding.deps, {
            log,
            attempt: job.attemptsMade + 1,
          });
        },
        {
          connection: options.connection,
          prefix: options.prefix,
          concurrency: options.concurrency ?? 4,
          ...options.stall,
        },
      ),
  );
  for (const w of workers) {
    w.on('completed', (job) => count(options.metrics, registry, job, 'completed'));
    w.on('failed', (job) => count(options.metrics, registry, job, 'failed'));
    w.on('failed', (job, err) =>
      options.log.warn(
        { job: job?.name, jobId: job?.id, code: err instanceof AppError ? err.code : undefined, err },
        'job failed',
      ),
    );
    w.on('error', (err) => options.log.error({ err }, 'worker error'));
  }
  return {
    // Worker.close() waits for running jobs to finish; their locks are released, nothing is lost.
    close: async () => {
      await Promise.allSettled(workers.map((w) => w.close()));
    },
  };
}
