import type { Migration } from '../platform/db/migrate.js';

export const adminMigrations: readonly Migration[] = [
  {
    id: '0002-admin-tokens',
    sqlite: `CREATE TABLE admin_tokens (
      id TEXT PRIMARY KEY, operator TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, revoked_at TEXT
    );`,
    postgres: `CREATE TABLE admin_tokens (
      id TEXT PRIMARY KEY, operator TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, revoked_at TEXT
    );`,
  },
];
