/** Runs one CLI command with an opened resource (database, ledger) that is always closed afterwards. */
export type WithCore<C> = (run: (core: C) => Promise<void>) => Promise<void>;

/** A command line that cannot be acted upon: printed as one line, exit code 2. */
export class UsageError extends Error {}
