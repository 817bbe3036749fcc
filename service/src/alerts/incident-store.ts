import type { Database } from '../platform/db/database.js';
import { execute, query } from '../platform/db/sql.js';
import { fingerprintOf } from './alert-format.js';
import type { AlertName, Facts, Firing, Severity } from './alert-rules.js';

/**
 * Where a notification stands: `pending` (not tried yet), `sent` (the receiver has the latest),
 * `failed` (the last try failed; retried at nextAttemptAt), `unsent` (no ALERT_WEBHOOK_URL).
 */
export type SendState = 'pending' | 'sent' | 'failed' | 'unsent';

export type Incident = {
  alert: AlertName;
  subject: string;
  fingerprint: string;
  severity: Severity;
  facts: Facts;
  startedAt: string;
  seenAt: string;
  resolvedAt: string | null;
  lastSentAt: string | null;
  sentSeverity: Severity | null;
  sendState: SendState;
  attempts: number;
  nextAttemptAt: string | null;
  /** What went wrong, as a code (`http-503`, `timeout`, `network`): never the receiver's answer. */
  lastError: string | null;
  firedLedgered: boolean;
  resolvedLedgered: boolean;
};

type Row = {
  alert: AlertName;
  subject: string;
  fingerprint: string;
  severity: Severity;
  facts: string;
  started_at: string;
  seen_at: string;
  resolved_at: string | null;
  last_sent_at: string | null;
  sent_severity: Severity | null;
  send_state: SendState;
  attempts: number | string;
  next_attempt_at: string | null;
  last_error: string | null;
  fired_ledgered: number | string;
  resolved_ledgered: number | string;
};

const toIncident = (r: Row): Incident => ({
  alert: r.alert,
  subject: r.subject,
  fingerprint: r.fingerprint,
  severity: r.severity,
  facts: JSON.parse(r.facts) as Facts,
  startedAt: r.started_at,
  seenAt: r.seen_at,
  resolvedAt: r.resolved_at,
  lastSentAt: r.last_sent_at,
  sentSeverity: r.sent_severity,
  sendState: r.send_state,
  attempts: Number(r.attempts),
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  firedLedgered: Number(r.fired_ledgered) === 1,
  resolvedLedgered: Number(r.resolved_ledgered) === 1,
});

const WHERE = 'WHERE alert = $1 AND subject = $2';

/** The open incidents, on SQLite or PostgreSQL (one SQL text). One evaluator writes them: the running service. */
export class IncidentStore {
  constructor(private readonly db: Database) {}

  async all(): Promise<Incident[]> {
    const rows = await query<Row>(this.db, 'SELECT * FROM alert_incidents ORDER BY started_at, alert, subject');
    return rows.map(toIncident);
  }

  /** A condition newly true; a row already there (another evaluator's) is left alone. */
  async open(f: Firing, at: Date): Promise<void> {
    await execute(
      this.db,
      `INSERT INTO alert_incidents (alert, subject, fingerprint, severity, facts, started_at, seen_at, send_state)
       VALUES ($1, $2, $3, $4, $5, $6, $6, 'pending') ON CONFLICT (alert, subject) DO NOTHING`,
      [f.alert, f.subject, fingerprintOf(f.alert, f.subject), f.severity, JSON.stringify(f.facts), at.toISOString()],
    );
  }

  /** Still true: how bad and its facts now. */
  async seen(f: Firing, at: Date): Promise<void> {
    await execute(this.db, `UPDATE alert_incidents SET severity = $3, facts = $4, seen_at = $5 ${WHERE}`, [
      f.alert,
      f.subject,
      f.severity,
      JSON.stringify(f.facts),
      at.toISOString(),
    ]);
  }

  /** True again before the receiver heard it resolved: a new incident in the same row (the receiver still thinks it fires). */
  async reopen(f: Firing, at: Date): Promise<void> {
    await execute(
      this.db,
      `UPDATE alert_incidents SET severity = $3, facts = $4, started_at = $5, seen_at = $5, resolved_at = NULL,
       fired_ledgered = 0, resolved_ledgered = 0, attempts = 0, next_attempt_at = NULL ${WHERE}`,
      [f.alert, f.subject, f.severity, JSON.stringify(f.facts), at.toISOString()],
    );
  }

  async resolve(alert: AlertName, subject: string, at: Date): Promise<void> {
    await execute(
      this.db,
      `UPDATE alert_incidents SET resolved_at = $3, attempts = 0, next_attempt_at = NULL ${WHERE} AND resolved_at IS NULL`,
      [alert, subject, at.toISOString()],
    );
  }

  async ledgered(alert: AlertName, subject: string, which: 'fired' | 'resolved'): Promise<void> {
    await execute(this.db, `UPDATE alert_incidents SET ${which}_ledgered = 1 ${WHERE}`, [alert, subject]);
  }

  async sent(i: Incident, at: Date): Promise<void> {
    await execute(
      this.db,
      `UPDATE alert_incidents SET last_sent_at = $3, sent_severity = $4, send_state = 'sent', attempts = 0,
       next_attempt_at = NULL, last_error = NULL ${WHERE}`,
      [i.alert, i.subject, at.toISOString(), i.severity],
    );
  }

  async failed(i: Incident, error: string, nextAttemptAt: Date): Promise<void> {
    await execute(
      this.db,
      `UPDATE alert_incidents SET send_state = 'failed', attempts = attempts + 1, next_attempt_at = $3, last_error = $4 ${WHERE}`,
      [i.alert, i.subject, nextAttemptAt.toISOString(), error],
    );
  }

  async unsent(i: Incident): Promise<void> {
    await execute(this.db, `UPDATE alert_incidents SET send_state = 'unsent' ${WHERE} AND send_state <> 'unsent'`, [
      i.alert,
      i.subject,
    ]);
  }

  async remove(alert: AlertName, subject: string): Promise<void> {
    await execute(this.db, `DELETE FROM alert_incidents ${WHERE}`, [alert, subject]);
  }
}
