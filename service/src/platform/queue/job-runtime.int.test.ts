import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { captureLogs } from '../../testing/log-capture.js';
import { TEST_REDIS_URL } from '../../testing/databases.js';
import { createMetrics } from '../metrics.js';
import { defineJob } from './define-job.js';
import { bind, JobQueue, startWorkers } from './job-runtime.js';

/** The job counters name our jobs only: a job anyone added to Redis under another name is counted as `unknown`. */
describe('the job runtime', () => {
  it('counts a job of ours by its name, and one it has no handler for as unknown, never by what its name says', async () => {
    const prefix = `pbjr-${randomBytes(4).toString('hex')}`;
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new JobQueue(connection, prefix);
    const metrics = createMetrics();
    const ours = defineJob({ name: 'sync.runtime-test', payload: z.object({}).strict(), handle: async () => 'ok' });
    const workers = startWorkers({
      bindings: [bind(ours, {})],
      connection,
      prefix,
      log: captureLogs('warn').log,
      metrics,
    });
    const canary = `canary-${randomBytes(4).toString('hex')}@example.com`;
    try {
      await queue.add(ours, {}, { jobId: 'ours-1' });
      await queue.queue('sync').add(`sync.${canary}`, {}, { jobId: 'stranger-1' });
      const finished = async () => {
        const { completed = 0, failed = 0 } = await queue.queue('sync').getJobCounts('completed', 'failed');
        return completed + failed === 2;
      };
      for (let i = 0; i < 100 && !(await finished()); i++) await new Promise((r) => setTimeout(r, 100));
      const stranger = await queue.queue('sync').getJob('stranger-1');
      expect(stranger?.failedReason).toBe('no handler for this job name');
      const text = await metrics.registry.metrics();
      expect(text).toContain('pb_jobs_total{job="sync.runtime-test",outcome="completed"} 1');
      expect(text).toContain('pb_jobs_total{job="unknown",outcome="failed"} 1');
      expect(text).not.toContain(canary.slice(0, canary.indexOf('@')));
    } finally {
      await workers.close();
      for (const name of ['sync']) await queue.queue(name).obliterate({ force: true });
      await queue.close();
      await connection.quit();
    }
  });
});
