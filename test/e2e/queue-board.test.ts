import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { BrowserContext, Page } from 'playwright-core';
import { launchProfile } from '../support/chromium.js';
import { tempDir, TEST_REDIS_URL } from '../../service/src/testing/databases.js';
import { cli, startService } from '../support/processes.js';

/**
 * The queue board (/admin/queues) in headless Chromium against the running service: a viewer sees the
 * queues and their jobs but no control, and a forged retry or remove (with a valid CSRF token) is
 * refused on the server with the job unchanged; an operator pauses a queue and retries a failed job
 * from the board (it waits again; the ledger says who and which job), a form without its CSRF token
 * is refused; sign-out, and a session left idle too long, send the browser back to the sign-in page.
 * Screenshots at phone width (390 px) and on a desktop in test-artifacts/operators/.
 */
jest.setTimeout(120_000);

const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts/operators');

describe('the queue board in headless Chromium', () => {
  let tmp: ReturnType<typeof tempDir>;
  let service: Awaited<ReturnType<typeof startService>>;
  let redis: Redis;
  let sync: Queue;
  let browser: BrowserContext;
  let page: Page;
  const prefix = `pbt${randomBytes(3).toString('hex')}`;
  const tokens: Record<'viewer' | 'operator', string> = { viewer: '', operator: '' };
  const dbFile = () => path.join(tmp.dir, 'ledger.sqlite');

  const entries = (kind: string) => {
    const db = new Database(dbFile(), { readonly: true });
    try {
      return (
        db.prepare('SELECT detail FROM ledger_entries WHERE kind = ? ORDER BY seq').all(kind) as { detail: string }[]
      ).map((r) => JSON.parse(r.detail) as Record<string, unknown>);
    } finally {
      db.close();
    }
  };
  const stateOf = async (id: string) => (await sync.getJob(id))?.getState() ?? 'gone';
  const until = async (what: string, check: () => Promise<boolean>) => {
    for (let i = 0; i < 100; i++)
      if (await check()) return;
      else await new Promise((r) => setTimeout(r, 100));
    throw new Error(`timed out: ${what}`);
  };
  const signIn = async (token: string) => {
    await page.goto(`${service.url}/admin/login?lang=en`);
    await page.fill('#token', token);
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
  };
  const csrfOnPage = async () => (await page.locator('input[name=_csrf]').first().getAttribute('value'))!;
  /** The page at phone width (never scrolling sideways) and on a desktop, kept as screenshots. */
  const shoot = async (name: string) => {
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}-phone.png`), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}-desktop.png`), fullPage: true });
  };

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    tmp = tempDir();
    service = await startService({ DATA_DIR: tmp.dir, QUEUE_PREFIX: prefix });
    for (const role of ['viewer', 'operator'] as const) {
      const made = await cli(['admin', 'token', 'create', '--operator', `ops-${role}`, '--role', role], {
        DATA_DIR: tmp.dir,
      });
      expect(made.code).toBe(0);
      tokens[role] = /pbat_[A-Za-z0-9_-]{43}/.exec(made.stdout)![0];
    }
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    sync = new Queue('sync', { connection: redis, prefix });
    // No worker knows this job: the service's fails it at once. The delayed one waits a day.
    await sync.add('sync.board-test', {}, { jobId: 'board-failed-1', attempts: 1 });
    await sync.add('sync.board-later', {}, { jobId: 'board-later-1', delay: 86_400_000 });
    await until('the job to fail', async () => (await stateOf('board-failed-1')) === 'failed');
    browser = await launchProfile();
    page = await browser.newPage();
  });
  afterAll(async () => {
    await Promise.race([browser?.close(), new Promise((r) => setTimeout(r, 10_000))]);
    await sync?.close();
    await redis?.quit();
    await service?.stop();
    tmp?.remove();
  });

  it('shows a viewer the queues and their jobs with no control, and refuses a forged retry or remove on the server', async () => {
    await signIn(tokens.viewer);
    await Promise.all([page.waitForURL(/\/admin\/queues/), page.click('text=Open the queue board')]);
    expect(await page.locator('h1').innerText()).toBe('Privacy Bridge — queue board');
    expect(await page.locator('tbody tr').first().innerText()).toMatch(/^sync\s+running(\s+\d+){3}\s+1\s+\d+$/);
    await shoot('board-viewer');

    await Promise.all([page.waitForURL(/state=failed/), page.click('a[aria-label="sync: Failed"]')]);
    const row = page.locator('tr', { hasText: 'board-failed-1' });
    expect(await row.innerText()).toContain('no handler for this job name');
    expect(await page.locator('[aria-current=page]').innerText()).toBe('Failed (1)');
    expect(await page.locator('text=As a viewer you may look at the queues but not act on them.').count()).toBe(1);
    // No control: the only form is sign-out, the only button its own.
    expect(await page.locator('form:not([action^="/admin/logout"])').count()).toBe(0);
    expect(await page.locator('button').allInnerTexts()).toEqual(['Sign out']);
    await shoot('board-viewer-failed');
    await page.goto(`${service.url}/admin/queues/sync?state=failed&lang=sq`);
    expect(await page.locator('html').getAttribute('lang')).toBe('sq');
    expect(await page.locator('h1').innerText()).toBe('Privacy Bridge — tabela e radhëve: sync');
    expect(await page.locator('[aria-current=page]').innerText()).toBe('Të dështuara (1)');
    await shoot('board-viewer-failed-sq');

    const csrf = await csrfOnPage();
    for (const action of ['retry', 'remove']) {
      const forged = await page.request.post(`${service.url}/admin/queues/sync/jobs/board-failed-1/${action}`, {
        form: { _csrf: csrf },
        maxRedirects: 0,
      });
      expect([action, forged.status(), (await forged.json()).code]).toEqual([action, 403, 'ADMIN_ROLE_FORBIDDEN']);
    }
    expect(await stateOf('board-failed-1')).toBe('failed');
    expect(entries('ops.jobs-retried')).toEqual([]);
    expect(entries('ops.job-removed')).toEqual([]);
    await page.click('form[action^="/admin/logout"] button');
    expect(new URL(page.url()).pathname).toBe('/admin/login');
  });

  it('lets an operator pause the queue and retry the failed job from the board: it waits again, ledgered with who and which job', async () => {
    await signIn(tokens.operator);
    await page.goto(`${service.url}/admin/queues/sync?state=failed&lang=en`);
    const noCsrf = await page.request.post(`${service.url}/admin/queues/sync/jobs/board-failed-1/retry`, {
      form: { x: '1' },
      maxRedirects: 0,
    });
    expect([noCsrf.status(), (await noCsrf.json()).code]).toEqual([403, 'ADMIN_CSRF_INVALID']);
    expect(await stateOf('board-failed-1')).toBe('failed');
    await shoot('board-operator-failed');

    // Paused, no worker takes the job once it waits again: the board shows it there.
    await Promise.all([page.waitForURL(/done=pause/), page.click('text=Pause queue')]);
    expect(await page.locator('[role=status]').innerText()).toBe('The queue is paused: workers take no new jobs.');
    expect(await page.locator('h2').innerText()).toBe('sync (paused)');
    const row = page.locator('tr', { hasText: 'board-failed-1' });
    await Promise.all([page.waitForURL(/done=retry/), row.getByRole('button', { name: 'Retry', exact: true }).click()]);
    expect(await page.locator('[role=status]').innerText()).toBe('The job is waiting again.');
    expect(await stateOf('board-failed-1')).toBe('waiting');
    expect(entries('ops.jobs-retried')).toEqual([
      { actor: 'admin/ops-operator', queues: { sync: ['board-failed-1'] } },
    ]);
    expect(entries('ops.queue-paused')).toEqual([{ actor: 'admin/ops-operator', queue: 'sync' }]);
    await page.click('text=Waiting (1)');
    expect(await page.locator('tr', { hasText: 'board-failed-1' }).innerText()).toContain('Remove');
    await shoot('board-operator-waiting');

    await Promise.all([page.waitForURL(/done=resume/), page.click('text=Resume queue')]);
    await until('the resumed job to run (and fail again: no worker knows it)', async () => {
      return (await stateOf('board-failed-1')) === 'failed';
    });
    expect(entries('ops.queue-resumed')).toEqual([{ actor: 'admin/ops-operator', queue: 'sync' }]);

    const csrf = await csrfOnPage();
    await page.click('text=Sign out');
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    const after = await page.request.post(`${service.url}/admin/queues/sync/pause`, {
      form: { _csrf: csrf },
      maxRedirects: 0,
    });
    expect([after.status(), (await after.json()).code]).toEqual([401, 'ADMIN_SESSION_REQUIRED']);
    await page.goto(`${service.url}/admin/queues?lang=en`);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
  });

  it('sends a browser whose session sat idle past 30 minutes to the sign-in page', async () => {
    await signIn(tokens.viewer);
    await page.goto(`${service.url}/admin/queues/sync?state=delayed&lang=en`);
    expect(await page.locator('tr', { hasText: 'board-later-1' }).count()).toBe(1);
    // As if the last request had been 31 minutes ago.
    const db = new Database(dbFile());
    try {
      db.prepare('UPDATE admin_sessions SET seen_at = ? WHERE ended_at IS NULL').run(
        new Date(Date.now() - 31 * 60_000).toISOString(),
      );
    } finally {
      db.close();
    }
    await page.goto(`${service.url}/admin/queues/sync?state=delayed&lang=en`);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    expect(await page.locator('h1').innerText()).toBe('Operator sign-in');
  });
});
