import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.js';

type Seen = { ino: number; size: number };

/**
 * SQLite in WAL mode maps `<db>-shm` into memory: when that file is truncated, replaced or its disk
 * goes away, the next read or write through the mapping kills the process with SIGBUS — no error to
 * catch, no log line. So the files are looked at before the database is used (each request and job,
 * at most every few milliseconds, and once a second meanwhile): the directory and each file still
 * writable by this process, the same inode, and `-shm` never smaller than it was. The first problem
 * is kept (the mapping cannot be trusted again in this process): requests get 503
 * STORAGE_UNAVAILABLE, jobs wait, /readyz says why, and the process must be restarted once the
 * files are fixed. This narrows the window; nothing outside SQLite can close it.
 */
export class StorageGuard {
  #failure: string | null = null;
  #checkedAt = 0;
  readonly #seen = new Map<string, Seen>();
  readonly #listeners: ((reason: string) => void)[] = [];

  constructor(
    private readonly file: string,
    private readonly minIntervalMs = 5,
  ) {
    this.check(true);
  }

  /** Called once, with the reason, when the files stop being usable. */
  onFailure(listener: (reason: string) => void): void {
    this.#listeners.push(listener);
    if (this.#failure) listener(this.#failure);
  }

  get failure(): string | null {
    return this.#failure;
  }

  /** The reason the database must not be touched, or null. */
  check(force = false): string | null {
    if (this.#failure) return this.#failure;
    const now = Date.now();
    if (!force && now - this.#checkedAt < this.minIntervalMs) return null;
    this.#checkedAt = now;
    const reason = this.#inspect();
    if (reason) {
      this.#failure = reason;
      for (const l of this.#listeners) l(reason);
    }
    return reason;
  }

  /** Throws 503 STORAGE_UNAVAILABLE instead of letting a read or write reach a broken mapping. */
  assertUsable(): void {
    const reason = this.check();
    if (reason) throw new AppError('STORAGE_UNAVAILABLE', { reason: reason.split(':')[0] });
  }

  #inspect(): string | null {
    const dir = path.dirname(this.file);
    if (!writable(dir)) return `not-writable: the directory ${dir}`;
    for (const suffix of ['', '-wal', '-shm']) {
      const name = `${this.file}${suffix}`;
      const stat = fs.statSync(name, { throwIfNoEntry: false });
      const before = this.#seen.get(suffix);
      if (!stat) {
        if (before) return `removed: ${name}`;
        continue;
      }
      if (before && before.ino !== stat.ino) return `replaced: ${name}`;
      if (suffix === '-shm' && before && stat.size < before.size)
        return `truncated: ${name} (the next access would be a SIGBUS)`;
      if (!writable(name)) return `not-writable: ${name}`;
      this.#seen.set(suffix, { ino: stat.ino, size: Math.max(stat.size, before?.size ?? 0) });
    }
    return null;
  }
}

const writable = (p: string) => {
  try {
    fs.accessSync(p, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
};
