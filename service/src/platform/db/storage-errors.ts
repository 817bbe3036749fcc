/**
 * The database or DATA_DIR cannot be opened, read or written (permissions, a missing directory, a
 * file that is not a database): an unreachable dependency, exit code 2 — not 1, which means the
 * ledger itself is broken. The message names the file and the reason, never a value.
 */
export class StorageUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StorageUnavailableError';
  }
}

/** A filesystem or SQLite error as one line: `EACCES`, `SQLITE_CANTOPEN`, … and its message without the stack. */
export const reasonOf = (err: unknown): string => {
  const e = err as { code?: unknown; message?: unknown };
  return (
    [typeof e?.code === 'string' ? e.code : null, typeof e?.message === 'string' ? e.message : null]
      .filter(Boolean)
      .join(': ') || 'failed'
  );
};
