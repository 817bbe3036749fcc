import { randomBytes, randomUUID } from 'node:crypto';
import { AppError } from '../platform/errors.js';
import { open, seal } from './envelope.js';
import type { StoredDataKey } from './ledger-store.js';

export type MasterKey = { readonly id: string; readonly key: Buffer };

/**
 * Master keys wrap the per-subject data keys. The first key wraps new data keys; every listed key
 * can still unwrap, which is what lets `ledger rotate-master-key` move data keys to the first one.
 */
export class MasterKeyring {
  readonly current: MasterKey;
  readonly #byId: Map<string, Buffer>;

  constructor(keys: readonly MasterKey[]) {
    if (keys.length === 0) throw new AppError('CONFIG_INVALID', { variable: 'LEDGER_MASTER_KEYS' });
    this.current = keys[0]!;
    this.#byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  /** A fresh data key for a subject; with `hold`, a hold key of that subject (see StoredDataKey). */
  newDataKey(subject: string, at: string, hold: string | null = null): { stored: StoredDataKey; key: Buffer } {
    const id = randomUUID();
    const key = randomBytes(32);
    return {
      key,
      stored: {
        id,
        subject,
        wrapped: seal(this.current.key, key, `data-key:${id}`),
        masterKeyId: this.current.id,
        createdAt: at,
        hold,
      },
    };
  }

  unwrap(stored: StoredDataKey): Buffer {
    const master = stored.masterKeyId === null ? undefined : this.#byId.get(stored.masterKeyId);
    if (!master || !stored.wrapped)
      throw new AppError('LEDGER_KEY_UNAVAILABLE', { dataKeyId: stored.id, masterKeyId: stored.masterKeyId });
    return open(master, stored.wrapped, `data-key:${stored.id}`);
  }

  /** Seals a small secret of the service itself (a webhook secret) under the current master key. */
  sealSecret(plaintext: string, label: string): { sealed: Buffer; masterKeyId: string } {
    return {
      sealed: seal(this.current.key, Buffer.from(plaintext, 'utf8'), `secret:${label}`),
      masterKeyId: this.current.id,
    };
  }

  openSecret(sealed: Buffer, masterKeyId: string, label: string): string {
    const master = this.#byId.get(masterKeyId);
    if (!master) throw new AppError('LEDGER_KEY_UNAVAILABLE', { masterKeyId });
    return open(master, sealed, `secret:${label}`).toString('utf8');
  }

  rewrap(stored: StoredDataKey): Buffer {
    return seal(this.current.key, this.unwrap(stored), `data-key:${stored.id}`);
  }
}
