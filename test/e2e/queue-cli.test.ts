import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { tempDir, TEST_REDIS_URL } from '../../service/src/testing/databases.js';
import { cli, startService } from '../support/processes.js';

/** `privacy-bridge queue stats | retry-failed` against a running service's queues (real Redis). */
describe('the queue commands', () => {
  let tmp: ReturnType<typeof tempDir>;
  let service: Awaited<ReturnType<typeof startService>>;
  let redis: Redis;
  let sync: Queue;
  const prefix = `pbt${randomBytes(3).toString('hex')}`;
  const env = () => ({ DATA_DIR: tmp.dir, QUEUE_PREFIX: prefix });
  beforeAll(async () => {
    tmp = tempDir();
    service = await startService(env());
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    sync = new Queue('sync', { connection: redis, prefix });
  });
  afterAll(async () => {
    await sync.close();
    await service.stop();
    await redis.quit();
    tmp.remove();
  });

  const stats = async () => {
    const run = await cli(['queue', 'stats', '--json'], env());
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout) as {
      name: string;
      waiting: number;
      failed: number;
      oldestWaitingSeconds: number | null;
    }[];
  };

  it("counts every queue's jobs by state, and a job no worker knows ends as failed there", async () => {
    expect((await stats()).map((q) => q.name)).toEqual(['sync', 'consent', 'delivery', 'dsr', 'ledger']);
    // A job name no handler knows: the worker refuses it as unrecoverable, so it fails once and stays failed.
    await sync.add('sync.no-such-job', {}, { jobId: 'no-such-job-1', attempts: 1 });
    let failed = 0;
    for (let i = 0; i < 50 && failed === 0; i++) {
      failed = (await stats()).find((q) => q.name === 'sync')!.failed;
      if (failed === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(failed).toBe(1);
    const table = await cli(['queue', 'stats'], env());
    expect(table.stdout).toMatch(/^sync\s+\d+\s+\d+\s+\d+\s+1\s/m);
  });

  it('retries failed jobs, says which, and ledgers who did it', async () => {
    const unknown = await cli(['queue', 'retry-failed', '--queue', 'nope'], env());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown queue nope');

    const run = await cli(['queue', 'retry-failed', '--queue', 'sync', '--operator', 'ops-drita', '--json'], env());
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      retried: { sync: ['no-such-job-1'] },
      total: 1,
      actor: 'admin/ops-drita',
    });
    // The retried job runs again (and fails again: still no handler), so it was really moved back.
    const job = await sync.getJob('no-such-job-1');
    for (let i = 0; i < 50 && (await job!.getState()) !== 'failed'; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await sync.getJob('no-such-job-1'))!.attemptsStarted).toBeGreaterThanOrEqual(2);

    const db = new Database(path.join(tmp.dir, 'ledger.sqlite'), { readonly: true });
    try {
      const rows = db.prepare("SELECT detail FROM ledger_entries WHERE kind = 'ops.jobs-retried'").all() as {
        detail: string;
      }[];
      expect(rows.map((r) => JSON.parse(r.detail))).toEqual([
        { actor: 'admin/ops-drita', queues: { sync: ['no-such-job-1'] } },
      ]);
    } finally {
      db.close();
    }
  });

  it('stops with one line and exit 2 when Redis does not answer', async () => {
    const run = await cli(['queue', 'stats'], { ...env(), REDIS_URL: 'redis://:secret-pw@127.0.0.1:1' });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n').at(-1)).toBe(
      'Redis is not reachable at 127.0.0.1:1: start it, or set REDIS_URL',
    );
    expect(run.stderr).not.toContain('secret-pw');
  });
});
