/**
 * The alert rules, pure: what the service observed → the conditions true now, and, for one incident,
 * which notification it owes. No clock, no database, no network.
 */

/** Every alert the service raises. Its name is a metric label and a ledger detail: an enum, never data. */
export const ALERTS = [
  'dsr_deadline',
  'woo_webhook_disabled',
  'ledger_verify_failed',
  'jobs_failed',
  'reconcile_lag',
  'delivery_dead',
] as const;
export type AlertName = (typeof ALERTS)[number];
export type Severity = 'warning' | 'critical';

/** A request due within this many days raises dsr_deadline (warning); past its due time, critical. */
export const DSR_ALERT_DAYS = 3;

/** Facts for the message: ids, enums, counts and times only. */
export type Facts = Readonly<Record<string, string | number>>;

/** A condition true now: which alert, about what (a request id, a queue name: ids and enums only), how bad. */
export type Firing = { alert: AlertName; subject: string; severity: Severity; facts: Facts };

/**
 * What the sources answered, each left undefined when it could not be read (Redis away, the database
 * busy): an alert whose source did not answer keeps its incidents as they were, neither fired nor resolved.
 */
export type Observations = {
  requests?: readonly { id: string; kind: string; status: string; dueAt: string }[];
  /** The service's webhooks the last check found disabled. */
  disabledWebhooks?: readonly { id: number; topic: string }[];
  /** The last self-verification of the ledger; null before the first. */
  verification?: { ok: boolean; at: string; break?: { seq: number; reason: string } } | null;
  failedJobs?: readonly { queue: string; failed: number }[];
  /** Only when a store is synced: when the reconciliation last advanced (null: never), and since when we wait. */
  reconcile?: { at: string | null; waitingSince: string } | null;
  deadLetters?: readonly { target: string; reason: string }[];
};

export type RuleSettings = { reconcileLagSeconds: number };

const DAY_MS = 86_400_000;

/** The conditions true at `now`, and which alerts were judged at all (their sources answered). */
export function firingOf(
  o: Observations,
  now: Date,
  settings: RuleSettings,
): { firing: Firing[]; judged: Set<AlertName> } {
  const firing: Firing[] = [];
  const judged = new Set<AlertName>();
  const t = now.getTime();
  if (o.requests) {
    judged.add('dsr_deadline');
    for (const r of o.requests) {
      const due = Date.parse(r.dueAt);
      if (due - t > DSR_ALERT_DAYS * DAY_MS) continue;
      firing.push({
        alert: 'dsr_deadline',
        subject: r.id,
        severity: t > due ? 'critical' : 'warning',
        facts: { kind: r.kind, status: r.status, dueAt: new Date(due).toISOString() },
      });
    }
  }
  if (o.disabledWebhooks) {
    judged.add('woo_webhook_disabled');
    for (const w of o.disabledWebhooks)
      firing.push({
        alert: 'woo_webhook_disabled',
        subject: String(w.id),
        severity: 'warning',
        facts: { topic: w.topic },
      });
  }
  if (o.verification !== undefined) {
    judged.add('ledger_verify_failed');
    const v = o.verification;
    if (v && !v.ok)
      firing.push({
        alert: 'ledger_verify_failed',
        subject: v.break ? `entry-${v.break.seq}` : 'chain',
        severity: 'critical',
        facts: { verifiedAt: v.at, ...(v.break ? { seq: v.break.seq, reason: v.break.reason } : {}) },
      });
  }
  if (o.failedJobs) {
    judged.add('jobs_failed');
    for (const q of o.failedJobs)
      if (q.failed > 0)
        firing.push({ alert: 'jobs_failed', subject: q.queue, severity: 'warning', facts: { failed: q.failed } });
  }
  if (o.reconcile !== undefined) {
    judged.add('reconcile_lag');
    const r = o.reconcile;
    const since = r ? Date.parse(r.at ?? r.waitingSince) : t;
    const lag = Math.round((t - since) / 1000);
    if (r && lag > settings.reconcileLagSeconds)
      firing.push({
        alert: 'reconcile_lag',
        subject: 'orders',
        severity: 'warning',
        facts: { lagSeconds: lag, thresholdSeconds: settings.reconcileLagSeconds, reconciledAt: r.at ?? 'never' },
      });
  }
  if (o.deadLetters) {
    judged.add('delivery_dead');
    const byTarget = new Map<string, { n: number; reasons: Set<string> }>();
    for (const d of o.deadLetters) {
      const entry = byTarget.get(d.target) ?? { n: 0, reasons: new Set<string>() };
      entry.n++;
      entry.reasons.add(d.reason);
      byTarget.set(d.target, entry);
    }
    for (const [target, { n, reasons }] of byTarget)
      firing.push({
        alert: 'delivery_dead',
        subject: target,
        severity: 'warning',
        facts: { deadLetters: n, reasons: [...reasons].sort().join(',') },
      });
  }
  return { firing, judged };
}

/** One incident as its notifications see it. */
export type NotifyState = {
  severity: Severity;
  resolvedAt: string | null;
  lastSentAt: string | null;
  sentSeverity: Severity | null;
  nextAttemptAt: string | null;
};

const RANK: Record<Severity, number> = { warning: 1, critical: 2 };

/**
 * The notification an incident owes now: its first firing, a firing again when it got worse (a request
 * now overdue) or `repeatMs` after the last one that arrived, a resolution when it cleared after the
 * receiver heard of it; 'close' when it cleared before the receiver heard of it (nothing to take back).
 * A failed send waits for its backoff (`nextAttemptAt`).
 */
export function owed(i: NotifyState, now: Date, repeatMs: number): 'firing' | 'resolved' | 'close' | null {
  if (i.resolvedAt !== null && i.lastSentAt === null) return 'close';
  if (i.nextAttemptAt !== null && now.getTime() < Date.parse(i.nextAttemptAt)) return null;
  if (i.resolvedAt !== null) return 'resolved';
  if (i.lastSentAt === null) return 'firing';
  if (i.sentSeverity === null || RANK[i.severity] > RANK[i.sentSeverity]) return 'firing';
  return now.getTime() - Date.parse(i.lastSentAt) >= repeatMs ? 'firing' : null;
}

/** After `failures` failed sends in a row: 15 s (so the next 30-s evaluation tries again), doubling, at most 10 min. */
export const retryDelayMs = (failures: number) => Math.min(15_000 * 2 ** Math.max(0, failures - 1), 600_000);
