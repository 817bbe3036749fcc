import { randomBytes } from 'node:crypto';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { AppError } from '../platform/errors.js';
import { JobQueue } from '../platform/queue/job-runtime.js';
import { TEST_REDIS_URL } from '../testing/databases.js';
import { sqliteHarness, type LedgerHarness } from '../testing/ledger-harness.js';
import { actOnJob, CLEAN_LIMITS, cleanJobs, recordQueueAction, setPaused } from './queue-actions.js';
import { BOARD_PAGE_SIZE, boardPage, boardQueues, REASON_MAX_CHARS } from './queue-board.js';

/**
 * The queue board's reads and actions against a real Redis (BullMQ, a private prefix): counts and pages
 * newest first, what a job shows (never its data or stack trace; its failure reason scrubbed), and
 * retry, promote, remove, pause, resume and clean — each refused in a state it does not apply to.
 */
const until = async (what: string, check: () => Promise<boolean>) => {
  for (let i = 0; i < 200; i++)
    if (await check()) return;
    else await new Promise((r) => setTimeout(r, 25));
  throw new Error(`timed out: ${what}`);
};
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (err: unknown) => (err instanceof AppError ? { code: err.code, details: err.details } : String(err)),
  );

describe('the queue board on a real Redis', () => {
  const prefix = `pbqb${randomBytes(3).toString('hex')}`;
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new JobQueue(redis, prefix);
  const workers: Worker[] = [];
  const connections: Redis[] = [];
  const canary = `canary-${randomBytes(4).toString('hex')}@example.com`;
  let h: LedgerHarness;

  /** A worker on `name` that runs `handle`, closed at the end. */
  const work = (name: string, handle: (job: Job) => Promise<unknown>, concurrency = 1) => {
    const connection = redis.duplicate();
    connections.push(connection);
    const w = new Worker(name, handle, { connection, prefix, concurrency });
    workers.push(w);
    return w;
  };
  const stateOf = async (name: string, id: string) => (await queue.queue(name).getJob(id))?.getState() ?? 'gone';
  /** Makes a finished job look `hours` old (BullMQ's finished sets are scored by finishedOn). */
  const age = (name: string, set: 'failed' | 'completed', id: string, hours: number) =>
    redis.zadd(`${prefix}:${name}:${set}`, 'XX', Date.now() - hours * 3_600_000, id);

  beforeAll(async () => {
    h = await sqliteHarness();
  });
  afterAll(async () => {
    await Promise.allSettled(workers.map((w) => w.close()));
    await queue.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await Promise.allSettled([redis, ...connections].map((c) => c.quit()));
    await h.close();
  });

  it('counts every state of every queue and pages one state newest first, 50 a page', async () => {
    const sync = queue.queue('sync');
    for (let i = 1; i <= 2 * BOARD_PAGE_SIZE + 3; i++)
      await sync.add('sync.resource', { resource: 'order', id: i }, { jobId: `page-${i}` });
    await sync.add('sync.resource', { resource: 'order', id: 1 }, { jobId: 'later-1', delay: 86_400_000 });

    const all = await boardQueues(queue);
    expect(all.map((q) => q.name)).toEqual(['sync', 'consent', 'delivery', 'dsr', 'ledger']);
    expect(all[0]).toEqual({
      name: 'sync',
      paused: false,
      counts: { waiting: 103, active: 0, delayed: 1, failed: 0, completed: 0 },
    });
    const first = await boardPage(queue, 'sync', 'waiting', 1);
    expect(first.pages).toBe(3);
    expect(first.jobs).toHaveLength(BOARD_PAGE_SIZE);
    expect(first.jobs[0]!.id).toBe('page-103');
    const last = await boardPage(queue, 'sync', 'waiting', 3);
    expect(last.jobs.map((j) => j.id)).toEqual(['page-3', 'page-2', 'page-1']);
    expect((await boardPage(queue, 'sync', 'waiting', 4)).jobs).toEqual([]);
    const delayed = await boardPage(queue, 'sync', 'delayed', 1);
    expect(delayed.jobs[0]).toMatchObject({ id: 'later-1', state: 'delayed', name: 'sync.resource' });
    expect(Date.parse(delayed.jobs[0]!.dueAt!) - Date.parse(delayed.jobs[0]!.addedAt)).toBe(86_400_000);
    await sync.obliterate({ force: true });
  });

  it("shows a failed job's ids, attempts, times and scrubbed reason — never its data or stack trace", async () => {
    const consent = queue.queue('consent');
    await consent.add('consent.project', { upToSeq: 7, note: canary }, { jobId: 'fails-1', attempts: 2 });
    await consent.add(`consent.x ${canary}`, {}, { jobId: 'odd-name', attempts: 1 });
    await consent.add('consent.project', {}, { jobId: 'long-reason', attempts: 1 });
    work('consent', async (job) => {
      if (job.id === 'long-reason') throw new UnrecoverableError(`x${'y'.repeat(2 * REASON_MAX_CHARS)}`);
      throw new UnrecoverableError(`customer ${canary} (+355 69 123 4567) not found\nsecond line`);
    });
    await until('three failed', async () => (await consent.getJobCounts('failed')).failed === 3);
    const failed = (await consent.getJob('fails-1'))!;
    expect(failed.failedReason).toContain(canary); // the canary is really in Redis
    expect((failed.stacktrace ?? []).join('\n')).toContain(canary);

    const { jobs } = await boardPage(queue, 'consent', 'failed', 1);
    const byId = new Map(jobs.map((j) => [j.id, j]));
    expect(byId.get('fails-1')).toEqual({
      id: 'fails-1',
      name: 'consent.project',
      state: 'failed',
      attemptsMade: 1,
      attempts: 2,
      addedAt: new Date(failed.timestamp).toISOString(),
      dueAt: null,
      processedAt: new Date(failed.processedOn!).toISOString(),
      finishedAt: new Date(failed.finishedOn!).toISOString(),
      failedReason: 'customer [email] ([number]) not found second line',
    });
    // A name not shaped like ours is not shown (it is not ours: it could carry anything).
    expect(jobs.find((j) => j.name === null)).toBeDefined();
    expect(byId.get('long-reason')!.failedReason).toHaveLength(REASON_MAX_CHARS);
    expect(JSON.stringify(jobs)).not.toContain(canary);
    expect(JSON.stringify(jobs)).not.toContain('upToSeq');
    await Promise.all(workers.splice(0).map((w) => w.close()));
  });

  it('retries a failed job, promotes a delayed one, removes one not running; refuses each in another state', async () => {
    const delivery = queue.queue('delivery');
    await delivery.add('delivery.push', {}, { jobId: 'later', delay: 86_400_000 });
    await delivery.add('delivery.push', {}, { jobId: 'waits' });
    await setPaused(queue, 'delivery', true); // nothing runs: what an action leaves stays put
    const failedIn = queue.queue('ledger');
    await failedIn.add('ledger.verify', {}, { jobId: 'broke', attempts: 1 });
    const w = work('ledger', async () => {
      throw new Error('boom');
    });
    await until('failed', async () => (await stateOf('ledger', 'broke')) === 'failed');
    await w.close();

    expect(await codeOf(actOnJob(queue, 'delivery', 'waits', 'retry'))).toEqual({
      code: 'ADMIN_JOB_STATE_CONFLICT',
      details: { queue: 'delivery', action: 'retry', state: 'waiting' },
    });
    expect(await codeOf(actOnJob(queue, 'ledger', 'broke', 'promote'))).toMatchObject({
      code: 'ADMIN_JOB_STATE_CONFLICT',
      details: { state: 'failed' },
    });
    expect(await codeOf(actOnJob(queue, 'delivery', 'no-such-job', 'remove'))).toEqual({
      code: 'ADMIN_JOB_NOT_FOUND',
      details: { queue: 'delivery' },
    });
    // The job is found in its own queue only.
    expect(await codeOf(actOnJob(queue, 'delivery', 'broke', 'retry'))).toMatchObject({ code: 'ADMIN_JOB_NOT_FOUND' });

    expect(await actOnJob(queue, 'ledger', 'broke', 'retry')).toBe('failed');
    expect(await stateOf('ledger', 'broke')).toBe('waiting');
    expect(await actOnJob(queue, 'delivery', 'later', 'promote')).toBe('delayed');
    expect(await stateOf('delivery', 'later')).toBe('waiting');
    expect(await actOnJob(queue, 'delivery', 'waits', 'remove')).toBe('waiting');
    expect(await stateOf('delivery', 'waits')).toBe('gone');
    await setPaused(queue, 'delivery', false);
  });

  it('refuses to remove a running job: a worker holds it', async () => {
    const dsr = queue.queue('dsr');
    let release = () => undefined as void;
    const held = new Promise<void>((r) => (release = r));
    work('dsr', async () => held);
    await dsr.add('dsr.collect', {}, { jobId: 'runs' });
    await until('active', async () => (await stateOf('dsr', 'runs')) === 'active');
    expect(await codeOf(actOnJob(queue, 'dsr', 'runs', 'remove'))).toMatchObject({
      code: 'ADMIN_JOB_STATE_CONFLICT',
      details: { action: 'remove', state: 'active' },
    });
    release();
    await until('completed', async () => (await stateOf('dsr', 'runs')) === 'completed');
    await Promise.all(workers.splice(0).map((w) => w.close()));
  });

  it('pauses and resumes a queue, saying whether anything changed', async () => {
    expect(await setPaused(queue, 'sync', true)).toBe(true);
    expect(await setPaused(queue, 'sync', true)).toBe(false);
    expect((await boardQueues(queue, ['sync']))[0]!.paused).toBe(true);
    expect(await setPaused(queue, 'sync', false)).toBe(true);
    expect(await setPaused(queue, 'sync', false)).toBe(false);
    expect(await queue.queue('sync').isPaused()).toBe(false);
  });

  it('cleans finished jobs older than N hours only, at most 1,000 a time, and only within bounds', async () => {
    const dsr = queue.queue('dsr');
    await dsr.obliterate({ force: true });
    const n = CLEAN_LIMITS.jobs + 5;
    await dsr.addBulk(
      Array.from({ length: n }, (_, i) => ({ name: 'dsr.collect', data: {}, opts: { jobId: `c-${i}` } })),
    );
    work('dsr', async () => undefined, 50);
    await until('all completed', async () => (await dsr.getJobCounts('completed')).completed === n);
    await Promise.all(workers.splice(0).map((w) => w.close()));
    for (let i = 0; i < n - 1; i++) await age('dsr', 'completed', `c-${i}`, 3);

    expect(await cleanJobs(queue, 'dsr', 'failed', 2)).toEqual([]);
    const first = await cleanJobs(queue, 'dsr', 'completed', 2);
    expect(first).toHaveLength(CLEAN_LIMITS.jobs);
    const second = await cleanJobs(queue, 'dsr', 'completed', 2);
    expect(second).toHaveLength(4);
    expect(new Set([...first, ...second]).has(`c-${n - 1}`)).toBe(false); // the fresh one stays
    expect((await dsr.getJobCounts('completed')).completed).toBe(1);
    for (const bad of [0, CLEAN_LIMITS.maxHours + 1, 1.5])
      expect(await codeOf(cleanJobs(queue, 'dsr', 'completed', bad))).toMatchObject({ code: 'REQUEST_INVALID' });
  });

  it('ledgers an action with who, what, which queue and which jobs', async () => {
    const at = new Date('2026-12-02T14:05:00.000Z');
    await recordQueueAction(
      h.ledger,
      'admin/ops-drita',
      { kind: 'ops.job-removed', queue: 'sync', jobs: ['wh-order-1'], state: 'failed' },
      at,
      'admin-ui',
    );
    await recordQueueAction(h.ledger, 'admin/ops-drita', { kind: 'ops.queue-paused', queue: 'sync' }, at, 'admin-ui');
    const entries = await h.ledger.read(0, 10);
    expect(entries.map((e) => [e.kind, JSON.parse(e.detail!), e.source])).toEqual([
      [
        'ops.job-removed',
        { actor: 'admin/ops-drita', queue: 'sync', jobs: ['wh-order-1'], state: 'failed' },
        'admin-ui',
      ],
      ['ops.queue-paused', { actor: 'admin/ops-drita', queue: 'sync' }, 'admin-ui'],
    ]);
    expect(entries[0]!.key).not.toBe(entries[1]!.key);
  });
});
