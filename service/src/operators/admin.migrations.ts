import type { Migration } from '../platform/db/migrate.js';

const LOGIN_LINKS = `CREATE TABLE admin_login_links (
    id TEXT PRIMARY KEY, id_hash TEXT NOT NULL UNIQUE, token_id TEXT NOT NULL, operator TEXT NOT NULL, role TEXT NOT NULL,
    created_at TEXT NOT NULL, expires_at TEXT NOT NULL, used_at TEXT
  );`;

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
  {
    // Tokens expire (those made before: 90 days after creation) and show when they were last used.
    id: '0002-admin-tokens-expiry',
    sqlite: `ALTER TABLE admin_tokens ADD COLUMN expires_at TEXT;
      ALTER TABLE admin_tokens ADD COLUMN last_used_at TEXT;
      UPDATE admin_tokens SET expires_at = strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+90 days');`,
    postgres: `ALTER TABLE admin_tokens ADD COLUMN expires_at TEXT;
      ALTER TABLE admin_tokens ADD COLUMN last_used_at TEXT;
      UPDATE admin_tokens SET expires_at = to_char((created_at::timestamptz + interval '90 days') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');`,
  },
  {
    // Roles (a viewer reads, an operator acts; tokens made before: operators) and browser sessions signed in with a token.
    id: '0002-admin-tokens-roles-sessions',
    sqlite: `ALTER TABLE admin_tokens ADD COLUMN role TEXT NOT NULL DEFAULT 'operator';
      CREATE TABLE admin_sessions (
        id_hash TEXT PRIMARY KEY, token_id TEXT NOT NULL, operator TEXT NOT NULL, role TEXT NOT NULL, csrf TEXT NOT NULL,
        created_at TEXT NOT NULL, seen_at TEXT NOT NULL, expires_at TEXT NOT NULL, ended_at TEXT
      );`,
    postgres: `ALTER TABLE admin_tokens ADD COLUMN role TEXT NOT NULL DEFAULT 'operator';
      CREATE TABLE admin_sessions (
        id_hash TEXT PRIMARY KEY, token_id TEXT NOT NULL, operator TEXT NOT NULL, role TEXT NOT NULL, csrf TEXT NOT NULL,
        created_at TEXT NOT NULL, seen_at TEXT NOT NULL, expires_at TEXT NOT NULL, ended_at TEXT
      );`,
  },
  {
    // One-time sign-in links (admin login-link): the hash only, the live token they sign in with, single use.
    id: '0043-admin-login-links',
    sqlite: LOGIN_LINKS,
    postgres: LOGIN_LINKS,
  },
];
