import fs from 'node:fs';
import type { Command } from 'commander';
import { loadPolicy } from '../../../shared/src/policy/index.js';
import type { Ledger } from '../ledger/index.js';
import type { WithCore } from '../platform/cli.js';
import type { Clock } from '../platform/clock.js';
import type { Database } from '../platform/db/database.js';
import { deadlineFlag, median, OPEN_STATUSES } from './dsr-rules.js';
import { DsrStore } from './dsr-store.js';
import {
  processingMarkdown,
  recordsOfProcessing,
  tallyEntries,
  type LedgerTally,
  type LinkTransport,
} from './processing-records.js';

/**
 * `privacy-bridge report processing` — the records of processing (GDPR Art. 30) from the policy and the
 * ledger; `report requests` — counts, median time to complete, the overdue list. Markdown or --json.
 */
/** What the report commands take besides the ledger: how the configured links travel, for the records' security line. */
export type ReportDeps = { transport(): LinkTransport };

export function registerReportCommands(
  program: Command,
  withCore: WithCore<{ readonly db: Database; readonly ledger: Ledger; readonly clock: Clock }>,
  deps: ReportDeps,
): void {
  const report = program.command('report').description('records of processing and request statistics');

  report
    .command('processing')
    .option('--json', 'JSON instead of Markdown')
    .option('--out <file>', 'write to a file')
    .action(async (opts: { json?: boolean; out?: string }) => {
      await withCore(async (core) => {
        const tally: LedgerTally = { held: new Map(), disclosures: 0 };
        for await (const page of core.ledger.scanPages()) tallyEntries(tally, page);
        const doc = recordsOfProcessing(loadPolicy(), tally, core.clock.now().toISOString(), deps.transport());
        const text = opts.json ? JSON.stringify(doc, null, 2) : processingMarkdown(doc);
        if (opts.out) fs.writeFileSync(opts.out, `${text}\n`);
        else console.log(text);
      });
    });

  report
    .command('requests')
    .option('--json', 'JSON instead of text')
    .action(async (opts: { json?: boolean }) => {
      await withCore(async (core) => {
        const rows = await new DsrStore(core.db).list();
        const now = core.clock.now();
        const byKindStatus: Record<string, Record<string, number>> = {};
        for (const r of rows) (byKindStatus[r.kind] ??= {})[r.status] = (byKindStatus[r.kind]?.[r.status] ?? 0) + 1;
        const days = rows
          .filter((r) => r.completedAt && r.status !== 'refused')
          .map((r) => (Date.parse(r.completedAt!) - Date.parse(r.receivedAt)) / 86_400_000);
        const overdue = rows
          .filter((r) => OPEN_STATUSES.includes(r.status) && deadlineFlag(new Date(r.dueAt), now) === 'overdue')
          .map((r) => ({ id: r.id, kind: r.kind, status: r.status, dueAt: r.dueAt }));
        const doc = { total: rows.length, byKindStatus, medianDaysToComplete: median(days), overdue };
        if (opts.json) return void console.log(JSON.stringify(doc));
        console.log(`requests: ${doc.total}`);
        for (const [kind, s] of Object.entries(byKindStatus))
          console.log(
            `  ${kind}: ${Object.entries(s)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')}`,
          );
        console.log(
          `median time to complete: ${doc.medianDaysToComplete === null ? '—' : `${doc.medianDaysToComplete.toFixed(2)} days`}`,
        );
        console.log(
          overdue.length
            ? `overdue:\n${overdue.map((o) => `  ${o.id} ${o.kind} ${o.status} due ${o.dueAt.slice(0, 10)}`).join('\n')}`
            : 'overdue: none',
        );
      });
    });
}
