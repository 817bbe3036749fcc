import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { launchProfile } from '../support/chromium.js';
import { SiteHealthView } from '../../shared/src/contracts/site-health.js';
import { signedHeaders } from '../../shared/src/contracts/signed-transport.js';
import { freePort } from '../support/processes.js';
import { startServiceOn } from './support/service.js';
import { startWordPress, type WordPress } from './support/wordpress.js';

/**
 * The plugin's tests on WordPress's own Site Health screen (Tools → Site Health), in headless Chromium
 * on a real WordPress against the real service: each passes while the service runs, and with the
 * service stopped the failing one says what to do — in English and in Albanian.
 */
jest.setTimeout(180_000);

const KEY = { id: 'site-1', secret: randomBytes(24).toString('hex') };
const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts/wordpress');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-site-health-'));
const OURS = [
  'The connection to Privacy Bridge is encrypted',
  "Privacy Bridge's outbox is draining",
  'Privacy Bridge answers',
  'Privacy Bridge synced WooCommerce lately',
  'The privacy ledger verified lately',
];

let wp: WordPress;
let service: Awaited<ReturnType<typeof startServiceOn>> | null = null;
let port = 0;
let browser: BrowserContext;
let page: Page;

const siteHealth = async (url: string): Promise<SiteHealthView> => {
  const messageId = randomBytes(12).toString('hex');
  const res = await fetch(`${url}/v1/site-health`, {
    headers: signedHeaders(KEY, {
      method: 'GET',
      path: '/v1/site-health',
      timestamp: Math.floor(Date.now() / 1000),
      messageId,
      body: '',
    }),
  });
  return SiteHealthView.parse(await res.json());
};

/** Site Health's issue lists once every asynchronous test has answered. */
async function openSiteHealth(): Promise<{ good: string; critical: string; recommended: string }> {
  await page.goto(`${wp.url}/wp-admin/site-health.php`);
  await page.waitForSelector('.site-health-progress-wrapper:not(.loading)', { state: 'attached', timeout: 60_000 });
  const list = (id: string) => page.locator(`#health-check-issues-${id}`).innerText();
  return { good: await list('good'), critical: await list('critical'), recommended: await list('recommended') };
}

/** Opens one issue's accordion and returns its list's text, description and actions included. */
async function expand(list: 'good' | 'critical', label: string): Promise<string> {
  if (list === 'good') await page.locator('.site-health-view-passed').click(); // passed tests are folded away
  await page.locator(`#health-check-issues-${list} .health-check-accordion-trigger`, { hasText: label }).click();
  return page.locator(`#health-check-issues-${list}`).innerText();
}

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  wp = await startWordPress();
  // WordPress's own tests (loopback requests, updates, wordpress.org) cannot pass on a closed network and a
  // single-threaded php -S: only ours run, so what is asserted is ours.
  fs.writeFileSync(
    path.join(wp.dir, 'wp-content/mu-plugins/pb-only-our-site-health.php'),
    `<?php
add_filter('site_status_tests', static function (array $tests): array {
  foreach (array('direct', 'async') as $kind) {
    $tests[$kind] = array_filter($tests[$kind] ?? array(), static function (string $name): bool { return 0 === strpos($name, 'privacy_bridge_'); }, ARRAY_FILTER_USE_KEY);
  }
  return $tests;
}, 100);
`,
  );
  port = await freePort();
  service = await startServiceOn(port, {
    DATA_DIR: dataDir,
    PLUGIN_SIGNING_KEYS: `${KEY.id}:${KEY.secret}`,
    QUEUE_PREFIX: `pbsh${randomBytes(3).toString('hex')}`,
    LOG_LEVEL: 'warn',
    WORDPRESS_URL: wp.url,
  });
  await wp.eval(
    `update_option('privacy_bridge_settings', array('service_url' => 'http://127.0.0.1:${port}', 'key_id' => '${KEY.id}', 'secret' => '${KEY.secret}'), false); return true;`,
  );
  // The service verifies its ledger and reconciles the demo store as it starts: wait for both rather than assume them.
  for (let i = 0; i < 100; i++) {
    const view = await siteHealth(service.url);
    if (view.ledger.verifiedAt && view.sync.reconciledAt) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  browser = await launchProfile();
  page = await browser.newPage();
  await page.goto(`${wp.url}/wp-login.php`);
  await page.fill('#user_login', 'admin');
  await page.fill('#user_pass', 'admin-password');
  await Promise.all([page.waitForURL(/wp-admin/), page.click('#wp-submit')]);
}, 240_000);

afterAll(async () => {
  await Promise.race([browser?.close(), new Promise((r) => setTimeout(r, 10_000))]);
  await service?.stop().catch(() => undefined);
  await wp?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('Site Health (Tools → Site Health) in headless Chromium', () => {
  it('passes every Privacy Bridge test while the service runs', async () => {
    const lists = await openSiteHealth();
    for (const label of OURS) expect(lists.good).toContain(label);
    expect(`${lists.critical}\n${lists.recommended}`).not.toMatch(/Privacy Bridge|privacy ledger/);
    // No WooCommerce on this site: the webhook test is not offered rather than failed.
    expect(lists.good).not.toContain('webhooks');
    expect(await expand('good', 'Privacy Bridge answers')).toContain(
      'The service answers and our signatures verify in both directions.',
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'site-health-passing.png'), fullPage: true });
  });

  it('with the service stopped, names the failing test and what to do, in English and in Albanian', async () => {
    await service!.stop();
    service = null;
    const lists = await openSiteHealth();
    expect(lists.critical).toContain('Privacy Bridge does not answer as it should');
    expect(await expand('critical', 'Privacy Bridge does not answer as it should')).toContain(
      'Start the service, check the service URL in Privacy Bridge → Settings, then "Test connection".',
    );
    // The local tests still pass: nothing about them depends on the service answering.
    expect(lists.good).toContain('The connection to Privacy Bridge is encrypted');
    await page.screenshot({ path: path.join(ARTIFACTS, 'site-health-service-down.png'), fullPage: true });

    await wp.eval("update_user_meta(1, 'locale', 'sq'); return true;");
    try {
      const sq = await openSiteHealth();
      expect(sq.critical).toContain('Privacy Bridge nuk përgjigjet siç duhet');
      expect(sq.good).toContain('Lidhja me Privacy Bridge është e enkriptuar');
      await page.screenshot({ path: path.join(ARTIFACTS, 'site-health-service-down-sq.png'), fullPage: true });
    } finally {
      await wp.eval("delete_user_meta(1, 'locale'); return true;");
    }
  });
});
