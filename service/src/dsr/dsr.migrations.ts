import type { Migration } from '../platform/db/migrate.js';

/**
 * Requests, their plan items, export files and receipts. Personal values (the e-mail needed to search
 * WooCommerce, the search terms, corrections) are sealed under the master keyring, never in clear,
 * and never in Redis: jobs read them here by request id.
 */
const tables = (blob: string) => `
  CREATE TABLE dsr_requests (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, status TEXT NOT NULL, subject TEXT NOT NULL,
    email_sealed ${blob} NOT NULL, terms_sealed ${blob}, corrections_sealed ${blob}, master_key_id TEXT NOT NULL,
    wp_request_id INTEGER, identity_method TEXT NOT NULL, locale TEXT NOT NULL, source TEXT NOT NULL,
    received_at TEXT NOT NULL, due_at TEXT NOT NULL, extended_at TEXT, extension_reason TEXT,
    completed_at TEXT, reason TEXT, flag TEXT, stuck_step TEXT, stuck_reason TEXT,
    pass INTEGER NOT NULL, connector TEXT, version INTEGER NOT NULL, updated_at TEXT NOT NULL
  );
  CREATE INDEX dsr_requests_status ON dsr_requests (status, due_at);
  CREATE INDEX dsr_requests_subject ON dsr_requests (subject);
  CREATE TABLE dsr_items (
    request_id TEXT NOT NULL, item TEXT NOT NULL, pass INTEGER NOT NULL, resource TEXT NOT NULL, resource_id INTEGER,
    action TEXT NOT NULL, fields TEXT NOT NULL, hold TEXT, until TEXT, fingerprints TEXT NOT NULL,
    done_at TEXT, result TEXT, released_pass INTEGER,
    PRIMARY KEY (request_id, item)
  );
  CREATE INDEX dsr_items_retained ON dsr_items (action, released_pass, until);
  CREATE TABLE dsr_exports (
    id TEXT PRIMARY KEY, request_id TEXT NOT NULL, subject TEXT NOT NULL, file TEXT NOT NULL, key_sealed ${blob} NOT NULL,
    master_key_id TEXT NOT NULL, bytes INTEGER NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL, deleted_at TEXT
  );
  CREATE INDEX dsr_exports_expiry ON dsr_exports (deleted_at, expires_at);
  CREATE TABLE dsr_receipts (
    request_id TEXT NOT NULL, pass INTEGER NOT NULL, body TEXT NOT NULL, hash TEXT NOT NULL, created_at TEXT NOT NULL,
    PRIMARY KEY (request_id, pass)
  );
`;

export const dsrMigrations: readonly Migration[] = [
  { id: '0020-dsr', sqlite: tables('BLOB'), postgres: tables('BYTEA') },
];
