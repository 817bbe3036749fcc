import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { tempDir, TEST_REDIS_URL } from '../../service/src/testing/databases.js';
import { cli, startService } from '../support/processes.js';

/**
 * Alerts from the running service to a real receiver: a failed ledger verification (as the service keeps
 * it in Redis) reaches ALERT_WEBHOOK_URL from the service's own 30-s evaluation, shows in `alerts list`
 * and on /metrics, and is resolved once a verification passes.
 */
jest.setTimeout(150_000);

describe('alerts from the running service', () => {
  const got: { status: string; alertname: string; at: number }[] = [];
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        status: string;
        alerts: { labels: { alertname: string } }[];
      };
      got.push({ status: body.status, alertname: body.alerts[0]!.labels.alertname, at: Date.now() });
      res.writeHead(200).end('ok');
    });
  });
  const prefix = `pbt${randomBytes(3).toString('hex')}`;
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  let tmp: ReturnType<typeof tempDir>;
  let service: Awaited<ReturnType<typeof startService>>;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    tmp = tempDir();
    env = {
      DATA_DIR: tmp.dir,
      QUEUE_PREFIX: prefix,
      ALERT_WEBHOOK_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/alerts`,
    };
    service = await startService(env);
  });
  afterAll(async () => {
    await service?.stop();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    receiver.close();
    tmp?.remove();
  });

  const until = async (what: string, check: () => boolean | Promise<boolean>, ms = 70_000) => {
    for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 200)))
      if (await check()) return;
    throw new Error(`timed out: ${what}\n${service.output()}`);
  };

  it('sends a failed verification once, lists it, counts it on /metrics, and resolves it', async () => {
    const key = `${prefix}:ledger:last-verify`;
    // The service verifies its ledger when it starts; then the verdict is made to say broken.
    await until('the first verification', async () => (await redis.get(key)) !== null);
    await redis.set(
      key,
      JSON.stringify({
        ok: false,
        at: new Date().toISOString(),
        checked: 1,
        break: { seq: 2, reason: 'hash-mismatch' },
      }),
    );
    await until('the alert at the receiver', () => got.length > 0);
    expect(got.map((g) => [g.status, g.alertname])).toEqual([['firing', 'ledger_verify_failed']]);

    const listed = await cli(['alerts', 'list', '--json'], env);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject({
      firing: [{ alert: 'ledger_verify_failed', subject: 'entry-2', severity: 'critical', state: 'sent' }],
    });
    const token = (await cli(['admin', 'token', 'create', '--operator', 'ops-alerts'], env)).stdout.match(
      /pbat_[A-Za-z0-9_-]{43}/,
    )![0];
    const metrics = await (
      await fetch(`${service.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })
    ).text();
    expect(metrics).toContain('pb_alerts_firing{alert="ledger_verify_failed"} 1');
    expect(metrics).toContain('pb_alerts_firing{alert="dsr_deadline"} 0');

    await redis.set(key, JSON.stringify({ ok: true, at: new Date().toISOString(), checked: 3 }));
    await until('the resolution at the receiver', () => got.length > 1);
    expect(got.map((g) => [g.status, g.alertname])).toEqual([
      ['firing', 'ledger_verify_failed'],
      ['resolved', 'ledger_verify_failed'],
    ]);
    expect(JSON.parse((await cli(['alerts', 'list', '--json'], env)).stdout)).toEqual({ firing: [] });
  });
});
