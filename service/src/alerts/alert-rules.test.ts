import { alertmanagerBody, chatBody, fingerprintOf } from './alert-format.js';
import { firingOf, owed, retryDelayMs, type NotifyState } from './alert-rules.js';

const NOW = new Date('2026-11-10T12:00:00.000Z');
const DAY = 86_400_000;
const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();
const settings = { reconcileLagSeconds: 1800 };

describe('firingOf', () => {
  it('raises dsr_deadline for requests due within 3 days (warning) or past due (critical), nothing further out', () => {
    const { firing, judged } = firingOf(
      {
        requests: [
          { id: 'r-far', kind: 'access', status: 'received', dueAt: at(3 * DAY + 1) },
          { id: 'r-soon', kind: 'access', status: 'verified', dueAt: at(3 * DAY) },
          { id: 'r-late', kind: 'erasure', status: 'in_progress', dueAt: at(-1) },
        ],
      },
      NOW,
      settings,
    );
    expect(firing.map((f) => [f.subject, f.severity])).toEqual([
      ['r-soon', 'warning'],
      ['r-late', 'critical'],
    ]);
    expect([...judged]).toEqual(['dsr_deadline']);
  });

  it('judges only the alerts whose sources answered, so an unread source resolves nothing', () => {
    expect([...firingOf({}, NOW, settings).judged]).toEqual([]);
    const { firing, judged } = firingOf(
      {
        disabledWebhooks: [{ id: 12, topic: 'order.updated' }],
        verification: { ok: false, at: at(0), break: { seq: 7, reason: 'hash-mismatch' } },
        failedJobs: [
          { queue: 'dsr', failed: 0 },
          { queue: 'sync', failed: 3 },
        ],
        reconcile: null,
        deadLetters: [
          { target: 'consent-state', reason: 'refused' },
          { target: 'consent-state', reason: 'retries-exhausted' },
        ],
      },
      NOW,
      settings,
    );
    expect(firing.map((f) => [f.alert, f.subject, f.facts])).toEqual([
      ['woo_webhook_disabled', '12', { topic: 'order.updated' }],
      ['ledger_verify_failed', 'entry-7', { verifiedAt: at(0), seq: 7, reason: 'hash-mismatch' }],
      ['jobs_failed', 'sync', { failed: 3 }],
      ['delivery_dead', 'consent-state', { deadLetters: 2, reasons: 'refused,retries-exhausted' }],
    ]);
    expect(judged.size).toBe(5);
    expect(judged.has('dsr_deadline')).toBe(false);
  });

  it('raises reconcile_lag past the threshold, counting from start-up when nothing was ever reconciled', () => {
    const lag = (reconcile: { at: string | null; waitingSince: string }) =>
      firingOf({ reconcile }, NOW, settings).firing.map((f) => f.facts.lagSeconds);
    expect(lag({ at: at(-1800_000), waitingSince: at(-DAY) })).toEqual([]);
    expect(lag({ at: at(-1801_000), waitingSince: at(-DAY) })).toEqual([1801]);
    expect(lag({ at: null, waitingSince: at(-60_000) })).toEqual([]);
    expect(lag({ at: null, waitingSince: at(-2000_000) })).toEqual([2000]);
  });
});

describe('owed', () => {
  const base: NotifyState = {
    severity: 'warning',
    resolvedAt: null,
    lastSentAt: null,
    sentSeverity: null,
    nextAttemptAt: null,
  };
  const REPEAT = 4 * 3_600_000;

  it('fires once, again after the repeat interval or when it got worse, resolves only what the receiver heard', () => {
    expect(owed(base, NOW, REPEAT)).toBe('firing');
    const sent = { ...base, lastSentAt: at(-60_000), sentSeverity: 'warning' as const };
    expect(owed(sent, NOW, REPEAT)).toBeNull();
    expect(owed({ ...sent, lastSentAt: at(-REPEAT) }, NOW, REPEAT)).toBe('firing');
    expect(owed({ ...sent, severity: 'critical' }, NOW, REPEAT)).toBe('firing');
    expect(owed({ ...sent, resolvedAt: at(0) }, NOW, REPEAT)).toBe('resolved');
    expect(owed({ ...base, resolvedAt: at(0) }, NOW, REPEAT)).toBe('close');
  });

  it('waits for the backoff after a failed send', () => {
    expect(owed({ ...base, nextAttemptAt: at(1) }, NOW, REPEAT)).toBeNull();
    expect(owed({ ...base, nextAttemptAt: at(0) }, NOW, REPEAT)).toBe('firing');
    expect([1, 2, 3, 4, 10].map(retryDelayMs)).toEqual([15_000, 30_000, 60_000, 120_000, 600_000]);
  });
});

describe('alert bodies', () => {
  const notice = {
    alert: 'jobs_failed' as const,
    subject: 'dsr',
    severity: 'warning' as const,
    facts: { failed: 2 },
    fingerprint: fingerprintOf('jobs_failed', 'dsr'),
    startedAt: at(0),
    resolvedAt: null,
  };

  it("gives an incident one fingerprint, whatever its facts, and Alertmanager's resolved shape", () => {
    expect(fingerprintOf('jobs_failed', 'dsr')).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprintOf('jobs_failed', 'dsr')).not.toBe(fingerprintOf('jobs_failed', 'sync'));
    const resolved = alertmanagerBody({ ...notice, resolvedAt: at(60_000) }, 'https://x.example.al/admin');
    expect(resolved).toMatchObject({ status: 'resolved', alerts: [{ status: 'resolved', endsAt: at(60_000) }] });
    expect(resolved.commonAnnotations.summary).toBe('2 job(s) in queue dsr are out of retries');
  });

  it('writes a chat resolution as two short lines and the link', () => {
    expect(chatBody({ ...notice, resolvedAt: at(60_000) }, 'https://x.example.al/admin').text).toBe(
      'ZGJIDHUR [warning] jobs_failed: 2 punë në radhën dsr mbaruan riprovat\n' +
        'RESOLVED [warning] jobs_failed: 2 job(s) in queue dsr are out of retries\nhttps://x.example.al/admin',
    );
  });
});
