import type { Migration } from '../platform/db/migrate.js';

/**
 * One row per open incident (an alert and its subject: ids and enums only), kept until the receiver has
 * heard it resolved, so a restart neither sends an incident again nor forgets one it owes. Flags are
 * INTEGER 0/1 on both dialects.
 */
const TABLE = `
  CREATE TABLE alert_incidents (
    alert TEXT NOT NULL,
    subject TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    severity TEXT NOT NULL,
    facts TEXT NOT NULL,
    started_at TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    resolved_at TEXT,
    last_sent_at TEXT,
    sent_severity TEXT,
    send_state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error TEXT,
    fired_ledgered INTEGER NOT NULL DEFAULT 0,
    resolved_ledgered INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (alert, subject)
  );
`;

export const alertsMigrations: readonly Migration[] = [{ id: '0060-alert-incidents', sqlite: TABLE, postgres: TABLE }];
