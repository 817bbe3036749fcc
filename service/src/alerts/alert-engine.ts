import type { Ledger } from '../ledger/index.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/log/logger.js';
import { bodyOf, type AlertFormat } from './alert-format.js';
import { firingOf, owed, retryDelayMs, type Observations, type RuleSettings } from './alert-rules.js';
import type { Incident, IncidentStore } from './incident-store.js';

/** Where alerts go; null: nowhere (they are still evaluated, stored and listed). */
export type AlertTarget = { url: string; format: AlertFormat } | null;

export type AlertEngineDeps = {
  store: IncidentStore;
  ledger: Ledger;
  clock: Clock;
  log: Logger;
  observe(): Promise<Observations>;
  target: AlertTarget;
  settings: RuleSettings & { repeatSeconds: number };
  /** Where an operator looks (the status page); the receiver gets it as externalURL. */
  externalUrl: string;
  fetch?: typeof fetch;
};

const keyOf = (x: { alert: string; subject: string }) => `${x.alert}\u0000${x.subject}`;

/**
 * One evaluation: observe, open, update and resolve incidents in the database, ledger each fire and
 * resolve (idempotent keys: a crash between the two never records one twice), then send what is owed.
 * A send that fails leaves the incident owing it, retried after a backoff; a crash after a send but
 * before it is stored sends it once more (at least once, never lost).
 */
export class AlertEngine {
  constructor(private readonly deps: AlertEngineDeps) {}

  async evaluate(): Promise<{ firing: number; sent: number; failed: number }> {
    const { store, clock, settings } = this.deps;
    const now = clock.now();
    const { firing, judged } = firingOf(await this.deps.observe(), now, settings);
    const before = new Map((await store.all()).map((i) => [keyOf(i), i]));
    for (const f of firing) {
      const known = before.get(keyOf(f));
      if (!known) await store.open(f, now);
      else if (known.resolvedAt) await store.reopen(f, now);
      else await store.seen(f, now);
    }
    const nowFiring = new Set(firing.map(keyOf));
    for (const i of before.values())
      if (!i.resolvedAt && judged.has(i.alert) && !nowFiring.has(keyOf(i)))
        await store.resolve(i.alert, i.subject, now);

    let sent = 0;
    let failed = 0;
    for (const i of await store.all()) {
      await this.ledgerOf(i);
      const due = owed(i, now, settings.repeatSeconds * 1000);
      if (due === 'close') {
        await store.remove(i.alert, i.subject);
        continue;
      }
      if (!due) continue;
      if (!this.deps.target) {
        await store.unsent(i);
        continue;
      }
      const outcome = await this.send(i);
      if (outcome === 'ok') {
        sent++;
        if (due === 'resolved') await store.remove(i.alert, i.subject);
        else await store.sent(i, now);
      } else {
        failed++;
        await store.failed(i, outcome, new Date(now.getTime() + retryDelayMs(i.attempts + 1)));
        this.deps.log.warn(
          { alert: i.alert, subject: i.subject, error: outcome },
          'alert not delivered; retried later',
        );
      }
    }
    return { firing: firing.length, sent, failed };
  }

  private async ledgerOf(i: Incident): Promise<void> {
    const detail = { alert: i.alert, subject: i.subject, fingerprint: i.fingerprint, startedAt: i.startedAt };
    if (!i.firedLedgered) {
      await this.deps.ledger.record({
        key: `ops.alert-fired/${i.alert}/${i.subject}/${i.startedAt}`,
        kind: 'ops.alert-fired',
        source: 'service',
        at: i.startedAt,
        detail: { ...detail, severity: i.severity },
      });
      await this.deps.store.ledgered(i.alert, i.subject, 'fired');
    }
    if (i.resolvedAt && !i.resolvedLedgered) {
      await this.deps.ledger.record({
        key: `ops.alert-resolved/${i.alert}/${i.subject}/${i.startedAt}`,
        kind: 'ops.alert-resolved',
        source: 'service',
        at: i.resolvedAt,
        detail: { ...detail, resolvedAt: i.resolvedAt },
      });
      await this.deps.store.ledgered(i.alert, i.subject, 'resolved');
    }
  }

  /** 'ok', or why not as a code; the receiver's answer is never read (a chat service may echo what it got). */
  private async send(i: Incident): Promise<'ok' | string> {
    const target = this.deps.target!;
    try {
      const res = await (this.deps.fetch ?? fetch)(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'privacy-bridge-alerts' },
        body: JSON.stringify(bodyOf(target.format, i, this.deps.externalUrl)),
        redirect: 'error',
        signal: AbortSignal.timeout(10_000),
      });
      await res.body?.cancel().catch(() => undefined);
      return res.ok ? 'ok' : `http-${res.status}`;
    } catch (err) {
      return (err as Error).name === 'TimeoutError' ? 'timeout' : 'network';
    }
  }
}
