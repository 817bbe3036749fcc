import { randomBytes } from 'node:crypto';
import { SiteHealthView } from '../../shared/src/contracts/site-health.js';
import { signedHeaders } from '../../shared/src/contracts/signed-transport.js';
import { DSR_STATUSES } from '../../shared/src/contracts/dsr.js';
import { ALERTS } from '../../service/src/alerts/index.js';
import { QUEUES } from '../../service/src/operators/queue-stats.js';
import { tempDir } from '../../service/src/testing/databases.js';
import { TOPICS } from '../../service/src/woocommerce/index.js';
import { ROUTE_INPUTS } from '../security/support/route-inputs.js';
import { cli, startService } from '../support/processes.js';

const KEY = { id: 'site-1', secret: 's'.repeat(40) };

/**
 * Every label of every pb_ metric, and the values each may take: enums, route patterns, job names and
 * status codes — so no label can carry an id, an e-mail or a subject ref. A new label joins here.
 */
const KNOWN_LABELS: Record<string, (value: string) => boolean> = {
  method: (v) => ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].includes(v),
  route: (v) => v === 'unmatched' || Object.keys(ROUTE_INPUTS).some((k) => k.split(' ')[1] === v),
  status: (v) => /^[1-5]\d\d$/.test(v),
  job: (v) => v === 'unknown' || new RegExp(`^(${QUEUES.join('|')})\\.[a-z]+(-[a-z]+)*$`).test(v),
  outcome: (v) =>
    ['completed', 'failed', 'pong', 'refused', 'malformed', 'ignored', 'queued', 'kept', 'unavailable'].includes(v),
  queue: (v) => (QUEUES as readonly string[]).includes(v),
  state: (v) =>
    [
      ...['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized', 'paused'],
      ...DSR_STATUSES,
      ...['paused', 'disabled', 'missing'],
    ].includes(v),
  window: (v) => ['overdue', 'due-soon', 'later'].includes(v),
  reason: (v) => ['refused', 'retries-exhausted'].includes(v),
  topic: (v) => (TOPICS as readonly string[]).includes(v),
  alert: (v) => (ALERTS as readonly string[]).includes(v),
  le: (v) => v === '+Inf' || /^\d+(\.\d+)?$/.test(v),
  // Node's own process metrics (prom-client's defaults, prefixed pb_).
  type: (v) => /^[A-Z][A-Za-z]+$/.test(v),
  space: (v) => /^[a-z_]+$/.test(v),
  kind: (v) => ['major', 'minor', 'incremental', 'weakcb'].includes(v),
  version: (v) => /^v\d+\.\d+\.\d+$/.test(v),
  major: (v) => /^\d+$/.test(v),
  minor: (v) => /^\d+$/.test(v),
  patch: (v) => /^\d+$/.test(v),
};
/** `metric{label="value"}` of each sample whose label or value is not known. */
const unknownLabels = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.startsWith('pb_'))
    .flatMap((line) => {
      const [, name, labels = ''] = /^(\w+)(?:\{(.*)\})? /.exec(line) ?? [];
      return [...labels.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)]
        .filter(([, label, value]) => !KNOWN_LABELS[label!]?.(value!))
        .map(([, label, value]) => `${name}{${label}="${value}"}`);
    });

describe('what the wp-admin console reads from the service (signed)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let service: Awaited<ReturnType<typeof startService>>;
  beforeAll(async () => {
    tmp = tempDir();
    service = await startService({
      DATA_DIR: tmp.dir,
      PLUGIN_SIGNING_KEYS: `${KEY.id}:${KEY.secret}`,
      QUEUE_PREFIX: `pbt${randomBytes(3).toString('hex')}`,
      // The demo store's webhooks are registered once the service listens: the next check sees them.
      SYNC_WEBHOOK_CHECK_EVERY_S: '5',
    });
  });
  afterAll(async () => {
    await service.stop();
    tmp.remove();
  });

  const get = (path: string, key = KEY) =>
    fetch(`${service.url}${path}`, {
      headers: signedHeaders(key, {
        method: 'GET',
        path,
        timestamp: Math.floor(Date.now() / 1000),
        messageId: randomBytes(12).toString('hex'),
        body: '',
      }),
    });

  it('answers a signed ping, and refuses an unsigned or wrongly signed one', async () => {
    const ok = await get('/v1/ping');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'ok', keyId: 'site-1' });
    expect((await fetch(`${service.url}/v1/ping`)).status).toBe(401);
    expect((await get('/v1/ping', { id: 'site-1', secret: 'x'.repeat(40) })).status).toBe(401);
  });

  it('reports the ledger head and its last verification', async () => {
    const body = (await (await get('/v1/ledger/status')).json()) as {
      head: { seq: number; hash: string };
      verified: boolean | null;
    };
    expect(body.head.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(body.head.seq).toBeGreaterThanOrEqual(0);
    expect([true, null]).toContain(body.verified);
  });

  let token: string | undefined;
  const adminToken = async () => {
    const created = token
      ? null
      : await cli(['admin', 'token', 'create', '--operator', 'ops-drita'], { DATA_DIR: tmp.dir });
    token ??= /pbat_[A-Za-z0-9_-]{43}/.exec(created!.stdout)?.[0];
    return token!;
  };

  it("serves Prometheus metrics to an operator's token, with no personal data in any label", async () => {
    const token = await adminToken();
    expect(token).toBeDefined();
    expect((await fetch(`${service.url}/metrics`)).status).toBe(401);
    // The demo store syncs synthetic customers meanwhile: their emails must not reach any metric.
    for (
      let i = 0;
      i < 50 &&
      !(await get('/v1/ledger/status')
        .then((r) => r.json() as Promise<{ head: { seq: number } }>)
        .then((b) => b.head.seq > 100));
      i++
    )
      await new Promise((r) => setTimeout(r, 200));
    const res = await fetch(`${service.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toMatch(/pb_ledger_head_seq \d+/);
    expect(text).toMatch(/pb_http_requests_total\{method="GET",route="\/v1\/ping",status="200"\} \d+/);
    expect(text).toMatch(/pb_jobs_total\{job="sync.reconcile",outcome="completed"\} \d+/);
    expect(text).toMatch(/pb_queue_jobs\{queue="sync",state="waiting"\}/);
    expect(text).toMatch(/pb_job_duration_seconds_count\{job="sync.reconcile",outcome="completed"\} [1-9]/);
    expect(text).toMatch(/pb_queue_oldest_waiting_seconds\{queue="dsr"\} \d+/);
    expect(text).toMatch(/pb_sync_reconcile_lag_seconds \d+/);
    expect(text).toMatch(/pb_dsr_open_requests_by_deadline\{window="overdue"\} 0/);
    expect(text).toMatch(/pb_http_request_duration_seconds_count\{method="GET",route="\/v1\/ping",status="200"\} \d+/);
    expect(text).toMatch(/pb_delivery_pending\{state="waiting"\} 0/);
    expect(text).toMatch(/pb_delivery_dead_letters\{reason="refused"\} 0/);
    expect(text).toMatch(/pb_webhook_check_age_seconds \d+/);
    expect(text).not.toMatch(/@|example\.(com|al|invalid)|[0-9a-f]{64}/);
    expect(unknownLabels(text)).toEqual([]);
  });

  it("reports each webhook topic's state as sync's check found it", async () => {
    const token = await adminToken();
    let text = '';
    for (let i = 0; i < 100 && !/pb_webhook_topic_state\{topic="customer.deleted",state="active"\} 1/.test(text); i++) {
      await new Promise((r) => setTimeout(r, 200));
      text = await (await fetch(`${service.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
    }
    for (const topic of TOPICS) {
      expect(text).toContain(`pb_webhook_topic_state{topic="${topic}",state="active"} 1`);
      expect(text).toContain(`pb_webhook_topic_state{topic="${topic}",state="missing"} 0`);
    }
  });

  it('tells Site Health when the demo store was last reconciled and how often the ledger verifies, in its contract', async () => {
    expect((await fetch(`${service.url}/v1/site-health`)).status).toBe(401);
    let view = SiteHealthView.parse(await (await get('/v1/site-health')).json());
    // The demo store's first reconciliation runs at start; wait for it rather than assume it.
    for (let i = 0; i < 50 && view.sync.reconciledAt === null; i++) {
      await new Promise((r) => setTimeout(r, 200));
      view = SiteHealthView.parse(await (await get('/v1/site-health')).json());
    }
    expect(view.sync).toMatchObject({ store: 'demo', everySeconds: 300 });
    expect(Date.parse(view.sync.reconciledAt!)).toBeGreaterThan(Date.now() - 120_000);
    expect(view.ledger.everySeconds).toBe(3600);
    expect([true, null]).toContain(view.ledger.verified);
  });

  it("keeps the plugin's heartbeat for the status page; a malformed or unsigned one is refused and changes nothing", async () => {
    const post = (body: unknown, key = KEY) => {
      const text = JSON.stringify(body);
      return fetch(`${service.url}/v1/plugin/heartbeat`, {
        method: 'POST',
        body: text,
        headers: {
          'content-type': 'application/json',
          ...signedHeaders(key, {
            method: 'POST',
            path: '/v1/plugin/heartbeat',
            timestamp: Math.floor(Date.now() / 1000),
            messageId: randomBytes(12).toString('hex'),
            body: text,
          }),
        },
      });
    };
    const signIn = await fetch(`${service.url}/admin/login?lang=en`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${await adminToken()}`,
    });
    const cookie = /pb_admin=[A-Za-z0-9_-]{43}/.exec(signIn.headers.get('set-cookie') ?? '')![0];
    const page = async () =>
      (await (await fetch(`${service.url}/admin?lang=en`, { headers: { cookie } })).text()).replace(/<[^>]+>/g, ' ');
    expect(await page()).toContain('No heartbeat from the plugin yet');

    const bad = await post({ outbox: { pending: -1, refused: 0, oldestAgeSeconds: null } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('REQUEST_INVALID');
    expect(
      (
        await post(
          { outbox: { pending: 3, refused: 1, oldestAgeSeconds: 42 } },
          { id: 'site-1', secret: 'x'.repeat(40) },
        )
      ).status,
    ).toBe(401);
    expect(await page()).toContain('No heartbeat from the plugin yet');

    expect((await post({ outbox: { pending: 3, refused: 1, oldestAgeSeconds: 42 } })).status).toBe(204);
    const shown = await page();
    expect(shown).toContain('3 messages waiting (the oldest for 42 s) · 1 refused by the service');
    expect(shown).toMatch(/Reported by the plugin at [^—]+\./);
  });

  it('reports the health of every queue', async () => {
    const body = (await (await get('/v1/admin/queues')).json()) as {
      queues: { name: string; waiting: number; failed: number }[];
    };
    expect(body.queues.map((q) => q.name)).toEqual(['sync', 'consent', 'delivery', 'dsr', 'ledger']);
    for (const q of body.queues) expect(typeof q.waiting).toBe('number');
  });
});
