import type { Command } from 'commander';
import { Redis } from 'ioredis';
import { UsageError, type WithCore } from '../platform/cli.js';
import type { Database } from '../platform/db/database.js';
import { systemClock } from '../platform/clock.js';
import { JobQueue } from '../platform/queue/job-runtime.js';
import { DeadLetters } from './dead-letters.js';
import { Delivery, redrive, type DeliveryDeps } from './delivery.js';

/** What `delivery retry` reads of the configuration, when it runs: where the queues live, and WordPress with its signing key. */
export type DeliveryCliDeps = {
  config(): {
    readonly redisUrl: string;
    readonly queuePrefix: string;
    readonly wordpressUrl: DeliveryDeps['wordpressUrl'];
    readonly pluginKeys: readonly NonNullable<DeliveryDeps['key']>[];
  };
};

/** `privacy-bridge delivery list|retry`: the service → WordPress deliveries that gave up (ids and reasons, no personal data). */
export function registerDeliveryCommands(
  program: Command,
  withCore: WithCore<{ readonly db: Database }>,
  deps: DeliveryCliDeps,
): void {
  const delivery = program
    .command('delivery')
    .description('deliveries to WordPress that gave up (dead letters): list them, send them again');

  delivery
    .command('list')
    .description('every dead letter: target, id, why it gave up, when')
    .option('--json', 'print one JSON object')
    .action((opts: { json?: boolean }) =>
      withCore(async (core) => {
        const rows = await new DeadLetters(core.db).list();
        if (opts.json) return void console.log(JSON.stringify({ deadLetters: rows }));
        if (rows.length === 0)
          return void console.log('no dead letters: every delivery to WordPress arrived or is still being retried');
        for (const r of rows)
          console.log(
            `${r.target.padEnd(20)} ${r.id.padEnd(34)} ${r.reason}${r.status ? ` (${r.status})` : ''} after ${r.attempts} attempt(s), ${r.failedAt}`,
          );
      }),
    );

  delivery
    .command('retry [target] [id]')
    .description('send dead letters again now: one (target and id) or all of them (--all)')
    .option('--all', 'every dead letter')
    .option('--json', 'print one JSON object')
    .action((target: string | undefined, id: string | undefined, opts: { all?: boolean; json?: boolean }) =>
      withCore(async (core) => {
        if (!opts.all && !(target && id))
          throw new UsageError('name a dead letter (privacy-bridge delivery retry <target> <id>) or use --all');
        const config = deps.config();
        const deadLetters = new DeadLetters(core.db);
        const one =
          target && id ? (await deadLetters.list()).find((d) => d.target === target && d.id === id) : undefined;
        if (target && id && !one)
          throw new UsageError(`no dead letter ${target} ${id} (privacy-bridge delivery list shows them)`);
        const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1 });
        const queue = new JobQueue(redis, config.queuePrefix);
        try {
          const n = await redrive(
            {
              delivery: new Delivery({
                wordpressUrl: config.wordpressUrl,
                key: config.pluginKeys[0],
                clock: systemClock,
              }),
              deadLetters,
              queue,
            },
            one,
          );
          console.log(opts.json ? JSON.stringify({ redriven: n }) : `${n} dead letter(s) queued again`);
        } finally {
          await queue.close();
          await redis.quit().catch(() => undefined);
        }
      }),
    );
}
