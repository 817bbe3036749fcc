import type { Command } from 'commander';
import { Redis } from 'ioredis';
import type { Ledger } from '../ledger/index.js';
import { UsageError, type WithCore } from '../platform/cli.js';
import type { Clock } from '../platform/clock.js';
import { JobQueue } from '../platform/queue/job-runtime.js';
import { QUEUES, queueStats, recordRetry, retryFailed, type QueueName } from './queue-stats.js';

/** What the queue commands take: the ledger (retries are ledgered) and where the queues live. */
export type QueueCliDeps = { redis(): { url: string; prefix: string } };
type QueueCore = { ledger: Ledger; clock: Clock };

/** `privacy-bridge queue stats [--json]`, `queue retry-failed [--queue Q] [--operator NAME] [--json]`. Ids and counts only. */
export function registerQueueCommands(program: Command, withCore: WithCore<QueueCore>, deps: QueueCliDeps): void {
  const cmd = program.command('queue').description('the job queues: how much waits, what failed');

  cmd
    .command('stats')
    .description('jobs per queue and state, and how long the oldest waiting job has waited')
    .option('--json', 'one JSON array')
    .action(async (opts: { json?: boolean }) => {
      await withCore(async (core) =>
        withQueue(deps, async (queue) => {
          const stats = await queueStats(queue, core.clock.now());
          if (opts.json) return void console.log(JSON.stringify(stats));
          console.log('queue     waiting  active  delayed  failed  oldest waiting');
          for (const q of stats) {
            console.log(
              `${q.name.padEnd(9)} ${String(q.waiting).padStart(7)} ${String(q.active).padStart(7)} ${String(q.delayed).padStart(8)} ${String(q.failed).padStart(7)}  ${q.oldestWaitingSeconds === null ? '—' : `${q.oldestWaitingSeconds} s`}`,
            );
          }
        }),
      );
    });

  cmd
    .command('retry-failed')
    .description(
      'move every failed job (of one queue, or all) back to waiting; ledgered with who did it and which jobs',
    )
    .option('--queue <name>', `one of ${QUEUES.join(', ')}`)
    .option('--operator <name>', 'who retries (ledgered as admin/<name>)')
    .option('--json', 'one JSON object')
    .action(async (opts: { queue?: string; operator?: string; json?: boolean }) => {
      if (opts.queue !== undefined && !(QUEUES as readonly string[]).includes(opts.queue))
        throw new UsageError(`unknown queue ${opts.queue}: one of ${QUEUES.join(', ')}`);
      const names = opts.queue ? [opts.queue as QueueName] : [...QUEUES];
      await withCore(async (core) =>
        withQueue(deps, async (queue) => {
          const retried = await retryFailed(queue, names);
          const total = Object.values(retried).reduce((n, ids) => n + ids.length, 0);
          const actor = opts.operator ? `admin/${opts.operator}` : 'system/cli';
          await recordRetry(core.ledger, actor, retried, core.clock.now(), 'cli');
          if (opts.json) return void console.log(JSON.stringify({ retried, total, actor }));
          console.log(
            total === 0
              ? 'no failed jobs'
              : `retried ${total} failed job(s): ${Object.entries(retried)
                  .map(([q, ids]) => `${q} ${ids.length}`)
                  .join(', ')}`,
          );
        }),
      );
    });
}

async function withQueue(deps: QueueCliDeps, run: (queue: JobQueue) => Promise<void>): Promise<void> {
  const { url, prefix } = deps.redis();
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true, retryStrategy: () => null });
  redis.on('error', () => undefined); // reported once, below, by the failed connect or command
  try {
    // The URL can carry a password: name the host only.
    await redis.connect().catch(() => {
      throw new UsageError(`Redis is not reachable at ${new URL(url).host}: start it, or set REDIS_URL`);
    });
    const queue = new JobQueue(redis, prefix);
    try {
      await run(queue);
    } finally {
      await queue.close();
    }
  } finally {
    redis.disconnect();
  }
}
