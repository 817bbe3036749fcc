import { randomBytes } from 'node:crypto';
import { SiteHealthView } from '../../shared/src/contracts/site-health.js';
import { signedHeaders } from '../../shared/src/contracts/signed-transport.js';
import { tempDir } from '../../service/src/testing/databases.js';
import { cli, startService } from '../support/processes.js';

const KEY = { id: 'site-1', secret: 's'.repeat(40) };

describe('what the wp-admin console reads from the service (signed)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let service: Awaited<ReturnType<typeof startService>>;
  beforeAll(async () => {
    tmp = tempDir();
    service = await startService({
      DATA_DIR: tmp.dir,
      PLUGIN_SIGNING_KEYS: `${KEY.id}:${KEY.secret}`,
      QUEUE_PREFIX: `pbt${randomBytes(3).toString('hex')}`,
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

  it("serves Prometheus metrics to an operator's token, with no personal data in any label", async () => {
    const created = await cli(['admin', 'token', 'create', '--operator', 'ops-drita'], { DATA_DIR: tmp.dir });
    const token = /pbat_[A-Za-z0-9_-]{43}/.exec(created.stdout)?.[0];
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
    expect(text).not.toMatch(/@|example\.(com|al|invalid)|[0-9a-f]{64}/);
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

  it('reports the health of every queue', async () => {
    const body = (await (await get('/v1/admin/queues')).json()) as {
      queues: { name: string; waiting: number; failed: number }[];
    };
    expect(body.queues.map((q) => q.name)).toEqual(['sync', 'consent', 'delivery', 'dsr', 'ledger']);
    for (const q of body.queues) expect(typeof q.waiting).toBe('number');
  });
});
