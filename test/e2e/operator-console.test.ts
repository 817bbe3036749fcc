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
 * Operators in a browser (headless Chromium) against the running service: sign-in with a token, the
 * status page, a viewer who may read but not act (refused on the server, not only hidden), an operator
 * who retries failed jobs (ledgered with who and which jobs), CSRF, sign-out, a revoked token's session,
 * and the page at phone width in both languages — and no personal data on it.
 */
jest.setTimeout(120_000);

const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts/operators');
const CANARY = 'kanarina.operatore@example.invalid';

describe('the operator console in headless Chromium', () => {
  let tmp: ReturnType<typeof tempDir>;
  let service: Awaited<ReturnType<typeof startService>>;
  let redis: Redis;
  let sync: Queue;
  let browser: BrowserContext;
  let page: Page;
  const prefix = `pbt${randomBytes(3).toString('hex')}`;
  const tokens: Record<'viewer' | 'operator', string> = { viewer: '', operator: '' };
  let operatorTokenId = '';

  const entries = (kind: string) => {
    const db = new Database(path.join(tmp.dir, 'ledger.sqlite'), { readonly: true });
    try {
      return (
        db.prepare('SELECT detail FROM ledger_entries WHERE kind = ? ORDER BY seq').all(kind) as { detail: string }[]
      ).map((r) => JSON.parse(r.detail) as Record<string, unknown>);
    } finally {
      db.close();
    }
  };
  const failedSync = async () => (await sync.getJobCounts('failed')).failed ?? 0;
  const signIn = async (token: string) => {
    await page.goto(`${service.url}/admin/login?lang=en`);
    await page.fill('#token', token);
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
  };
  const csrfOnPage = () => page.locator('input[name=_csrf]').first().getAttribute('value');

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    tmp = tempDir();
    service = await startService({ DATA_DIR: tmp.dir, QUEUE_PREFIX: prefix, SYNC_WEBHOOK_CHECK_EVERY_S: '5' });
    for (const role of ['viewer', 'operator'] as const) {
      const made = await cli(['admin', 'token', 'create', '--operator', `ops-${role}`, '--role', role], {
        DATA_DIR: tmp.dir,
      });
      expect(made.code).toBe(0);
      tokens[role] = /pbat_[A-Za-z0-9_-]{43}/.exec(made.stdout)![0];
      if (role === 'operator') operatorTokenId = /token id (\S+)/.exec(made.stdout)![1]!;
    }
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    sync = new Queue('sync', { connection: redis, prefix });
    // A job no worker knows fails at once; its name carries the canary, which no page may show.
    await sync.add(`sync.no-such-job ${CANARY}`, {}, { jobId: 'no-such-job-1', attempts: 1 });
    for (let i = 0; i < 50 && (await failedSync()) === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await failedSync()).toBe(1);
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

  it('sends a browser without a session to the sign-in page, and refuses a wrong token (ledgered, no session)', async () => {
    await page.goto(`${service.url}/admin?lang=en`);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    await signIn(`pbat_${'x'.repeat(43)}`);
    expect(await page.locator('[role=alert]').innerText()).toBe(
      'That token does not work (unknown, expired or revoked).',
    );
    expect((await browser.cookies()).filter((c) => c.name === 'pb_admin')).toEqual([]);
    expect(entries('ops.sign-in-failed')).toEqual([{ reason: 'token-not-live' }]);
  });

  it('lets a viewer read the status page but not act: no button, and a forged retry is refused on the server', async () => {
    await signIn(tokens.viewer);
    expect(new URL(page.url()).pathname).toBe('/admin');
    const cookie = (await browser.cookies()).find((c) => c.name === 'pb_admin')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/admin' });
    const text = await page.locator('body').innerText();
    expect(text).toContain('Signed in as ops-viewer (viewer)');
    expect(text).toMatch(/sync\s+\d+\s+\d+\s+\d+\s+1\s/);
    expect(await page.locator('text=Retry failed').count()).toBe(0);
    const forged = await page.request.post(`${service.url}/admin/queues/sync/retry-failed`, {
      form: { _csrf: (await csrfOnPage())! },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403);
    expect((await forged.json()).code).toBe('ADMIN_ROLE_FORBIDDEN');
    expect(await failedSync()).toBe(1);
    expect(entries('ops.jobs-retried')).toEqual([]);
    await page.click('text=Sign out');
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    expect(entries('ops.signed-out')).toEqual([expect.objectContaining({ operator: 'ops-viewer' })]);
  });

  it('lets an operator retry failed jobs, ledgered with who and which job; a form without its CSRF token is refused', async () => {
    await signIn(tokens.operator);
    const noCsrf = await page.request.post(`${service.url}/admin/queues/sync/retry-failed`, {
      form: { x: '1' },
      maxRedirects: 0,
    });
    expect(noCsrf.status()).toBe(403);
    expect((await noCsrf.json()).code).toBe('ADMIN_CSRF_INVALID');
    const wrongCsrf = await page.request.post(`${service.url}/admin/queues/sync/retry-failed`, {
      form: { _csrf: 'x'.repeat(32) },
      maxRedirects: 0,
    });
    expect(wrongCsrf.status()).toBe(403);
    expect(await failedSync()).toBe(1);

    await Promise.all([page.waitForURL(/retried=1/), page.click('text=Retry failed')]);
    expect(await page.locator('[role=status]').innerText()).toBe('Retried 1 job(s).');
    expect(entries('ops.jobs-retried')).toEqual([{ actor: 'admin/ops-operator', queues: { sync: ['no-such-job-1'] } }]);
    expect(entries('ops.signed-in').map((e) => e.operator)).toEqual(['ops-viewer', 'ops-operator']);
  });

  it("reads well at phone width in Albanian and English, refreshes itself, and shows nobody's data", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const lang of ['sq', 'en']) {
      await page.goto(`${service.url}/admin?lang=${lang}`);
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      expect(await page.locator('meta[http-equiv=refresh]').getAttribute('content')).toBe('30');
      // The page itself never scrolls sideways; only a wide table scrolls in its own box.
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await page.screenshot({ path: path.join(ARTIFACTS, `status-phone-${lang}.png`), fullPage: true });
      const body = await page.content();
      expect(body).not.toContain(CANARY);
      expect(body).not.toMatch(/@example\.(com|al|invalid)/);
    }
    expect(await page.locator('h1').innerText()).toBe('Privacy Bridge — status');
    await page.goto(`${service.url}/admin?lang=sq`);
    expect(await page.locator('h1').innerText()).toBe('Privacy Bridge — gjendja');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("shows each webhook topic's state, deliveries to WordPress pending and dead, and that the plugin reports no outbox", async () => {
    // A delivery that gave up, as the delivery job leaves it (ids only).
    const db = new Database(path.join(tmp.dir, 'ledger.sqlite'));
    db.prepare(
      "INSERT INTO delivery_dead_letters (target, id, reason, status, attempts, failed_at) VALUES ('consent', 'c-1', 'refused', 400, 1, ?)",
    ).run(new Date().toISOString());
    db.close();
    // The demo store's webhooks are registered once the service listens; the check every 5 s then finds them.
    let text = '';
    for (let i = 0; i < 60 && !/customer\.deleted\s+active/.test(text); i++) {
      await page.goto(`${service.url}/admin?lang=en`);
      text = await page.locator('body').innerText();
      if (!/customer\.deleted\s+active/.test(text)) await new Promise((r) => setTimeout(r, 250));
    }
    expect(text).toMatch(/WooCommerce webhooks\s+Last checked: .+ \(every 5 s\)\./);
    for (const topic of ['order.created', 'order.updated', 'order.deleted', 'customer.deleted'])
      expect(text).toMatch(new RegExp(`${topic.replace('.', '\\.')}\\s+active`));
    expect(text).toContain('Deliveries to WordPress');
    expect(text).toContain('0 waiting · 0 sending · 0 waiting to retry after a failure');
    expect(text).toContain('1 gave up (1 refused · 0 out of retries)');
    expect(text).toContain('No heartbeat from the plugin yet (it sends one every five minutes through WP-Cron)');
    await page.goto(`${service.url}/admin?lang=sq`);
    const sq = await page.locator('body').innerText();
    expect(sq).toMatch(/customer\.deleted\s+aktiv/);
    expect(sq).toContain('1 të dështuara përfundimisht (1 të refuzuara · 0 pa riprovime të mbetura)');
    expect(sq).toContain('Ende asnjë sinjal jete nga shtojca');
    await page.screenshot({ path: path.join(ARTIFACTS, 'status-webhooks-deliveries-sq.png'), fullPage: true });
  });

  it("opens a request's timeline from its id: state, deadline and steps, in both languages, without the e-mail", async () => {
    const made = await fetch(`${service.url}/v1/requests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.operator}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'access', email: CANARY, identity: { verified: true, method: 'document-checked' } }),
    });
    expect(made.status).toBe(202);
    const { id } = (await made.json()) as { id: string };
    let text = '';
    for (let i = 0; i < 50 && !text.includes('completed'); i++) {
      await page.goto(`${service.url}/admin/requests/${id}?lang=en`);
      text = await page.locator('body').innerText();
      if (!text.includes('completed')) await new Promise((r) => setTimeout(r, 200));
    }
    expect(text).toContain(id);
    expect(text).toMatch(/State\s+completed/);
    expect(text).toMatch(/dsr\.received/);
    expect(text).toMatch(/dsr\.status\s+completed/);
    await page.goto(`${service.url}/admin/requests/${id}?lang=sq`);
    const sq = await page.locator('body').innerText();
    expect(sq).toContain('Hapat');
    for (const body of [text, sq, await page.content()]) expect(body).not.toContain(CANARY);
    const missing = await page.goto(`${service.url}/admin/requests/00000000-0000-4000-8000-000000000000?lang=en`);
    expect(missing?.status()).toBe(404);
    expect(await page.locator('body').innerText()).toContain('There is no request with this id.');
  });

  it('ends the session when its token is revoked', async () => {
    const revoked = await cli(['admin', 'token', 'revoke', operatorTokenId], { DATA_DIR: tmp.dir });
    expect(revoked.code).toBe(0);
    await page.goto(`${service.url}/admin?lang=en`);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    const after = await page.request.post(`${service.url}/admin/logout`, { form: { _csrf: 'x' }, maxRedirects: 0 });
    expect(after.status()).toBe(401);
    expect((await after.json()).code).toBe('ADMIN_SESSION_REQUIRED');
  });
});
