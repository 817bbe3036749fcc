import { Command, Option } from 'commander';
import { ConfigError, loadConfig } from './config.js';
import { openCore } from './core.js';
import { createLogger } from './platform/log/logger.js';
import { RedisUnavailableError } from './platform/queue/redis-bootstrap.js';
import { startService } from './start.js';

/** `privacy-bridge` — one entry for operators. Exit codes: 0 ok, 1 failure (e.g. broken chain), 78 bad configuration. */
const program = new Command('privacy-bridge').description('Privacy Bridge: the privacy ledger and request engine for WooCommerce shops');

const setup = () => {
  const config = loadConfig();
  // CLI logs go to stderr so stdout stays machine-readable.
  return { config, log: createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel }) };
};

program
  .command('start')
  .description('run the HTTP API and the workers in one process')
  .action(async () => {
    const config = loadConfig();
    await startService(config, createLogger({ level: config.logLevel }));
  });

const ledgerCmd = program.command('ledger').description('inspect and maintain the privacy ledger');

ledgerCmd
  .command('verify')
  .description('recompute the hash chain; exit 0 when intact, 1 naming the first broken entry')
  .option('--json', 'print one JSON object')
  .addOption(new Option('--head <seq:hash>', 'a head recorded earlier (detects a truncated tail)'))
  .action(async (opts: { json?: boolean; head?: string }) => {
    const { config, log } = setup();
    const core = await openCore(config, log);
    try {
      const expected = opts.head ? parseHead(opts.head) : undefined;
      const started = Date.now();
      const result = await core.ledger.verify(expected);
      if (opts.json) console.log(JSON.stringify({ ...result, ms: Date.now() - started }));
      else if (result.ok) console.log(`ledger intact: ${result.checked} entries, head ${result.head.seq} ${result.head.hash}`);
      else console.error(`LEDGER BROKEN at entry ${result.break.seq} (${result.break.reason}): ${result.break.detail}; ${result.checked} entries verified before it`);
      process.exitCode = result.ok ? 0 : 1;
    } finally {
      await core.close();
    }
  });

ledgerCmd
  .command('head')
  .description('print the last entry\'s sequence number and hash (record it to detect truncation later)')
  .option('--json', 'print one JSON object')
  .action(async (opts: { json?: boolean }) => {
    const { config, log } = setup();
    const core = await openCore(config, log);
    try {
      const head = await core.ledger.head();
      console.log(opts.json ? JSON.stringify(head) : `${head.seq}:${head.hash}${head.at ? `  (${head.at})` : ''}`);
    } finally {
      await core.close();
    }
  });

ledgerCmd
  .command('rotate-master-key')
  .description('re-wrap every data key under the first key of LEDGER_MASTER_KEYS; entries are untouched')
  .action(async () => {
    const { config, log } = setup();
    const core = await openCore(config, log);
    try {
      const { rewrapped, entry } = await core.ledger.rotateMasterKey();
      console.log(`re-wrapped ${rewrapped} data keys; ledgered as entry ${entry.seq}`);
    } finally {
      await core.close();
    }
  });

program
  .command('migrate')
  .description('apply pending database migrations (start does this too)')
  .action(async () => {
    const { config, log } = setup();
    const core = await openCore(config, log);
    await core.close();
    console.log('migrations applied');
  });

function parseHead(text: string) {
  const m = /^(\d+):([0-9a-f]{64})$/.exec(text.trim());
  if (!m) throw new UsageError('--head must be <seq>:<64 hex hash>, as printed by `privacy-bridge ledger head`');
  return { seq: Number(m[1]), hash: m[2]! };
}

class UsageError extends Error {}

program.parseAsync(process.argv).catch((err: unknown) => {
  // Known failures get one clear line and no stack trace.
  if (err instanceof ConfigError || err instanceof RedisUnavailableError || err instanceof UsageError) {
    console.error(err.message);
    process.exit(err instanceof ConfigError ? 78 : 2);
  }
  console.error(`privacy-bridge: ${err instanceof Error ? `${err.name}: ${err.message}` : 'failed'}`);
  process.exit(1);
});
