import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { openDatabase } from '../platform/db/database.js';
import { migrate } from '../platform/db/migrate.js';
import { JobQueue, startWorkers } from '../platform/queue/job-runtime.js';
import { TEST_REDIS_URL } from '../testing/databases.js';
import { captureLogs } from '../testing/log-capture.js';
import { DeadLetters, deliveryMigrations } from './dead-letters.js';
import { deliverJob, Delivery, deliveryJobs, probeJob } from './delivery.js';

const KEY = { id: 'wp1', secret: 's'.repeat(40) };
const until = async (what: string, check: () => Promise<boolean>) => {
  for (let i = 0; i < 200; i++)
    if (await check()) return;
    else await new Promise((r) => setTimeout(r, 50));
  throw new Error(`timed out: ${what}`);
};

/** Issue 20 item 9: service → WordPress deliveries that gave up are kept, shown, and re-driven when WordPress answers again. */
describe('dead letters of deliveries to WordPress', () => {
  const { log } = captureLogs('silent');
  let answer = 400; // what the fake WordPress answers to pushes and pings
  const received: string[] = [];
  const wordpress = http.createServer((req, res) => {
    req.resume().on('end', () => {
      if (req.method === 'POST' && answer === 200) received.push(String(req.headers['x-pb-message-id'] ?? req.url));
      res.writeHead(answer, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const db = openDatabase('sqlite::memory:');
  const deadLetters = new DeadLetters(db);
  const prefix = `pbd${randomBytes(3).toString('hex')}`;
  const producer = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  const workerConn = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new JobQueue(producer, prefix);
  let delivery: Delivery;
  let workers: { close(): Promise<void> };

  beforeAll(async () => {
    await migrate(db, deliveryMigrations);
    await new Promise<void>((r) => wordpress.listen(0, '127.0.0.1', r));
    delivery = new Delivery({
      wordpressUrl: `http://127.0.0.1:${(wordpress.address() as AddressInfo).port}`,
      key: KEY,
      clock: { now: () => new Date() },
    });
    delivery.register('consent-state', async (id) => ({ route: 'consent-state', body: { eventId: id } }));
    workers = startWorkers({
      bindings: deliveryJobs({ delivery, deadLetters, queue, now: () => new Date() }),
      connection: workerConn,
      prefix,
      log,
    });
  });
  afterAll(async () => {
    await workers.close();
    await queue.close();
    const keys = await producer.keys(`${prefix}:*`);
    if (keys.length) await producer.del(...keys);
    await Promise.allSettled([producer.quit(), workerConn.quit()]);
    wordpress.close();
    await db.close();
  });

  it('keeps a refused delivery and one out of retries, leaves them while WordPress is down, and re-drives them once its ping answers', async () => {
    await delivery.enqueue(queue, 'consent-state', 'ev1');
    await until('the refused delivery to be dead-lettered', async () => (await deadLetters.list()).length === 1);
    // The last of its 12 attempts failing (WordPress down) is the other way to give up.
    answer = 503;
    await expect(
      deliverJob.handle(
        { target: 'consent-state', id: 'ev2' },
        { delivery, deadLetters, now: () => new Date() },
        { log, attempt: 12 },
      ),
    ).rejects.toThrow('503');
    expect((await deadLetters.list()).map((d) => [d.id, d.reason, d.status])).toEqual([
      ['ev1', 'refused', 400],
      ['ev2', 'retries-exhausted', 503],
    ]);
    expect(await deadLetters.count()).toEqual(
      expect.arrayContaining([
        { reason: 'refused', n: 1 },
        { reason: 'retries-exhausted', n: 1 },
      ]),
    );

    const probe = (deps = { delivery, deadLetters, queue }) => probeJob.handle({}, deps, { log, attempt: 1 });
    expect(await probe()).toEqual({ wordpress: 'down' });
    expect((await deadLetters.list()).length).toBe(2);

    answer = 200;
    expect(await probe()).toEqual({ redriven: 2 });
    await until('both delivered', async () => received.length === 2);
    expect(received.sort()).toEqual(['consent-state-ev1', 'consent-state-ev2']);
    expect(await deadLetters.list()).toEqual([]);
  });
});
