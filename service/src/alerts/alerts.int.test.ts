import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Command } from 'commander';
import { Redis } from 'ioredis';
import { MIGRATIONS } from '../core.js';
import { DsrStore } from '../dsr/index.js';
import { LAST_VERIFY_KEY, storedSubjectRef } from '../ledger/index.js';
import { verifyLedgerJob } from '../ledger/jobs/verify-ledger.job.js';
import { migrate } from '../platform/db/migrate.js';
import { execute } from '../platform/db/sql.js';
import { createMetrics } from '../platform/metrics.js';
import { bind, JobQueue, startWorkers } from '../platform/queue/job-runtime.js';
import { defineJob } from '../platform/queue/define-job.js';
import { z } from 'zod';
import { webhooksCheckJob } from '../sync/jobs/webhooks-check.job.js';
import { RECONCILE_CURSOR, SyncState } from '../sync/index.js';
import { DEFAULT_KEY, createWooDouble } from '../woocommerce/double/index.js';
import { WooClient } from '../woocommerce/index.js';
import { sensitive } from '../platform/sensitive.js';
import { TEST_REDIS_URL } from '../testing/databases.js';
import { DISABLE_GUARD, postgresHarness, sqliteHarness, type LedgerHarness } from '../testing/ledger-harness.js';
import { captureLogs } from '../testing/log-capture.js';
import { alertsModule, registerAlertCommands, type AlertsContext } from './index.js';

type Received = { body: Record<string, any>; at: string };

/** A real receiver on a free port: records what arrives, answers what the test says. */
function receiver() {
  const got: Received[] = [];
  const tries = { n: 0 };
  let status = 200;
  const server = http.createServer((req, res) => {
    tries.n++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (status === 200)
        got.push({ body: JSON.parse(Buffer.concat(chunks).toString('utf8')), at: new Date().toISOString() });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'no');
    });
  });
  return {
    got,
    tries,
    answer: (s: number) => void (status = s),
    async listen() {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/alerts`;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const pass = () => (_req: unknown, _res: unknown, next: () => void) => next();

describe.each([
  ['sqlite', sqliteHarness],
  ['postgres', postgresHarness],
])('alerts (%s)', (_name, harness) => {
  const { log } = captureLogs('silent');
  const hook = receiver();
  let url: string;
  let h: LedgerHarness;
  let prefix: string;
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  let queue: JobQueue;

  beforeAll(async () => {
    url = await hook.listen();
  });
  beforeEach(async () => {
    h = await harness();
    await migrate(h.db, MIGRATIONS);
    prefix = `pbal${randomBytes(3).toString('hex')}`;
    queue = new JobQueue(redis, prefix);
    hook.got.length = 0;
    hook.tries.n = 0;
    hook.answer(200);
  });
  afterEach(async () => {
    await queue.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await h.close();
  });
  afterAll(async () => {
    await hook.close();
    await redis.quit();
  });

  /** The module as compose builds it, on this test's database, ledger, clock, Redis prefix and receiver. */
  const started = (
    options: {
      format?: 'alertmanager' | 'chat';
      webhookUrl?: string | null;
      storeSynced?: boolean;
      redis?: Redis;
    } = {},
  ) => {
    const metrics = createMetrics();
    const ctx: AlertsContext = {
      config: {
        queuePrefix: prefix,
        publicUrl: 'https://privacy.example.al',
        woo: { url: null, demoStore: options.storeSynced ?? false },
        alerts: {
          webhookUrl: options.webhookUrl === undefined ? url : options.webhookUrl,
          format: options.format ?? 'alertmanager',
          repeatSeconds: 4 * 3600,
          reconcileLagSeconds: 1800,
        },
      },
      log,
      clock: h.clock,
      core: { db: h.db, ledger: h.ledger },
      queue: options.redis ? new JobQueue(options.redis, prefix) : queue,
      redis: options.redis ?? redis,
      requireSigned: pass(),
      requireAdmin: pass(),
      metrics,
    };
    const m = alertsModule(ctx, ['dsr', 'ledger', 'sync']);
    return { ...m, metrics, queue: ctx.queue, evaluate: () => m.engine.evaluate() };
  };

  const openRequest = async (dueInMs: number) => {
    const id = randomUUID();
    const now = h.clock.now();
    await new DsrStore(h.db).insert({
      id,
      kind: 'erasure',
      status: 'received',
      subject: storedSubjectRef('ab'.repeat(32)),
      emailSealed: randomBytes(40),
      termsSealed: null,
      correctionsSealed: null,
      masterKeyId: 'm1',
      wpRequestId: null,
      identityMethod: 'plugin',
      locale: 'sq',
      source: 'plugin',
      receivedAt: now.toISOString(),
      dueAt: new Date(now.getTime() + dueInMs).toISOString(),
      extendedAt: null,
      extensionReason: null,
      completedAt: null,
      reason: null,
      flag: null,
      stuckStep: null,
      stuckReason: null,
      pass: 1,
      connector: null,
      version: 1,
      updatedAt: now.toISOString(),
    });
    return id;
  };
  const kinds = async () => (await h.ledger.read(0, 1000)).map((e) => e.kind).filter((k) => k.startsWith('ops.alert'));
  const firingMetric = async (m: ReturnType<typeof started>, alert: string) =>
    (await m.metrics.registry.getSingleMetric('pb_alerts_firing')!.get()).values.find((v) => v.labels.alert === alert)
      ?.value;

  it('an overdue request fires once, is sent again after ALERT_REPEAT_S, and resolves when the request completes', async () => {
    const alerts = started();
    const id = await openRequest(10 * DAY);
    await alerts.evaluate();
    expect(hook.got).toHaveLength(0);

    h.clock.advance(11 * DAY); // the deadline passed
    await alerts.evaluate();
    await alerts.evaluate();
    expect(hook.got).toHaveLength(1);
    const first = hook.got[0]!.body;
    expect(first).toMatchObject({
      version: '4',
      status: 'firing',
      receiver: 'privacy-bridge',
      truncatedAlerts: 0,
      groupKey: `{}:{alertname="dsr_deadline", subject="${id}"}`,
      externalURL: 'https://privacy.example.al/admin',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'dsr_deadline', subject: id, severity: 'critical', service: 'privacy-bridge' },
          startsAt: h.clock.now().toISOString(),
          endsAt: '0001-01-01T00:00:00Z',
          fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
        },
      ],
    });
    expect(first.alerts[0].annotations.summary).toContain('overdue');
    expect(first.alerts[0].annotations.summary_sq).toContain('afati ka kaluar');
    expect(await firingMetric(alerts, 'dsr_deadline')).toBe(1);
    expect(await firingMetric(alerts, 'jobs_failed')).toBe(0);

    h.clock.advance(4 * HOUR - 1000);
    await alerts.evaluate();
    expect(hook.got).toHaveLength(1);
    h.clock.advance(1000);
    await alerts.evaluate();
    expect(hook.got).toHaveLength(2);
    expect(hook.got[1]!.body.alerts[0]).toMatchObject({ status: 'firing', fingerprint: first.alerts[0].fingerprint });

    await execute(h.db, `UPDATE dsr_requests SET status = 'completed', completed_at = $2 WHERE id = $1`, [
      id,
      h.clock.now().toISOString(),
    ]);
    h.clock.advance(30_000);
    await alerts.evaluate();
    await alerts.evaluate();
    expect(hook.got).toHaveLength(3);
    expect(hook.got[2]!.body).toMatchObject({
      status: 'resolved',
      alerts: [{ status: 'resolved', fingerprint: first.alerts[0].fingerprint, endsAt: h.clock.now().toISOString() }],
    });
    expect(await firingMetric(alerts, 'dsr_deadline')).toBe(0);
    expect(await kinds()).toEqual(['ops.alert-fired', 'ops.alert-resolved']);
    expect(await alerts.firing()).toEqual([]);
  });

  it('a request due within 3 days warns, and is sent again at once when it becomes overdue', async () => {
    const alerts = started();
    await openRequest(2 * DAY);
    await alerts.evaluate();
    expect(hook.got.map((g) => g.body.alerts[0].labels.severity)).toEqual(['warning']);
    h.clock.advance(2 * DAY + 1000);
    await alerts.evaluate();
    expect(hook.got.map((g) => g.body.alerts[0].labels.severity)).toEqual(['warning', 'critical']);
    expect(await kinds()).toEqual(['ops.alert-fired']);
  });

  it('a webhook WooCommerce disabled fires (from the periodic webhook check) and resolves once the check sees it active', async () => {
    const double = createWooDouble();
    const server = await double.listen(0);
    try {
      const woo = new WooClient(
        {
          url: server.url,
          consumerKey: sensitive(DEFAULT_KEY.consumerKey),
          consumerSecret: sensitive(DEFAULT_KEY.consumerSecret),
          maxAttempts: 1,
        },
        log,
      );
      const deliveryUrl = 'https://privacy.example.al/webhooks/woocommerce';
      const created = await woo.post<{ id: number }>('webhooks', {
        name: 'Privacy Bridge: order.updated',
        topic: 'order.updated',
        delivery_url: deliveryUrl,
        secret: 's'.repeat(40),
        status: 'active',
      });
      await woo.put(`webhooks/${created.id}`, { status: 'disabled' });
      const check = () =>
        webhooksCheckJob.handle(
          {},
          { woo, ledger: h.ledger, state: new SyncState(h.db), deliveryUrl, now: () => h.clock.now() },
          { log, attempt: 1 },
        );
      const alerts = started();
      await check(); // finds it disabled (kept), sets it active again
      await alerts.evaluate();
      expect(
        hook.got.map((g) => [g.body.status, g.body.alerts[0].labels.alertname, g.body.alerts[0].labels.subject]),
      ).toEqual([['firing', 'woo_webhook_disabled', String(created.id)]]);
      expect(hook.got[0]!.body.alerts[0].annotations.summary).toContain('order.updated');
      h.clock.advance(120_000);
      await check(); // active now
      await alerts.evaluate();
      expect(hook.got.map((g) => g.body.status)).toEqual(['firing', 'resolved']);
    } finally {
      await server.close();
    }
  });

  it('a broken chain fires, from the ledger verification the service keeps', async () => {
    for (let i = 1; i <= 3; i++)
      await h.ledger.record({ key: `t-${i}`, kind: 'test.fact', source: 'service', detail: { i } });
    await h.sql(`${DISABLE_GUARD[h.name]} DELETE FROM ledger_entries WHERE seq = 2`);
    await verifyLedgerJob.handle(
      {},
      {
        ledger: h.ledger,
        saveVerification: async (r) => void (await redis.set(`${prefix}:${LAST_VERIFY_KEY}`, JSON.stringify(r))),
      },
      { log, attempt: 1 },
    );
    const alerts = started();
    await alerts.evaluate();
    expect(hook.got).toHaveLength(1);
    expect(hook.got[0]!.body.alerts[0].labels).toMatchObject({
      alertname: 'ledger_verify_failed',
      subject: 'entry-2',
      severity: 'critical',
    });
    expect(hook.got[0]!.body.alerts[0].annotations.summary).toContain('missing-entry');

    // Restarted while Redis is away: the verdict cannot be read, so the incident is neither resolved nor forgotten.
    const away = new Redis('redis://127.0.0.1:1', {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: true,
    });
    away.on('error', () => undefined);
    const blind = started({ redis: away });
    try {
      h.clock.advance(30_000);
      await blind.evaluate();
      expect(hook.got.map((g) => g.body.status)).toEqual(['firing']);
      expect((await blind.firing()).map((a) => [a.alert, a.subject])).toEqual([['ledger_verify_failed', 'entry-2']]);
    } finally {
      await blind.queue.close().catch(() => undefined);
      away.disconnect();
    }
  });

  it('a job out of retries fires for its queue, and resolves once no failed job is left there', async () => {
    const failing = defineJob({
      name: 'dsr.alert-test',
      payload: z.object({}).strict(),
      options: { attempts: 2, backoff: { type: 'fixed', delay: 10 } },
      async handle() {
        throw new Error('always fails');
      },
    });
    const conn = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const workers = startWorkers({ bindings: [bind(failing, {})], connection: conn, prefix, log });
    try {
      await queue.add(failing, {});
      for (let i = 0; i < 200 && (await queue.queue('dsr').getFailedCount()) === 0; i++)
        await new Promise((r) => setTimeout(r, 25));
      const alerts = started();
      await alerts.evaluate();
      expect(hook.got.map((g) => g.body.alerts[0].labels)).toMatchObject([
        { alertname: 'jobs_failed', subject: 'dsr', severity: 'warning' },
      ]);
      expect(hook.got[0]!.body.alerts[0].annotations.summary).toBe('1 job(s) in queue dsr are out of retries');
      await queue.queue('dsr').clean(0, 100, 'failed');
      await alerts.evaluate();
      expect(hook.got.map((g) => g.body.status)).toEqual(['firing', 'resolved']);
    } finally {
      await workers.close();
      await conn.quit();
    }
  });

  it('reconciliation that stops advancing fires past ALERT_RECONCILE_LAG_S', async () => {
    await new SyncState(h.db).setCursor(RECONCILE_CURSOR, '{"cursor":"2026-11-01T09:00:00","page":1}', h.clock.now());
    const alerts = started({ storeSynced: true });
    h.clock.advance(1800_000);
    await alerts.evaluate();
    expect(hook.got).toHaveLength(0);
    h.clock.advance(1000);
    await alerts.evaluate();
    expect(hook.got.map((g) => g.body.alerts[0].labels.alertname)).toEqual(['reconcile_lag']);
  });

  it('sends {"text": …} for Slack and Mattermost, in Albanian and English, with ids only', async () => {
    const alerts = started({ format: 'chat' });
    const id = await openRequest(-HOUR);
    await alerts.evaluate();
    expect(hook.got).toHaveLength(1);
    const body = hook.got[0]!.body;
    expect(Object.keys(body)).toEqual(['text']);
    expect(body.text).toContain(`NË ALARM [critical] dsr_deadline: Kërkesa ${id}`);
    expect(body.text).toContain(`FIRING [critical] dsr_deadline: Request ${id}`);
    expect(body.text).toContain('https://privacy.example.al/admin');
    expect(body.text).not.toMatch(/@|ab{2}/);
  });

  it('keeps an alert the receiver refused and sends it once the receiver recovers', async () => {
    const alerts = started();
    await openRequest(-HOUR);
    hook.answer(503);
    await alerts.evaluate();
    expect([hook.tries.n, hook.got.length]).toEqual([1, 0]);
    expect(await alerts.firing()).toMatchObject([
      { alert: 'dsr_deadline', state: 'failed', lastSentAt: null, lastError: 'http-503' },
    ]);
    h.clock.advance(15_000);
    await alerts.evaluate(); // tried again at the next evaluation, failed again: the next try waits 30 s
    expect(hook.tries.n).toBe(2);
    h.clock.advance(15_000);
    await alerts.evaluate();
    expect(hook.tries.n).toBe(2);
    hook.answer(200);
    h.clock.advance(15_000);
    await alerts.evaluate();
    expect([hook.tries.n, hook.got.length]).toEqual([3, 1]);
    expect(await alerts.firing()).toMatchObject([
      { state: 'sent', lastSentAt: h.clock.now().toISOString(), lastError: null },
    ]);
  });

  it('after a restart sends nothing again and still resolves what it sent', async () => {
    const id = await openRequest(-HOUR);
    await started().evaluate();
    expect(hook.got).toHaveLength(1);
    const restarted = started();
    h.clock.advance(30_000);
    await restarted.evaluate();
    expect(hook.got).toHaveLength(1);
    await execute(h.db, `UPDATE dsr_requests SET status = 'completed' WHERE id = $1`, [id]);
    await started().evaluate();
    expect(hook.got.map((g) => g.body.status)).toEqual(['firing', 'resolved']);
    expect(await kinds()).toEqual(['ops.alert-fired', 'ops.alert-resolved']);
  });

  it('without ALERT_WEBHOOK_URL evaluates and lists, sends nothing; `alerts list` shows the incident', async () => {
    const alerts = started({ webhookUrl: null });
    const id = await openRequest(-HOUR);
    await alerts.evaluate();
    expect(hook.got).toHaveLength(0);
    const lines: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    try {
      const program = new Command().exitOverride();
      registerAlertCommands(program, async (run) => run({ db: h.db }, undefined));
      await program.parseAsync(['alerts', 'list', '--json'], { from: 'user' });
      await program.parseAsync(['alerts', 'list'], { from: 'user' });
    } finally {
      spy.mockRestore();
    }
    expect(JSON.parse(lines[0]!)).toEqual({
      firing: [
        {
          alert: 'dsr_deadline',
          subject: id,
          severity: 'critical',
          since: h.clock.now().toISOString(),
          lastSentAt: null,
          state: 'unsent',
          lastError: null,
          summary: expect.stringContaining(`Request ${id}`),
        },
      ],
    });
    expect(lines[2]).toMatch(new RegExp(`^dsr_deadline\\s+${id}\\s+critical\\s+\\S+\\s+—\\s+unsent$`));
  });
});
