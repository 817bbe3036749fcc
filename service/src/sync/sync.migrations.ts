import type { Migration } from '../platform/db/migrate.js';

const SQL = `
  CREATE TABLE sync_state (
    resource TEXT NOT NULL,
    id BIGINT NOT NULL,
    subject TEXT,
    digest TEXT NOT NULL,
    status TEXT,
    modified_gmt TEXT,
    synced_at TEXT NOT NULL,
    PRIMARY KEY (resource, id)
  );
  CREATE TABLE sync_cursors (name TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);
`;
const SECRETS = (blob: string) => `
  CREATE TABLE sync_webhook_secrets (id TEXT PRIMARY KEY, sealed ${blob} NOT NULL, master_key_id TEXT NOT NULL, created_at TEXT NOT NULL, retired_at TEXT);
`;
/** Webhook deliveries acknowledged while Redis was away: ids and enums only, as the sync job carries them. */
const INBOX = `
  CREATE TABLE sync_webhook_inbox (
    job_id TEXT PRIMARY KEY,
    resource TEXT NOT NULL,
    resource_id BIGINT NOT NULL,
    topic TEXT NOT NULL,
    modified TEXT,
    received_at TEXT NOT NULL
  );
  CREATE INDEX sync_webhook_inbox_received ON sync_webhook_inbox (received_at);
`;

/** What the sync last saw of each resource (pseudonymous: a subject ref and a keyed digest), and its cursors. */
export const syncMigrations: readonly Migration[] = [
  { id: '0003-sync', sqlite: SQL + SECRETS('BLOB'), postgres: SQL + SECRETS('BYTEA') },
  { id: '0041-sync-webhook-inbox', sqlite: INBOX, postgres: INBOX },
];
