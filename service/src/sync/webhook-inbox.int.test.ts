import { createHmac } from 'node:crypto';
import request from 'supertest';
import { buildApp } from '../platform/http/build-app.js';
import { openDatabase, type Database } from '../platform/db/database.js';
import { migrate } from '../platform/db/migrate.js';
import { syncMigrations } from './sync.migrations.js';
import { createPostgresDatabase } from '../testing/databases.js';
import { captureLogs } from '../testing/log-capture.js';
import { drainInbox, enqueueOrKeep, WebhookInbox, type SyncJob } from './webhook-inbox.js';
import { webhookRoutes } from './webhooks.routes.js';

const SECRET = 'whsec-inbox-0123456789abcdefghijklmnop';
const job = (n: number): SyncJob => ({
  jobId: `wh-order-updated-${n}-x`,
  resource: 'order',
  id: n,
  topic: 'order.updated',
  modified: '2026-11-02T10:00:00',
});
const { log } = captureLogs('silent');

describe.each(['sqlite', 'postgres'] as const)('the webhook inbox on %s', (dialect) => {
  let db: Database;
  let drop: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    if (dialect === 'sqlite') db = openDatabase('sqlite::memory:');
    else {
      const pg = await createPostgresDatabase();
      db = openDatabase(pg.url);
      drop = pg.drop;
    }
    await migrate(db, syncMigrations);
  });
  afterAll(async () => {
    await db.close();
    await drop();
  });

  it('keeps a delivery once, hands the oldest first, and drains queue-first so a failed queue loses nothing', async () => {
    const inbox = new WebhookInbox(db);
    for (const n of [3, 1, 2, 1]) await inbox.keep(job(n), new Date(Date.UTC(2026, 10, 2, 10, 0, n)));
    expect(await inbox.count()).toBe(3);
    expect((await inbox.oldest(10)).map((j) => j.id)).toEqual([1, 2, 3]);
    await expect(drainInbox({ enqueue: async () => Promise.reject(new Error('redis away')), inbox })).rejects.toThrow(
      'redis away',
    );
    expect(await inbox.count()).toBe(3);
    const queued: SyncJob[] = [];
    expect(await drainInbox({ enqueue: async (j) => void queued.push(j), inbox }, 2)).toBe(3);
    expect(queued).toEqual([job(1), job(2), job(3)]);
    expect(await inbox.count()).toBe(0);
  });
});

describe('the receiver when Redis is away', () => {
  const body = JSON.stringify({ id: 42, date_modified_gmt: '2026-11-02T10:00:00' });
  const signature = createHmac('sha256', SECRET).update(body).digest('base64');
  const app = (enqueue: (j: SyncJob) => Promise<'queued' | 'kept'>) =>
    buildApp({ log, rawRouters: [webhookRoutes({ secrets: async () => [SECRET], log, enqueue })], routers: [] });
  const post = (a: ReturnType<typeof app>) =>
    request(a)
      .post('/webhooks/woocommerce')
      .set('content-type', 'application/json')
      .set('x-wc-webhook-topic', 'order.updated')
      .set('x-wc-webhook-signature', signature)
      .send(body);

  it('answers 200 "kept" once the database has the delivery', async () => {
    const db = openDatabase('sqlite::memory:');
    await migrate(db, syncMigrations);
    const inbox = new WebhookInbox(db);
    const res = await post(
      app(
        enqueueOrKeep({
          enqueue: () => Promise.reject(new Error("Stream isn't writeable")),
          inbox,
          now: () => new Date(),
          log,
        }),
      ),
    );
    expect([res.status, res.body]).toEqual([200, { status: 'kept' }]);
    expect((await inbox.oldest(5)).map((j) => j.id)).toEqual([42]);
    await db.close();
  });

  it('answers 503 WEBHOOK_NOT_KEPT with Retry-After, not a 500, when the database refuses too', async () => {
    const db = openDatabase('sqlite::memory:'); // no migration: the inbox table is missing, every write fails
    const res = await post(
      app(
        enqueueOrKeep({
          enqueue: () => Promise.reject(new Error('redis away')),
          inbox: new WebhookInbox(db),
          now: () => new Date(),
          log,
        }),
      ),
    );
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('WEBHOOK_NOT_KEPT');
    expect(res.headers['retry-after']).toBe('30');
    await db.close();
  });
});
