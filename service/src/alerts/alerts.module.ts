import type { Ledger } from '../ledger/index.js';
import type { Database } from '../platform/db/database.js';
import type { ModuleContext, ServiceModule } from '../platform/module.js';
import { ALERT_CATALOGUES } from './alert-messages.js';
import { AlertEngine } from './alert-engine.js';
import { ALERTS, type AlertName, type Severity } from './alert-rules.js';
import { observer } from './alert-sources.js';
import { IncidentStore, type SendState } from './incident-store.js';

/** How often conditions are evaluated: a condition true now reaches the receiver within this plus one send. */
export const EVALUATE_EVERY_MS = 30_000;

/** What the alerts read: the database and the ledger; of the configuration, the alerts' own settings, where the queues live, whether a store is synced and where operators look. */
export type AlertsContext = ModuleContext<
  { readonly db: Database; readonly ledger: Ledger },
  {
    readonly queuePrefix: string;
    readonly publicUrl: string;
    readonly woo: { readonly url: string | null; readonly demoStore: boolean };
    readonly alerts: {
      readonly webhookUrl: string | null;
      readonly format: 'alertmanager' | 'chat';
      readonly repeatSeconds: number;
      readonly reconcileLagSeconds: number;
    };
  }
>;

/** A firing incident as operators see it (status page, `alerts list`): ids, enums and times. */
export type FiringAlert = {
  alert: AlertName;
  subject: string;
  severity: Severity;
  since: string;
  lastSentAt: string | null;
  state: SendState;
  lastError: string | null;
  title: { sq: string; en: string };
};

export async function firingAlerts(store: IncidentStore): Promise<FiringAlert[]> {
  return (await store.all())
    .filter((i) => i.resolvedAt === null)
    .map((i) => ({
      alert: i.alert,
      subject: i.subject,
      severity: i.severity,
      since: i.startedAt,
      lastSentAt: i.lastSentAt,
      state: i.sendState,
      lastError: i.lastError,
      title: {
        sq: ALERT_CATALOGUES.sq.alerts[i.alert].title(i.subject, i.facts, i.severity),
        en: ALERT_CATALOGUES.en.alerts[i.alert].title(i.subject, i.facts, i.severity),
      },
    }));
}

/**
 * Alerts: every 30 s the conditions are evaluated (in-process, so they go on while Redis is away), each
 * incident is sent to ALERT_WEBHOOK_URL once, again every ALERT_REPEAT_S while it fires, and resolved
 * when it clears; `pb_alerts_firing{alert}` on /metrics. `queues` are the queues whose failed jobs alert.
 */
export function alertsModule(
  ctx: AlertsContext,
  queues: readonly string[],
): ServiceModule & { firing(): Promise<FiringAlert[]>; engine: AlertEngine } {
  const { config, core, clock, log } = ctx;
  const store = new IncidentStore(core.db);
  const engine = new AlertEngine({
    store,
    ledger: core.ledger,
    clock,
    log,
    observe: observer({
      db: core.db,
      redis: ctx.redis,
      queue: ctx.queue,
      queuePrefix: config.queuePrefix,
      queues,
      storeSynced: Boolean(config.woo.url) || config.woo.demoStore,
      startedAt: clock.now(),
      log,
    }),
    target: config.alerts.webhookUrl ? { url: config.alerts.webhookUrl, format: config.alerts.format } : null,
    settings: { repeatSeconds: config.alerts.repeatSeconds, reconcileLagSeconds: config.alerts.reconcileLagSeconds },
    externalUrl: `${config.publicUrl}/admin`,
  });
  ctx.metrics.gauge('pb_alerts_firing', 'Incidents firing now, by alert', ['alert'], async (set) => {
    const counts = new Map<string, number>(ALERTS.map((a) => [a, 0]));
    for (const i of await store.all()) if (i.resolvedAt === null) counts.set(i.alert, (counts.get(i.alert) ?? 0) + 1);
    for (const [alert, n] of counts) set({ alert }, n);
  });
  return {
    name: 'alerts',
    engine,
    firing: () => firingAlerts(store),
    tasks: [{ name: 'alerts-evaluate', everyMs: EVALUATE_EVERY_MS, run: () => engine.evaluate() }],
  };
}
