import { Option, type Command } from 'commander';
import { UsageError, type WithCore } from '../platform/cli.js';
import type { Ledger } from './ledger.service.js';

/** `privacy-bridge ledger verify|head|rotate-master-key`. */
export function registerLedgerCommands(program: Command, withCore: WithCore<{ readonly ledger: Ledger }>): void {
  const ledgerCmd = program.command('ledger').description('inspect and maintain the privacy ledger');

  ledgerCmd
    .command('verify')
    .description('recompute the hash chain; exit 0 when intact, 1 naming the first broken entry')
    .option('--json', 'print one JSON object')
    .addOption(new Option('--head <seq:hash>', 'a head recorded earlier (detects a truncated tail)'))
    .action(async (opts: { json?: boolean; head?: string }) => {
      await withCore(async (core) => {
        const expected = opts.head ? parseHead(opts.head) : undefined;
        const started = Date.now();
        const result = await core.ledger.verify(expected);
        if (opts.json) console.log(JSON.stringify({ ...result, ms: Date.now() - started }));
        else if (result.ok)
          console.log(`ledger intact: ${result.checked} entries, head ${result.head.seq} ${result.head.hash}`);
        else
          console.error(
            `LEDGER BROKEN at entry ${result.break.seq} (${result.break.reason}): ${result.break.detail}; ${result.checked} entries verified before it`,
          );
        process.exitCode = result.ok ? 0 : 1;
      });
    });

  ledgerCmd
    .command('head')
    .description("print the last entry's sequence number and hash (record it to detect truncation later)")
    .option('--json', 'print one JSON object')
    .action(async (opts: { json?: boolean }) => {
      await withCore(async (core) => {
        const head = await core.ledger.head();
        console.log(opts.json ? JSON.stringify(head) : `${head.seq}:${head.hash}${head.at ? `  (${head.at})` : ''}`);
      });
    });

  ledgerCmd
    .command('rotate-master-key')
    .description('re-wrap every data key under the first key of LEDGER_MASTER_KEYS; entries are untouched')
    .action(async () => {
      await withCore(async (core) => {
        const { rewrapped, entry } = await core.ledger.rotateMasterKey();
        console.log(`re-wrapped ${rewrapped} data keys; ledgered as entry ${entry.seq}`);
      });
    });
}

function parseHead(text: string) {
  const m = /^(\d+):([0-9a-f]{64})$/.exec(text.trim());
  if (!m) throw new UsageError('--head must be <seq>:<64 hex hash>, as printed by `privacy-bridge ledger head`');
  return { seq: Number(m[1]), hash: m[2]! };
}
