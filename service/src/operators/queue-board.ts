import type { Job } from 'bullmq';
import { z } from 'zod';
import { scrub } from '../platform/log/logger.js';
import type { JobQueue } from '../platform/queue/job-runtime.js';
import { QUEUES, type QueueName } from './queue-stats.js';

/** The states the board lists, in the order it shows them. */
export const BOARD_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;
export type BoardState = (typeof BOARD_STATES)[number];

/** Jobs per page of one state, newest first. */
export const BOARD_PAGE_SIZE = 50;
/** The last page one may ask for (50 × 2,000 = 100,000 jobs deep): a bound, not a limit anyone meets. */
export const BOARD_MAX_PAGE = 2_000;
/** A failure reason is cut to this length once scrubbed. */
export const REASON_MAX_CHARS = 300;

/** A job id as this project makes them (natural keys, `deliver-…`, `wh-…`, BullMQ's `repeat:…` and numbers): ids, never personal. */
export const JobId = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/);
/** A job name as `defineJob` names them (`sync.resource`, `dsr.erase-subject`). */
const JOB_NAME = /^[a-z][a-z0-9-]{0,30}(?:\.[a-z0-9-]{1,40}){1,3}$/;

export type BoardQueue = { name: QueueName; paused: boolean; counts: Record<BoardState, number> };

/**
 * One job as the board shows it: ids, enums, counts and times. A job's data and return value are never
 * read out (ours carry ids only, but the board does not rely on it); its stack trace is never shown; its
 * failure reason is scrubbed as the logs scrub text we did not write, and cut short. A name or id not
 * shaped like ours is not shown (null).
 */
export type BoardJob = {
  id: string | null;
  name: string | null;
  state: BoardState;
  attemptsMade: number;
  attempts: number;
  addedAt: string;
  /** When a delayed job is due. */
  dueAt: string | null;
  processedAt: string | null;
  finishedAt: string | null;
  failedReason: string | null;
};

export type BoardPage = { queue: BoardQueue; state: BoardState; page: number; pages: number; jobs: BoardJob[] };

const iso = (ms: number | undefined | null) => (typeof ms === 'number' && ms > 0 ? new Date(ms).toISOString() : null);

/** Scrubbed (emails, tokens, numbers), control characters out, at most REASON_MAX_CHARS. */
export function boardReason(reason: string | undefined | null): string | null {
  if (!reason) return null;
  // Control characters (a multi-line message's newlines included) become one space.
  const clean = [...scrub(reason)!]
    .map((c) => (c < ' ' || c === '\u007f' ? ' ' : c))
    .join('')
    .replace(/ {2,}/g, ' ')
    .trim();
  return clean.length > REASON_MAX_CHARS ? `${clean.slice(0, REASON_MAX_CHARS - 1)}…` : clean;
}

export function boardJob(job: Job, state: BoardState): BoardJob {
  return {
    id: JobId.safeParse(job.id).success ? String(job.id) : null,
    name: JOB_NAME.test(job.name) ? job.name : null,
    state,
    attemptsMade: job.attemptsMade,
    attempts: job.opts.attempts ?? 1,
    addedAt: iso(job.timestamp) ?? new Date(0).toISOString(),
    dueAt: state === 'delayed' ? iso(job.timestamp + (job.delay ?? 0)) : null,
    processedAt: iso(job.processedOn),
    finishedAt: iso(job.finishedOn),
    failedReason: boardReason(job.failedReason),
  };
}

/** Every queue (or the named ones): paused or not, and how many jobs each state holds. */
export async function boardQueues(queue: JobQueue, names: readonly QueueName[] = QUEUES): Promise<BoardQueue[]> {
  return Promise.all(
    names.map(async (name) => {
      const q = queue.queue(name);
      const [counts, paused] = await Promise.all([q.getJobCounts(...BOARD_STATES), q.isPaused()]);
      return {
        name,
        paused,
        counts: Object.fromEntries(BOARD_STATES.map((s) => [s, counts[s] ?? 0])) as Record<BoardState, number>,
      };
    }),
  );
}

/** One page of one state of one queue, newest first (page 1 is the newest BOARD_PAGE_SIZE jobs). */
export async function boardPage(queue: JobQueue, name: QueueName, state: BoardState, page: number): Promise<BoardPage> {
  const [summary] = await boardQueues(queue, [name]);
  const total = summary!.counts[state];
  const pages = Math.max(1, Math.ceil(total / BOARD_PAGE_SIZE));
  const start = (page - 1) * BOARD_PAGE_SIZE;
  const jobs = await queue.queue(name).getJobs([state], start, start + BOARD_PAGE_SIZE - 1, false);
  return {
    queue: summary!,
    state,
    page,
    pages,
    // A job removed between the range and the read comes back empty.
    jobs: jobs.filter((j): j is Job => Boolean(j)).map((j) => boardJob(j, state)),
  };
}
