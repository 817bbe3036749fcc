import { Command } from 'commander';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openCore, type Core } from './core.js';
import { createLogger, scrub, wantsPrettyLogs } from './platform/log/logger.js';
import { registerAdminCommands, registerQueueCommands } from './operators/index.js';
import { registerConsentCommands } from './consent/index.js';
import { registerLedgerCommands } from './ledger/index.js';
import { registerWooCommands } from './sync/index.js';
import { registerDsrCommands, registerReportCommands } from './dsr/index.js';
import { UsageError, type WithCore } from './platform/cli.js';
import { StorageUnavailableError } from './platform/db/storage-errors.js';
import { RedisUnavailableError } from './platform/queue/redis-bootstrap.js';
import { startService } from './start.js';
import { registerDeliveryCommands } from './delivery/index.js';
import { registerAlertCommands } from './alerts/index.js';

/** `privacy-bridge` — one entry for operators. Exit codes: 0 ok, 1 failure (e.g. broken chain), 2 usage or unreachable dependency (Redis, the database, DATA_DIR), 78 bad configuration. */
const program = new Command('privacy-bridge').description(
  'Privacy Bridge: the privacy ledger and request engine for WooCommerce shops',
);

/** The configuration, read from the environment once per run, and only by the commands that need it. */
let loaded: Config | undefined;
const loadedConfig = (): Config => (loaded ??= loadConfig());

/** Opens the database and ledger for one command, and always closes them. */
const withCore: WithCore<Core, Config> = async (run) => {
  const config = loadedConfig();
  // CLI logs go to stderr so stdout stays machine-readable.
  const core = await openCore(
    config,
    createLogger({
      level: config.logLevel === 'info' ? 'warn' : config.logLevel,
      pretty: wantsPrettyLogs(config.env),
    }),
  );
  try {
    await run(core, config);
  } finally {
    await core.close();
  }
};

program
  .command('start')
  .description('run the HTTP API and the workers in one process')
  .action(async () => {
    const { logLevel, env } = loadedConfig();
    await startService(loadedConfig(), createLogger({ level: logLevel, pretty: wantsPrettyLogs(env) }));
  });

registerLedgerCommands(program, withCore);
registerAdminCommands(program, withCore);
registerConsentCommands(program, withCore);
registerWooCommands(program, withCore, { config: loadedConfig });
registerDsrCommands(program, withCore, { config: loadedConfig });
registerReportCommands(program, withCore, { transport: () => loadedConfig().transport });
registerQueueCommands(program, withCore, {
  redis: () => ({ url: loadedConfig().redisUrl, prefix: loadedConfig().queuePrefix }),
});
registerDeliveryCommands(program, withCore, { config: loadedConfig });
registerAlertCommands(program, withCore);

program
  .command('migrate')
  .description('apply pending database migrations (start does this too)')
  .action(async () => {
    await withCore(async () => console.log('migrations applied'));
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  // Known failures get one clear line and no stack trace.
  if (
    err instanceof ConfigError ||
    err instanceof RedisUnavailableError ||
    err instanceof UsageError ||
    err instanceof StorageUnavailableError
  ) {
    console.error(err.message);
    process.exit(err instanceof ConfigError ? 78 : 2);
  }
  // Anything else may be a library's message quoting its input (JSON.parse quotes the text): masked as in logs.
  console.error(`privacy-bridge: ${err instanceof Error ? `${err.name}: ${scrub(err.message)}` : 'failed'}`);
  process.exit(1);
});
