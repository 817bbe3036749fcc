import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { defineJob } from '../../service/src/platform/queue/define-job.js';
import { bind, JobQueue, startWorkers, type WorkerSet } from '../../service/src/platform/queue/job-runtime.js';
import { TEST_REDIS_URL } from '../../service/src/testing/databases.js';
import { serviceUnderTest, type ServiceUnderTest } from './support/service-under-test.js';

/**
 * The queue board (/admin/queues) composed as `privacy-bridge start` composes it, with the service's own
 * worker runtime and its logger (kept in memory):
 * - a job fails with an error whose message and stack carry a canary e-mail: the board (both languages),
 *   the status page, /metrics, the ledger and the service's logs never show it (the board shows the
 *   reason scrubbed, as the logs scrub it);
 * - a viewer's every write, with a valid CSRF token, is refused on the server and changes nothing;
 * - an operator's input is checked (queue, job id, clean's state and hours, the page) with stable codes,
 *   and every action is ledgered with who, what, which queue and which jobs.
 */
jest.setTimeout(90_000);

const CANARY = `canary-${randomBytes(5).toString('hex')}@example.com`;
const failing = defineJob({
  name: 'sync.board-canary',
  payload: z.object({}),
  options: { attempts: 1 },
  async handle() {
    // As a driver's or a library's message might: the stack trace carries it too.
    throw new Error(`WooCommerce said: no customer ${CANARY} (order 4242)`);
  },
});

type Browser = { cookie: string; csrf: string };

describe('the queue board keeps personal data off every page and log, and refuses a viewer every write', () => {
  let s: ServiceUnderTest;
  let workerConnection: Redis;
  let queue: JobQueue;
  let workers: WorkerSet;
  const users: Record<'viewer' | 'operator', Browser> = {
    viewer: { cookie: '', csrf: '' },
    operator: { cookie: '', csrf: '' },
  };
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const get = (path: string, who: Browser) => s.send({ method: 'GET', path, headers: { cookie: who.cookie } });
  const post = (path: string, who: Browser, fields: Record<string, string> = { _csrf: who.csrf }) =>
    s.send({
      method: 'POST',
      path,
      headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: form(fields),
    });
  const stateOf = async (name: string, id: string) => (await queue.queue(name).getJob(id))?.getState() ?? 'gone';
  const until = async (what: string, check: () => Promise<boolean>) => {
    for (let i = 0; i < 200; i++)
      if (await check()) return;
      else await new Promise((r) => setTimeout(r, 50));
    throw new Error(`timed out: ${what}`);
  };
  const ledgerOps = async () =>
    (await s.core.ledger.read(0, 10_000))
      .filter((e) => e.kind.startsWith('ops.') && !e.kind.startsWith('ops.sign'))
      .map((e) => [e.kind, JSON.parse(e.detail ?? 'null')]);
  /** Everything a refused write could have moved: the ledger's head, each queue's counts and pause, each job's state. */
  const snapshot = async () => ({
    head: await s.headSeq(),
    queues: await Promise.all(
      ['sync', 'consent'].map(async (n) => ({
        counts: await queue.queue(n).getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed'),
        paused: await queue.queue(n).isPaused(),
      })),
    ),
    jobs: [await stateOf('sync', 'canary-1'), await stateOf('sync', 'later-1')],
  });

  beforeAll(async () => {
    s = await serviceUnderTest();
    workerConnection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    queue = new JobQueue(workerConnection, s.prefix);
    workers = startWorkers({
      bindings: [bind(failing, {})],
      connection: workerConnection,
      prefix: s.prefix,
      log: s.logs.log,
    });
    await queue.add(failing, {}, { jobId: 'canary-1' });
    await queue.queue('sync').add('sync.board-later', {}, { jobId: 'later-1', delay: 86_400_000 });
    await until('the canary job to fail', async () => (await stateOf('sync', 'canary-1')) === 'failed');
    for (const role of ['viewer', 'operator'] as const) {
      const made = await s.core.adminTokens.create(`ops-${role}`, new Date(), 1, role);
      const signedIn = await s.send({
        method: 'POST',
        path: '/admin/login?lang=en',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form({ token: made.token }),
      });
      expect(signedIn.status).toBe(303);
      users[role].cookie = String(signedIn.headers['set-cookie']).split(';')[0]!;
      const page = await get('/admin/queues?lang=en', users[role]);
      users[role].csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    }
  });
  afterAll(async () => {
    await workers?.close();
    await queue?.close();
    await workerConnection?.quit();
    await s?.close();
  });

  it("shows the failure's reason scrubbed and never the canary: board, status page, /metrics, ledger, logs", async () => {
    const job = (await queue.queue('sync').getJob('canary-1'))!;
    expect(job.failedReason).toContain(CANARY); // it is really there, in Redis
    expect((job.stacktrace ?? []).join('\n')).toContain(CANARY);

    const board = await get('/admin/queues/sync?state=failed&lang=en', users.operator);
    expect(board.status).toBe(200);
    expect(board.body).toContain('<code>canary-1</code>');
    expect(board.body).toContain('WooCommerce said: no customer [email] (order 4242)');
    expect(board.body).not.toContain('at Object.handle'); // no stack trace, scrubbed or not
    // The operator retries it from the board; the service's worker fails it again, and logs it.
    const retried = await post('/admin/queues/sync/jobs/canary-1/retry?state=failed', users.operator);
    expect(retried.status).toBe(303);
    // Ledgered as the CLI ledgers a retry: who, which queue, which job.
    expect((await ledgerOps()).filter(([k]) => k === 'ops.jobs-retried')).toEqual([
      ['ops.jobs-retried', { actor: 'admin/ops-operator', queues: { sync: ['canary-1'] } }],
    ]);
    await until('the retried canary job to fail again', async () => (await stateOf('sync', 'canary-1')) === 'failed');
    await until('the second failure logged', async () => s.logs.text().split('job failed').length >= 3);

    const places: Record<string, string> = {
      logs: s.logs.text(),
      ledger: JSON.stringify(await s.core.ledger.read(0, 10_000)),
      metrics: (
        await s.send({ method: 'GET', path: '/metrics', headers: { authorization: `Bearer ${s.admin.token}` } })
      ).body,
    };
    for (const who of ['viewer', 'operator'] as const)
      for (const lang of ['sq', 'en'])
        for (const path of [
          '/admin',
          '/admin/queues',
          '/admin/queues/sync?state=failed',
          '/admin/queues/sync?state=waiting',
        ])
          places[`${who} ${path} ${lang}`] = (
            await get(`${path}${path.includes('?') ? '&' : '?'}lang=${lang}`, users[who])
          ).body;
    expect(places.logs).toContain('sync.board-canary'); // the logs did see the failures
    expect(places.metrics).toContain('pb_queue_jobs');
    expect(places['viewer /admin/queues/sync?state=failed sq']).toContain('[email]');
    expect(
      Object.entries(places)
        .filter(([, text]) => text.includes(CANARY) || text.includes(CANARY.split('@')[0]!))
        .map(([where]) => where),
    ).toEqual([]);
  });

  it("refuses every write of a viewer's session on the server (403, valid CSRF token), and nothing changes", async () => {
    await queue.queue('consent').pause(); // so that resume has something to do
    // Old enough for a clean to take it.
    await workerConnection.zadd(`${s.prefix}:sync:failed`, 'XX', Date.now() - 3 * 3_600_000, 'canary-1');
    const before = await snapshot();
    const writes: [string, Record<string, string>?][] = [
      ['/admin/queues/sync/jobs/canary-1/retry'],
      ['/admin/queues/sync/jobs/canary-1/remove'],
      ['/admin/queues/sync/jobs/later-1/promote'],
      ['/admin/queues/sync/jobs/later-1/remove'],
      ['/admin/queues/sync/retry-failed'],
      ['/admin/queues/sync/pause'],
      ['/admin/queues/consent/resume'],
      ['/admin/queues/sync/clean', { state: 'failed', olderThanHours: '1' }],
    ];
    for (const [path, fields] of writes) {
      const answer = await post(path, users.viewer, { _csrf: users.viewer.csrf, ...fields });
      expect([path, answer.status, JSON.parse(answer.body).code]).toEqual([path, 403, 'ADMIN_ROLE_FORBIDDEN']);
    }
    expect(await snapshot()).toEqual(before);
    // And the viewer's pages carry no form but sign-out.
    for (const path of [
      '/admin',
      '/admin/queues',
      '/admin/queues/sync?state=failed',
      '/admin/queues/sync?state=delayed',
    ]) {
      const forms = (await get(path, users.viewer)).body.match(/<form[^>]*action="[^"]*"/g) ?? [];
      expect([path, forms.filter((f) => !f.includes('/admin/logout'))]).toEqual([path, []]);
    }
  });

  it("checks an operator's input with stable codes and changes nothing on a refusal", async () => {
    const before = await snapshot();
    const refused: [string, Record<string, string> | null, number, string][] = [
      ['/admin/queues/nope/pause', null, 400, 'REQUEST_INVALID'],
      ['/admin/queues/sync/jobs/a%20b/retry', null, 400, 'REQUEST_INVALID'],
      [`/admin/queues/sync/jobs/${'x'.repeat(129)}/remove`, null, 400, 'REQUEST_INVALID'],
      ['/admin/queues/sync/jobs/no-such-job/retry', null, 404, 'ADMIN_JOB_NOT_FOUND'],
      ['/admin/queues/sync/jobs/canary-1/promote', null, 409, 'ADMIN_JOB_STATE_CONFLICT'],
      ['/admin/queues/sync/jobs/later-1/retry', null, 409, 'ADMIN_JOB_STATE_CONFLICT'],
      ['/admin/queues/sync/clean', { state: 'failed', olderThanHours: '0' }, 400, 'REQUEST_INVALID'],
      ['/admin/queues/sync/clean', { state: 'failed', olderThanHours: '9000' }, 400, 'REQUEST_INVALID'],
      ['/admin/queues/sync/clean', { state: 'waiting', olderThanHours: '1' }, 400, 'REQUEST_INVALID'],
      ['/admin/queues/sync/pause?state=nope', null, 400, 'REQUEST_INVALID'],
      ['/admin/queues/sync/pause', { x: '1' }, 403, 'ADMIN_CSRF_INVALID'],
    ];
    for (const [path, fields, status, code] of refused) {
      const answer = await post(
        path,
        users.operator,
        fields && 'x' in fields ? fields : { _csrf: users.operator.csrf, ...fields },
      );
      expect([path, answer.status, JSON.parse(answer.body).code]).toEqual([path, status, code]);
    }
    for (const path of ['/admin/queues/nope', '/admin/queues/sync?state=nope', '/admin/queues/sync?page=0']) {
      const answer = await get(path, users.operator);
      expect([path, answer.status, JSON.parse(answer.body).code]).toEqual([path, 400, 'REQUEST_INVALID']);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('ledgers each operator action: who, what, which queue, which jobs', async () => {
    const ops0 = (await ledgerOps()).length;
    const act = async (path: string, fields: Record<string, string> = {}) => {
      const answer = await post(`${path}?state=delayed`, users.operator, { _csrf: users.operator.csrf, ...fields });
      expect([path, answer.status]).toEqual([path, 303]);
      return answer.headers.location;
    };
    expect(await act('/admin/queues/consent/resume')).toBe(
      '/admin/queues/consent?state=delayed&lang=sq&done=resume&n=1',
    );
    await act('/admin/queues/sync/pause');
    expect(await act('/admin/queues/sync/jobs/later-1/promote')).toContain('done=promote');
    expect(await stateOf('sync', 'later-1')).toBe('waiting'); // the queue is paused: it stays there
    await act('/admin/queues/sync/jobs/later-1/remove');
    expect(await stateOf('sync', 'later-1')).toBe('gone');
    expect(await act('/admin/queues/sync/clean', { state: 'failed', olderThanHours: '1' })).toContain('done=clean&n=1');
    expect(await stateOf('sync', 'canary-1')).toBe('gone');
    await act('/admin/queues/sync/resume');
    const notice = await get('/admin/queues/sync?state=failed&lang=en&done=clean&n=1', users.operator);
    expect(notice.body).toContain('<p role="status">Cleaned 1 job(s).</p>');

    expect((await ledgerOps()).slice(ops0)).toEqual([
      ['ops.queue-resumed', { actor: 'admin/ops-operator', queue: 'consent' }],
      ['ops.queue-paused', { actor: 'admin/ops-operator', queue: 'sync' }],
      ['ops.job-promoted', { actor: 'admin/ops-operator', queue: 'sync', jobs: ['later-1'], state: 'delayed' }],
      ['ops.job-removed', { actor: 'admin/ops-operator', queue: 'sync', jobs: ['later-1'], state: 'waiting' }],
      [
        'ops.jobs-cleaned',
        { actor: 'admin/ops-operator', queue: 'sync', state: 'failed', olderThanHours: 1, jobs: ['canary-1'] },
      ],
      ['ops.queue-resumed', { actor: 'admin/ops-operator', queue: 'sync' }],
    ]);
  });
});
