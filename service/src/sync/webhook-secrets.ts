import { randomBytes, randomUUID } from 'node:crypto';
import type { MasterKeyring } from '../ledger/index.js';
import type { Database } from '../platform/db/database.js';
import { execute, query } from '../platform/db/sql.js';

/** A retired secret keeps verifying this long, so deliveries signed just before a rotation still land. */
const GRACE_MS = 24 * 60 * 60 * 1000;

/** Webhook secrets made by `woo connect`, sealed under the master key; several verify at once. */
export class WebhookSecrets {
  #cache: { at: number; secrets: string[] } | null = null;

  constructor(
    private readonly db: Database,
    private readonly keyring: MasterKeyring,
    private readonly fromConfig: readonly string[],
  ) {}

  /** The secrets as the configuration sets them up (WOOCOMMERCE_WEBHOOK_SECRETS): `start` and the CLI both build them here. */
  static configured(
    core: { db: Database; keyring: MasterKeyring },
    config: { woo: { webhookSecrets: readonly string[] } },
  ): WebhookSecrets {
    return new WebhookSecrets(core.db, core.keyring, config.woo.webhookSecrets);
  }

  /** A fresh secret; the previous ones retire (and stop verifying after the grace period). */
  async rotate(at: Date): Promise<string> {
    const secret = randomBytes(32).toString('base64url');
    const id = randomUUID();
    const { sealed, masterKeyId } = this.keyring.sealSecret(secret, `webhook:${id}`);
    await execute(this.db, 'UPDATE sync_webhook_secrets SET retired_at = $1 WHERE retired_at IS NULL', [
      at.toISOString(),
    ]);
    await execute(
      this.db,
      'INSERT INTO sync_webhook_secrets (id, sealed, master_key_id, created_at) VALUES ($1, $2, $3, $4)',
      [id, sealed, masterKeyId, at.toISOString()],
    );
    this.#cache = null;
    return secret;
  }

  async active(now = Date.now()): Promise<readonly string[]> {
    if (this.#cache && now - this.#cache.at < 10_000) return this.#cache.secrets;
    const since = new Date(now - GRACE_MS).toISOString();
    const rows = await query<{ id: string; sealed: Buffer; master_key_id: string }>(
      this.db,
      'SELECT id, sealed, master_key_id FROM sync_webhook_secrets WHERE retired_at IS NULL OR retired_at > $1',
      [since],
    );
    const secrets = [
      ...this.fromConfig,
      ...rows.map((r) => this.keyring.openSecret(Buffer.from(r.sealed), r.master_key_id, `webhook:${r.id}`)),
    ];
    this.#cache = { at: now, secrets };
    return secrets;
  }
}
