/**
 * Runs one CLI command with an opened resource (database, ledger) that is always closed afterwards,
 * and the configuration it was opened from (read once per command).
 */
export type WithCore<C, Config = unknown> = (run: (core: C, config: Config) => Promise<void>) => Promise<void>;

/** A command line that cannot be acted upon: printed as one line, exit code 2. */
export class UsageError extends Error {}
