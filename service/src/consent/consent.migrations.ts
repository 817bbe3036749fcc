import type { Migration } from '../platform/db/migrate.js';

/**
 * Consent projections: rebuildable from the ledger alone (consent.recorded, policy.published).
 * Unsubscribe tokens are a lookup from a token id's hash to a subject ref; their issuance is ledgered.
 */
const tables = (bool: string, bigint: string) => `
  CREATE TABLE consent_state (
    ref TEXT NOT NULL, purpose TEXT NOT NULL, decision TEXT NOT NULL, rule TEXT NOT NULL, at TEXT NOT NULL,
    seq ${bigint} NOT NULL, event_id TEXT NOT NULL, policy_version TEXT NOT NULL, source TEXT NOT NULL,
    PRIMARY KEY (ref, purpose)
  );
  CREATE TABLE consent_policy_versions (
    version TEXT PRIMARY KEY, sha256 TEXT NOT NULL, languages TEXT NOT NULL, effective TEXT NOT NULL,
    material ${bool} NOT NULL, published_at TEXT NOT NULL, seq ${bigint} NOT NULL
  );
  CREATE TABLE consent_cursor (name TEXT PRIMARY KEY, seq ${bigint} NOT NULL);
  CREATE TABLE consent_unsubscribe_tokens (token_hash TEXT PRIMARY KEY, ref TEXT NOT NULL, issued_at TEXT NOT NULL);
`;

export const consentMigrations: readonly Migration[] = [
  { id: '0010-consent', sqlite: tables('INTEGER', 'INTEGER'), postgres: tables('BOOLEAN', 'BIGINT') },
];
