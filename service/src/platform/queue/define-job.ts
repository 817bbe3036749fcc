import { UnrecoverableError, type JobsOptions } from 'bullmq';
import type { z } from 'zod';
import type { Logger } from '../log/logger.js';

/**
 * One job, one file. The name's first segment is its queue (`ledger.verify` runs on queue `ledger`).
 * Payloads carry ids and enums, never personal data; they are parsed at enqueue and again at dequeue.
 */
export interface JobDefinition<S extends z.ZodType = z.ZodType, D = unknown> {
  readonly name: `${string}.${string}`;
  readonly payload: S;
  readonly options?: JobsOptions;
  handle(payload: z.output<S>, deps: D, ctx: { log: Logger; attempt: number }): Promise<unknown>;
}

export const defineJob = <S extends z.ZodType, D>(job: JobDefinition<S, D>) => job;

export const queueOf = (jobName: string) => jobName.slice(0, jobName.indexOf('.'));

/** A payload that fails its schema will fail on every retry too, so we don't retry it. */
export function readPayload<S extends z.ZodType>(job: { name: string; payload: S }, data: unknown): z.output<S> {
  const parsed = job.payload.safeParse(data);
  if (!parsed.success) throw new UnrecoverableError(`${job.name}: payload does not match its schema`);
  return parsed.data;
}
