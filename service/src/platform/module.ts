import type { RequestHandler, Router } from 'express';
import type { Redis } from 'ioredis';
import type { Clock } from './clock.js';
import type { Logger } from './log/logger.js';
import type { Metrics } from './metrics.js';
import type { JobBinding, JobQueue } from './queue/job-runtime.js';

/**
 * What compose.ts hands every capability module. Each module names the parts of the core (database, ledger,
 * secrets) and of the configuration it reads, as its own types; compose.ts passes the whole of both.
 */
export type ModuleContext<Core, Config> = {
  readonly config: Config;
  readonly log: Logger;
  readonly clock: Clock;
  readonly core: Core;
  readonly queue: JobQueue;
  /** Producer connection: fails fast when Redis is down. */
  readonly redis: Redis;
  /** Middleware: a request signed by the WordPress plugin (shared/src/contracts/signed-transport.ts). */
  readonly requireSigned: RequestHandler;
  /** Middleware: an operator's admin token; sets req.operator. */
  readonly requireAdmin: RequestHandler;
  /** Prometheus metrics, served on GET /metrics (admin token). Labels are enums only. */
  readonly metrics: Metrics;
};

/** A capability as the service runs it: its routes, its jobs, its schedules. */
export type ServiceModule = {
  readonly name: string;
  /** Routers that read the raw body themselves (webhooks), mounted before the JSON parser. */
  readonly rawRouters?: readonly Router[];
  readonly routers?: readonly Router[];
  readonly jobs?: readonly JobBinding[];
  /** Registers repeatable jobs (BullMQ job schedulers); called when workers start. */
  schedule?(queue: JobQueue): Promise<void>;
  /** In-process periodic work that must go on while Redis is away (so it cannot be a BullMQ job); started with the workers. */
  readonly tasks?: readonly PeriodicTask[];
  close?(): Promise<void>;
};

/** Runs every `everyMs` (never twice at once); a failure is logged by the runner and retried next round. */
export type PeriodicTask = { readonly name: string; readonly everyMs: number; run(): Promise<unknown> };
