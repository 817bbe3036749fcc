import { randomBytes } from 'node:crypto';
import type { Job } from 'bullmq';
import type { Ledger } from '../ledger/index.js';
import { AppError } from '../platform/errors.js';
import type { JobQueue } from '../platform/queue/job-runtime.js';
import type { QueueName } from './queue-stats.js';

/** What an operator may do to one job. */
export const JOB_ACTIONS = ['retry', 'promote', 'remove'] as const;
export type JobAction = (typeof JOB_ACTIONS)[number];

/** The states a clean empties, and its bounds: older than 1 hour to 1 year, at most 1,000 jobs a time. */
export const CLEAN_STATES = ['completed', 'failed'] as const;
export type CleanState = (typeof CLEAN_STATES)[number];
export const CLEAN_LIMITS = { minHours: 1, maxHours: 24 * 366, jobs: 1_000 } as const;

/** Which state each action needs the job in: retry a failed job, promote a delayed one, remove any that is not running. */
const NEEDS: Record<JobAction, (state: string) => boolean> = {
  retry: (s) => s === 'failed',
  promote: (s) => s === 'delayed',
  remove: (s) => s !== 'active' && s !== 'unknown',
};

/** BullMQ's script codes: -1 the job is gone; the others (not in that state, locked, a scheduler's, pending children) a conflict. */
const bullCode = (err: unknown) => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' && code < 0 ? code : null;
};

async function jobIn(queue: JobQueue, name: QueueName, id: string): Promise<Job> {
  const job = await queue.queue(name).getJob(id);
  if (!job) throw new AppError('ADMIN_JOB_NOT_FOUND', { queue: name });
  return job;
}

/**
 * Does `action` to job `id` of queue `name`, when the job is in a state the action applies to; returns
 * the state it was in. 404 ADMIN_JOB_NOT_FOUND when there is no such job (it finished and was removed,
 * or was cleaned), 409 ADMIN_JOB_STATE_CONFLICT when it is in another state — also when it moved between
 * the look and the act (BullMQ's scripts check the state atomically and refuse).
 */
export async function actOnJob(queue: JobQueue, name: QueueName, id: string, action: JobAction): Promise<string> {
  const job = await jobIn(queue, name, id);
  const state = await job.getState();
  const conflict = (now: string, cause?: unknown) =>
    new AppError('ADMIN_JOB_STATE_CONFLICT', { queue: name, action, state: now }, { cause });
  if (state === 'unknown') throw new AppError('ADMIN_JOB_NOT_FOUND', { queue: name });
  if (!NEEDS[action](state)) throw conflict(state);
  try {
    if (action === 'retry') await job.retry('failed');
    else if (action === 'promote') await job.promote();
    // 0: locked by a worker (it started meanwhile).
    else if ((await queue.queue(name).remove(id)) === 0) throw conflict('active');
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = bullCode(err);
    if (code === -1) throw new AppError('ADMIN_JOB_NOT_FOUND', { queue: name }, { cause: err });
    if (code !== null) throw conflict(await job.getState().catch(() => 'unknown'), err);
    throw err;
  }
  return state;
}

/** Pauses (workers take no new job; running ones finish) or resumes a queue; false when it already was. */
export async function setPaused(queue: JobQueue, name: QueueName, paused: boolean): Promise<boolean> {
  const q = queue.queue(name);
  if ((await q.isPaused()) === paused) return false;
  await (paused ? q.pause() : q.resume());
  return true;
}

/** Removes completed or failed jobs that finished more than `olderThanHours` ago, at most CLEAN_LIMITS.jobs; returns their ids. */
export async function cleanJobs(
  queue: JobQueue,
  name: QueueName,
  state: CleanState,
  olderThanHours: number,
): Promise<string[]> {
  if (
    !Number.isInteger(olderThanHours) ||
    olderThanHours < CLEAN_LIMITS.minHours ||
    olderThanHours > CLEAN_LIMITS.maxHours
  )
    throw new AppError('REQUEST_INVALID', { field: 'olderThanHours' });
  return queue.queue(name).clean(olderThanHours * 3_600_000, CLEAN_LIMITS.jobs, state);
}

/** An operator's action on the queues, as the ledger keeps it: who, what (the kind), which queue, which jobs. */
export type QueueAction =
  | { kind: 'ops.job-promoted' | 'ops.job-removed'; queue: QueueName; jobs: [string]; state: string }
  | { kind: 'ops.queue-paused' | 'ops.queue-resumed'; queue: QueueName }
  | { kind: 'ops.jobs-cleaned'; queue: QueueName; state: CleanState; olderThanHours: number; jobs: string[] };

/**
 * Ledgers an operator's action (retries go through recordRetry, as the CLI's do). Job ids come from
 * natural keys, never personal; the actor is `admin/<operator handle>`.
 */
export async function recordQueueAction(
  ledger: Ledger,
  actor: string,
  action: QueueAction,
  at: Date,
  source: 'cli' | 'admin-ui',
): Promise<void> {
  const { kind, ...detail } = action;
  await ledger.record({
    key: `${kind}/${at.toISOString()}/${action.queue}/${randomBytes(6).toString('hex')}`,
    kind,
    detail: { actor, ...detail },
    source,
  });
}
