import type { Command } from 'commander';
import type { Ledger, MasterKeyring } from '../ledger/index.js';
import { UsageError, type WithCore } from '../platform/cli.js';
import { AppError } from '../platform/errors.js';
import { deadlineFlag, OPEN_STATUSES } from './dsr-rules.js';
import { Redis } from 'ioredis';
import type { Clock } from '../platform/clock.js';
import type { Database } from '../platform/db/database.js';
import { DsrStore } from './dsr-store.js';
import { dsrRequests, dsrSettings } from './dsr.module.js';
import { dsrLinks } from './links.js';
import { viewOf } from './dsr.routes.js';
import { requestSteps } from './request-steps.js';
import type { DsrConfig } from './dsr.module.js';

/** What the dsr commands take of the core, and of the configuration when they run (`dsr retry` queues, `dsr show` prints links). */
export type DsrCliCore = {
  readonly db: Database;
  readonly ledger: Ledger;
  readonly keyring: MasterKeyring;
  readonly linkSecret: Buffer;
  readonly clock: Clock;
};
export type DsrCliDeps = {
  config(): Pick<DsrConfig, 'queuePrefix' | 'publicUrl' | 'dsr' | 'sync' | 'dataDir'> & { readonly redisUrl: string };
};

/** `privacy-bridge dsr list [--overdue] [--json]`, `dsr show <id>`. Never prints an e-mail. */
export function registerDsrCommands(program: Command, withCore: WithCore<DsrCliCore>, deps: DsrCliDeps): void {
  const dsr = program.command('dsr').description('data-subject requests: deadlines and progress');

  dsr
    .command('list')
    .description('requests with their state and deadline (open ones first)')
    .option('--overdue', 'only open requests past their deadline')
    .option('--all', 'closed requests too')
    .option('--json', 'one JSON array')
    .action(async (opts: { overdue?: boolean; all?: boolean; json?: boolean }) => {
      await withCore(async (core) => {
        const now = core.clock.now();
        const rows = (
          await new DsrStore(core.db).list(
            opts.all ? {} : { statuses: OPEN_STATUSES.concat(opts.overdue ? [] : ['partially_completed']) },
          )
        )
          .map((r) => ({
            id: r.id,
            kind: r.kind,
            status: r.status,
            receivedAt: r.receivedAt,
            dueAt: r.dueAt,
            flag: OPEN_STATUSES.includes(r.status) ? deadlineFlag(new Date(r.dueAt), now) : null,
            stuck: r.stuckStep ? `${r.stuckStep}: ${r.stuckReason}` : null,
          }))
          .filter((r) => !opts.overdue || r.flag === 'overdue');
        if (opts.json) return void console.log(JSON.stringify(rows));
        if (rows.length === 0) return void console.log(opts.overdue ? 'no overdue requests' : 'no requests');
        for (const r of rows)
          console.log(
            `${r.id}  ${r.kind.padEnd(13)} ${r.status.padEnd(19)} due ${r.dueAt.slice(0, 10)}${r.flag ? `  [${r.flag.toUpperCase()}]` : ''}${r.stuck ? `  STUCK at ${r.stuck}` : ''}`,
          );
      });
    });

  dsr
    .command('retry <id>')
    .description(
      're-run a stuck request from its first unrecorded step; an erasure whose steps all ran: erase again what the residue check flagged, shred again and check again (needs attention), or check again (completed)',
    )
    .option('--operator <name>', 'who retries it (ledgered as admin/<name>)')
    .action(async (id: string, opts: { operator?: string }) => {
      await withCore(async (core) => {
        const config = deps.config();
        const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1 });
        const { dsr, flows, retry } = dsrRequests({
          core,
          clock: core.clock,
          redis,
          prefix: config.queuePrefix,
          settings: dsrSettings(config),
        });
        try {
          const row = await dsr.get(id).catch(() => {
            throw new UsageError(`no request ${id}`);
          });
          const done = await retry(row, opts.operator ? `admin/${opts.operator}` : 'system/cli').catch(
            (err: unknown) => {
              if (
                !(err instanceof AppError) ||
                (err.code !== 'DSR_NOTHING_TO_RETRY' && err.code !== 'DSR_TRANSITION_INVALID')
              )
                throw err;
              throw new UsageError(
                `${err.code}: request ${id} has nothing to retry (${String(err.details?.reason ?? err.details?.status ?? 'changed meanwhile')})`,
              );
            },
          );
          console.log(
            JSON.stringify({
              id,
              status: done.row.status,
              pass: done.row.pass,
              round: done.round,
              from: done.remaining[0],
              steps: done.remaining,
            }),
          );
        } finally {
          await flows.close();
          await redis.quit().catch(() => undefined);
        }
      });
    });

  dsr
    .command('show <id>')
    .description('one request: state, deadline, plan counts, receipts, the links sent to the person, where it is stuck')
    .action(async (id: string) => {
      await withCore(async (core) => {
        const store = new DsrStore(core.db);
        const row = await store.get(id);
        if (!row) throw new UsageError(`no request ${id}`);
        const view = await viewOf(row, store);
        const steps = await requestSteps(core.ledger, row);
        const estimate = steps.find((s) => s.kind === 'dsr.collect' || s.kind === 'dsr.plan-erasure')?.detail;
        // The links the person was sent (an admin-entered request's go only to them): the operator can pass them on.
        const links = await dsrLinks(deps.config().publicUrl, core.linkSecret).linksOf(store, row.id, core.clock.now());
        console.log(
          JSON.stringify(
            {
              ...view,
              estimate: estimate ?? null,
              links: { export: row.status === 'completed' ? links.export : null, receipts: links.receipts },
              history: steps.map((s) => ({
                kind: s.kind,
                at: s.at,
                ...(s.detail.to ? { to: s.detail.to } : {}),
                ...(typeof s.detail.actor === 'string' ? { actor: s.detail.actor } : {}),
                ...(s.detail.count !== undefined ? { residue: s.detail.count } : {}),
              })),
            },
            null,
            2,
          ),
        );
      });
    });
}
