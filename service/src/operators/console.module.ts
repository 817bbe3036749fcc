import { Router } from 'express';
import { PluginHeartbeat, type LedgerStatusView, type QueueHealthList } from '../../../shared/src/contracts/console.js';
import type { SiteHealthView } from '../../../shared/src/contracts/site-health.js';
import { DeadLetters, deliveryBacklog } from '../delivery/index.js';
import { deadlineFlag, DsrStore, OPEN_STATUSES, requestSteps } from '../dsr/index.js';
import { LAST_VERIFY_KEY, VERIFY_EVERY_MS, type Ledger } from '../ledger/index.js';
import type { Database } from '../platform/db/database.js';
import { sharedRead } from '../platform/metrics.js';
import type { ModuleContext, ServiceModule } from '../platform/module.js';
import { withBody } from '../platform/http/with-body.js';
import { RECONCILE_CURSOR, SyncState, webhookHealth } from '../sync/index.js';
import { AdminLoginLinks } from './admin-login-links.js';
import { AdminSessions } from './admin-sessions.js';
import type { AdminTokens } from './admin-tokens.js';
import { operatorRoutes } from './operator.routes.js';
import { queueStats } from './queue-stats.js';
import { ATTENTION_LIMIT, statusOf, type StatusData, type StatusSources } from './status.js';

/** The plugin sends its heartbeat every five minutes: one older than three of those is shown as stale; after a day it is forgotten. */
const HEARTBEAT_STALE_S = 15 * 60;
const HEARTBEAT_KEEP_S = 86_400;

/** What the console reads: the database, the ledger and operators' tokens; and of the configuration, where the queues live, how the shop is synced, when a request is due soon, and whether cookies travel over https. */
export type ConsoleContext = ModuleContext<
  { readonly db: Database; readonly ledger: Ledger; readonly adminTokens: AdminTokens },
  {
    readonly queuePrefix: string;
    readonly publicUrl: string;
    readonly dsr: { readonly warnDays: number };
    readonly sync: { readonly reconcileEverySeconds: number; readonly webhookCheckEverySeconds: number };
    readonly wordpressUrl: string | null;
    readonly woo: { readonly url: string | null; readonly demoStore: boolean };
  }
>;

/**
 * What operators and the plugin's wp-admin console read: Prometheus metrics (admin token), and, signed
 * like every plugin call, a ping for "test connection", the ledger's head and last verification, and
 * queue health, and what WordPress's Site Health screen checks. Nothing personal in any of it.
 */
export function consoleModule(
  { core, redis, queue, config, requireSigned, requireAdmin, clock, metrics }: ConsoleContext,
  /** The alerts firing now (the alerts room, handed over by the wiring). */
  firing: Pick<StatusSources, 'alerts'>,
): ServiceModule {
  const syncState = new SyncState(core.db);
  metrics.gauge('pb_ledger_head_seq', "The ledger head's sequence number", [], async (set) =>
    set({}, (await core.ledger.head()).seq),
  );
  // One read of the queues per scrape, shared by both queue gauges.
  const queuesNow = sharedRead(() => queueStats(queue, clock.now()));
  metrics.gauge('pb_queue_jobs', 'Jobs per queue and state', ['queue', 'state'], async (set) => {
    for (const { name, oldestWaitingSeconds: _, ...counts } of await queuesNow()) {
      for (const [state, n] of Object.entries(counts)) set({ queue: name, state }, n);
    }
  });
  metrics.gauge(
    'pb_queue_oldest_waiting_seconds',
    'Age of the oldest waiting job per queue (0 when none waits)',
    ['queue'],
    async (set) => {
      for (const q of await queuesNow()) set({ queue: q.name }, q.oldestWaitingSeconds ?? 0);
    },
  );
  metrics.gauge(
    'pb_sync_reconcile_lag_seconds',
    'Seconds since the reconciliation with WooCommerce last advanced (-1: never)',
    [],
    async (set) => {
      const at = await syncState.cursorUpdatedAt(RECONCILE_CURSOR);
      set({}, at ? Math.max(0, Math.round((clock.now().getTime() - new Date(at).getTime()) / 1000)) : -1);
    },
  );
  const heartbeatKey = `${config.queuePrefix}:plugin:heartbeat`;
  const lastVerify = async () => {
    const raw = await redis.get(`${config.queuePrefix}:${LAST_VERIFY_KEY}`);
    return raw
      ? (JSON.parse(raw) as { ok: boolean; at: string; checked: number; break?: LedgerStatusView['break'] })
      : null;
  };
  const router = Router()
    .get('/metrics', requireAdmin, async (_req, res) => {
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    })
    .get('/v1/ping', requireSigned, (req, res) => {
      res.json({ status: 'ok', keyId: req.signed?.keyId, time: clock.now().toISOString() });
    })
    .get('/v1/ledger/status', requireSigned, async (_req, res) => {
      const head = await core.ledger.head();
      const last = await lastVerify();
      const status: LedgerStatusView = {
        verified: last ? last.ok : null,
        verifiedAt: last?.at ?? null,
        checked: last?.checked ?? 0,
        ...(last && !last.ok && last.break ? { break: last.break } : {}),
        head,
      };
      res.json(status);
    })
    // The plugin's heartbeat (its recurring WP-Cron event): what its outbox holds, kept for the status page.
    .post(
      '/v1/plugin/heartbeat',
      requireSigned,
      withBody(PluginHeartbeat, async (body, _req, res) => {
        const kept = { ...body.outbox, receivedAt: clock.now().toISOString() };
        await redis.set(heartbeatKey, JSON.stringify(kept), 'EX', HEARTBEAT_KEEP_S);
        res.status(204).end();
      }),
    )
    .get('/v1/admin/queues', requireSigned, async (_req, res) => {
      const health: QueueHealthList = {
        queues: (await queueStats(queue, clock.now())).map(({ oldestWaitingSeconds: _, ...counts }) => counts),
      };
      res.json(health);
    })
    .get('/v1/site-health', requireSigned, async (_req, res) => {
      const last = await lastVerify();
      const reconciledAt = await syncState.cursorUpdatedAt(RECONCILE_CURSOR);
      const view: SiteHealthView = {
        time: clock.now().toISOString(),
        ledger: { verified: last ? last.ok : null, verifiedAt: last?.at ?? null, everySeconds: VERIFY_EVERY_MS / 1000 },
        sync: {
          reconciledAt: reconciledAt ? new Date(reconciledAt).toISOString() : null,
          everySeconds: config.sync.reconcileEverySeconds,
          store: config.woo.url ? 'woocommerce' : config.woo.demoStore ? 'demo' : 'none',
        },
      };
      res.json(view);
    });
  const requests = new DsrStore(core.db);
  const deadLetters = new DeadLetters(core.db);
  const status = () =>
    statusOf({
      queue,
      now: () => clock.now(),
      reconciledAt: () => syncState.cursorUpdatedAt(RECONCILE_CURSOR),
      alerts: () => firing.alerts(),
      async ledger() {
        const [head, last] = await Promise.all([core.ledger.head(), lastVerify()]);
        return {
          seq: head.seq,
          verified: last ? last.ok : null,
          verifiedAt: last?.at ?? null,
          ...(last && !last.ok && last.break ? { break: last.break } : {}),
        };
      },
      async requests(now): Promise<StatusData['requests']> {
        const d = await requests.deadlines(OPEN_STATUSES, now, config.dsr.warnDays, ATTENTION_LIMIT);
        return {
          open: d.open,
          dueSoon: d.dueSoon,
          overdue: d.overdue,
          attention: d.urgent.map((r) => ({
            ...r,
            flag: Date.parse(r.dueAt) < now.getTime() ? 'overdue' : 'due-soon',
          })),
        };
      },
      async webhooks() {
        if (!config.woo.url && !config.woo.demoStore) return null;
        const h = await webhookHealth(syncState);
        return {
          checkedAt: h?.checkedAt ?? null,
          everySeconds: config.sync.webhookCheckEverySeconds,
          topics: h
            ? Object.entries(h.topics).map(([topic, state]) => ({
                topic,
                state,
                reactivated: (h.reactivated as string[]).includes(topic),
              }))
            : [],
        };
      },
      async pluginOutbox(now) {
        const raw = await redis.get(heartbeatKey);
        if (!raw) return null;
        const kept = JSON.parse(raw) as NonNullable<StatusData['pluginOutbox']>;
        return { ...kept, stale: now.getTime() - Date.parse(kept.receivedAt) > HEARTBEAT_STALE_S * 1000 };
      },
      async deliveries() {
        const [backlog, dead] = await Promise.all([deliveryBacklog(queue), deadLetters.count()]);
        const of = (reason: string) => dead.find((d) => d.reason === reason)?.n ?? 0;
        return {
          configured: config.wordpressUrl !== null,
          ...backlog,
          dead: { refused: of('refused'), retriesExhausted: of('retries-exhausted') },
        };
      },
    });
  const operators = operatorRoutes({
    tokens: core.adminTokens,
    sessions: new AdminSessions(core.db),
    links: new AdminLoginLinks(core.db),
    ledger: core.ledger,
    clock,
    queue,
    status,
    async request(id) {
      const row = await requests.get(id);
      if (!row) return null;
      const steps = (await requestSteps(core.ledger, row)).map(({ kind, at, detail }) => ({
        kind,
        at,
        to: typeof detail.to === 'string' ? detail.to : null,
        actor: typeof detail.actor === 'string' ? detail.actor : null,
      }));
      return {
        id: row.id,
        kind: row.kind,
        status: row.status,
        receivedAt: row.receivedAt,
        dueAt: row.dueAt,
        flag: row.completedAt ? null : deadlineFlag(new Date(row.dueAt), clock.now(), config.dsr.warnDays),
        completedAt: row.completedAt,
        stuck: row.stuckStep,
        steps,
      };
    },
    secureCookie: config.publicUrl.startsWith('https:'),
  });
  return { name: 'console', routers: [router, operators] };
}
