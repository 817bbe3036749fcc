/// <reference lib="dom" /> // page.evaluate() callbacks run in the browser
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { eventIdOf, receiptPath } from '../../../service/src/consent/links.js';
import { cli, freePort } from '../../support/processes.js';
import { startServiceOn } from '../support/service.js';
import { sendSigned } from '../support/signed.js';
import { pluginInStore, URL_, WP_DIR, wpEval } from './store.js';

/**
 * The cookie banner (issue 16) in headless Chromium on the real WordPress 6.8 + WooCommerce 9.9 store,
 * with the real service behind the plugin's outbox. Test-only mu-plugins (banner-support/): a stand-in
 * for the WP Consent API plugin (it cannot be installed here: no network), scripts marked with each
 * category, and a page cache that ignores cookies. Restores the banner option, the site language and
 * the mu-plugins folder it found. Screenshots go to test-artifacts/banner/.
 */
const KEY = { id: 'wcenv-banner', secret: randomBytes(24).toString('hex') };
const LINK_SECRET = randomBytes(32);
const SUPPORT = path.join(__dirname, 'banner-support');
const MU = path.join(WP_DIR, 'wp-content/mu-plugins');
const MU_FILES = fs.readdirSync(SUPPORT);
const ARTIFACTS = path.resolve(__dirname, '../../../test-artifacts/banner');
const RUN = Date.now().toString(36);
const ALL_RAN = [
  'statistics-inline',
  'marketing-inline',
  'preferences-inline',
  'statistics-enqueued',
  'marketing-enqueued',
];

type Svc = { url: string; stop(): Promise<void>; token: string };
type Receipt = { consentId: string; at: string; decisions: { category: string; decision: string }[]; gpc: boolean };
type LedgerReceipt = {
  globalPrivacyControl: boolean;
  collectionMethod: string;
  purposes: { purpose: string; decision: string; rule: string }[];
};

let svc: Svc;
let browser: Browser;
let saved: { banner: unknown };
let pages: { checkout: string; account: string; product: string };

const php = (s: string) => JSON.stringify(s).replace(/\$/g, '\\$');

beforeAll(async () => {
  const port = await freePort();
  const env = {
    DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'pb-wcenv-banner-')),
    DEMO_STORE: 'off',
    QUEUE_PREFIX: `pbbanner${RUN}`,
    LOG_LEVEL: 'warn',
    LINK_SECRET: LINK_SECRET.toString('base64'),
    WORDPRESS_URL: URL_,
    PLUGIN_SIGNING_KEYS: `${KEY.id}:${KEY.secret}`,
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    SYNC_RECONCILE_EVERY_S: '3600',
  };
  const started = await startServiceOn(port, env);
  const made = await cli(['admin', 'token', 'create', '--operator', 'wcenv-banner'], { ...process.env, ...env });
  const token = /pbat_[A-Za-z0-9_-]+/.exec(made.stdout + made.stderr)?.[0];
  if (!token) throw new Error(`no admin token: ${made.stderr}`);
  svc = { ...started, token };
  await pluginInStore(svc.url, KEY);
  fs.mkdirSync(MU, { recursive: true });
  for (const f of MU_FILES) fs.copyFileSync(path.join(SUPPORT, f), path.join(MU, f));
  saved = await wpEval(`return array('banner' => get_option('privacy_bridge_banner', null));`);
  await wpEval(
    `delete_option('privacy_bridge_banner'); delete_option('pb_test_locale'); global $wpdb; $wpdb->query("DELETE FROM {$wpdb->options} WHERE option_name LIKE '%pb_rl_%'"); return true;`,
  );
  pages = await wpEval(
    `$p = wc_get_products(array('limit' => 1, 'status' => 'publish')); return array('checkout' => wc_get_checkout_url(), 'account' => wc_get_page_permalink('myaccount'), 'product' => get_permalink($p[0]->get_id()));`,
  );
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 180_000);

afterAll(async () => {
  await Promise.race([browser?.close(), new Promise((r) => setTimeout(r, 10_000))]);
  for (const f of MU_FILES) fs.rmSync(path.join(MU, f), { force: true });
  for (const f of fs.readdirSync(os.tmpdir()))
    if (f.startsWith('pb-test-page-cache-')) fs.rmSync(path.join(os.tmpdir(), f), { force: true });
  if (saved) {
    await wpEval(
      `${saved.banner === null ? "delete_option('privacy_bridge_banner');" : `update_option('privacy_bridge_banner', json_decode(${php(JSON.stringify(saved.banner))}, true));`} delete_option('pb_test_locale'); return true;`,
    );
  }
  await svc?.stop();
});

async function visitor(
  opts: { gpc?: boolean; width?: number; height?: number } = {},
): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 },
    ...(opts.gpc ? { extraHTTPHeaders: { 'Sec-GPC': '1' } } : {}),
  });
  // Chromium has no GPC switch: the page sees what a GPC browser (Firefox, Brave) shows it.
  if (opts.gpc)
    await ctx.addInitScript(() =>
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }),
    );
  return { ctx, page: await ctx.newPage() };
}

const cookies = async (ctx: BrowserContext) => Object.fromEntries((await ctx.cookies()).map((c) => [c.name, c.value]));
const ran = (page: Page) => page.evaluate(() => (window as unknown as { __ran: string[] }).__ran);
const consentCalls = (page: Page) =>
  page.evaluate(() =>
    ((window as unknown as { dataLayer: IArguments[] }).dataLayer ?? [])
      .filter((a) => a[0] === 'consent')
      .map((a) => [a[1], a[2]] as [string, Record<string, unknown>]),
  );
const wpConsentCookies = async (ctx: BrowserContext) =>
  Object.fromEntries(
    Object.entries(await cookies(ctx))
      .filter(([k]) => k.startsWith('wp_consent_'))
      .map(([k, v]) => [k.slice('wp_consent_'.length), v]),
  );

/** Clicks a banner button and waits for the plugin's answer (the receipt). */
async function choose(page: Page, name: RegExp, within = '#pb-banner'): Promise<Receipt> {
  const answered = page.waitForResponse((r) => r.url().includes('/privacy-bridge-banner/v1/consent'));
  await page.locator(within).getByRole('button', { name }).click();
  const res = await answered;
  expect(res.status()).toBe(201);
  return (await res.json()) as Receipt;
}

/** Sends the plugin's outbox to the service, then reads the consent back from the ledger (its signed receipt). */
async function ledgered(consentId: string): Promise<LedgerReceipt> {
  await wpEval(`\\PrivacyBridge\\Plugin::instance()->drain_outbox(); return true;`);
  const eventId = eventIdOf(`plugin/${consentId}`);
  const res = await fetch(`${svc.url}${receiptPath(LINK_SECRET, eventId, new Date())}&format=json`);
  expect(res.status).toBe(200);
  return (await res.json()) as LedgerReceipt;
}

const decisionsOf = (r: LedgerReceipt) =>
  Object.fromEntries(r.purposes.map((p) => [p.purpose, `${p.decision}/${p.rule}`]));
const GRANTED = {
  ad_storage: 'granted',
  ad_user_data: 'granted',
  ad_personalization: 'granted',
  analytics_storage: 'granted',
  functionality_storage: 'granted',
  personalization_storage: 'granted',
};
const DENIED = {
  ad_storage: 'denied',
  ad_user_data: 'denied',
  ad_personalization: 'denied',
  analytics_storage: 'denied',
  functionality_storage: 'denied',
  personalization_storage: 'denied',
};

describe('the cookie banner on the real store', () => {
  it('before any choice: banner shown, nothing runs, Consent Mode denied by default before any tag', async () => {
    const { ctx, page } = await visitor();
    await page.goto(`${URL_}/`);
    await expect(page.getByRole('region', { name: 'Cookies on this site' }).isVisible()).resolves.toBe(true);
    expect(await ran(page)).toEqual([]);
    const calls = await consentCalls(page);
    expect(calls[0]).toEqual(['default', { ...DENIED, security_storage: 'granted', wait_for_update: 500 }]);
    expect(calls).toHaveLength(1);
    // The head config and Consent Mode default come before every other script of the page.
    const html = await page.content();
    expect(html.indexOf('id="pb-config"')).toBeLessThan(html.indexOf('id="pb-head"'));
    expect(html.indexOf('id="pb-head"')).toBeLessThan(
      html.search(/<script(?![^>]*(?:id="pb-(?:config|head|test-consent-api)"|privacy-bridge\/assets))/),
    );
    expect(html.indexOf('id="pb-banner"') - html.indexOf('<body')).toBeLessThan(2_000);
    expect(
      Object.keys(await cookies(ctx)).filter(
        (c) => c.startsWith('pb_') || c.startsWith('_ga') || c === '_fbp' || c.startsWith('sbjs_'),
      ),
    ).toEqual([]);
    await ctx.close();
  });

  it('Accept all: cookie, WP Consent API, Consent Mode update, ledger; every marked script runs once, in page order', async () => {
    const { ctx, page } = await visitor();
    await page.goto(`${URL_}/`);
    const receipt = await choose(page, /^Accept all$/);
    const c = await cookies(ctx);
    expect(c.pb_consent).toMatch(/^1\.111\.\d{10}$/);
    expect(c.pb_vid).toMatch(/^[A-Za-z0-9_-]{22}$/);
    await page.waitForFunction(() => (window as unknown as { __ran: string[] }).__ran.length === 5);
    expect(await ran(page)).toEqual(ALL_RAN);
    expect((await consentCalls(page)).at(-1)).toEqual(['update', GRANTED]);
    expect(await wpConsentCookies(ctx)).toEqual({
      functional: 'allow',
      preferences: 'allow',
      statistics: 'allow',
      'statistics-anonymous': 'allow',
      marketing: 'allow',
    });
    expect(await page.locator('#pb-banner').isVisible()).toBe(false);
    expect(decisionsOf(await ledgered(receipt.consentId))).toEqual({
      marketing: 'granted/explicit',
      preferences: 'granted/explicit',
      statistics: 'granted/explicit',
    });
    // The next page: no banner, the stored choice applied at once, each script once.
    await page.goto(`${URL_}/?again=1`);
    await page.waitForFunction(() => (window as unknown as { __ran: string[] }).__ran.length === 5);
    expect(await ran(page)).toEqual(ALL_RAN);
    expect(await page.locator('#pb-banner').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Cookie settings' }).isVisible()).toBe(true);
    expect((await consentCalls(page)).map((x) => x[0])).toEqual(['default', 'update', 'update']);
    await ctx.close();
  });

  it('Reject all: nothing runs, everything denied, recorded', async () => {
    const { ctx, page } = await visitor();
    await page.goto(`${URL_}/`);
    const receipt = await choose(page, /^Reject all$/);
    expect((await cookies(ctx)).pb_consent).toMatch(/^1\.000\.\d{10}$/);
    await page.waitForTimeout(300);
    expect(await ran(page)).toEqual([]);
    expect((await consentCalls(page)).at(-1)).toEqual(['update', DENIED]);
    expect(await wpConsentCookies(ctx)).toEqual({
      functional: 'allow',
      preferences: 'deny',
      statistics: 'deny',
      'statistics-anonymous': 'deny',
      marketing: 'deny',
    });
    expect(decisionsOf(await ledgered(receipt.consentId))).toEqual({
      marketing: 'denied/explicit',
      preferences: 'denied/explicit',
      statistics: 'denied/explicit',
    });
    await ctx.close();
  });

  it('Choose statistics only, then withdraw it: its cookie is deleted and listeners hear of it', async () => {
    const { ctx, page } = await visitor();
    await page.goto(`${URL_}/`);
    await page.getByRole('button', { name: 'Choose' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cookie settings' });
    expect(await dialog.isVisible()).toBe(true);
    for (const name of ['Preferences', 'Statistics', 'Marketing'])
      expect(await dialog.getByRole('switch', { name }).isChecked()).toBe(false);
    await dialog.getByRole('switch', { name: 'Statistics' }).check();
    const receipt = await choose(page, /^Save my choices$/, '#pb-dialog');
    expect((await cookies(ctx)).pb_consent).toMatch(/^1\.010\.\d{10}$/);
    await page.waitForFunction(() => (window as unknown as { __ran: string[] }).__ran.length === 2);
    expect(await ran(page)).toEqual(['statistics-inline', 'statistics-enqueued']);
    expect((await consentCalls(page)).at(-1)).toEqual(['update', { ...DENIED, analytics_storage: 'granted' }]);
    expect(await wpConsentCookies(ctx)).toMatchObject({ statistics: 'allow', marketing: 'deny', preferences: 'deny' });
    expect(decisionsOf(await ledgered(receipt.consentId))).toEqual({
      marketing: 'denied/explicit',
      preferences: 'denied/explicit',
      statistics: 'granted/explicit',
    });
    expect((await cookies(ctx))._ga_PBTEST).toBe('GS1.1');

    // Withdrawing is as easy: the persistent "Cookie settings" button, one switch, save.
    await page.getByRole('button', { name: 'Cookie settings' }).click();
    expect(await dialog.getByRole('switch', { name: 'Statistics' }).isChecked()).toBe(true);
    await dialog.getByRole('switch', { name: 'Statistics' }).uncheck();
    const withdrawal = await choose(page, /^Save my choices$/, '#pb-dialog');
    const after = await cookies(ctx);
    expect(after._ga_PBTEST).toBeUndefined();
    expect(after.pb_consent).toMatch(/^1\.000\.\d{10}$/);
    expect(await wpConsentCookies(ctx)).toMatchObject({ statistics: 'deny' });
    expect(
      await page.evaluate(() => (window as unknown as { __wpConsentEvents: unknown[] }).__wpConsentEvents),
    ).toContainEqual({ statistics: 'deny' });
    expect(await page.evaluate(() => (window as unknown as { __pbEvents: unknown[] }).__pbEvents.at(-1))).toEqual({
      preferences: false,
      statistics: false,
      marketing: false,
    });
    expect((await consentCalls(page)).at(-1)).toEqual(['update', DENIED]);
    expect(decisionsOf(await ledgered(withdrawal.consentId)).statistics).toBe('denied/explicit');
    // The receipt of the last choice can be downloaded from the dialog.
    await page.getByRole('button', { name: 'Cookie settings' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Download a receipt of my choice' }).click(),
    ]);
    const saved = JSON.parse(fs.readFileSync((await download.path())!, 'utf8')) as Receipt;
    expect(saved.consentId).toBe(withdrawal.consentId);
    expect(saved.decisions).toContainEqual({ category: 'statistics', decision: 'denied' });
    await ctx.close();
  });

  it('GPC on: the banner says so, Accept all still refuses statistics and marketing, and the ledger knows why', async () => {
    const { ctx, page } = await visitor({ gpc: true });
    await page.goto(`${URL_}/`);
    expect(await page.locator('#pb-banner .pb-gpc').innerText()).toContain('Global Privacy Control');
    const receipt = await choose(page, /^Accept all$/);
    expect(receipt.gpc).toBe(true);
    expect((await cookies(ctx)).pb_consent).toMatch(/^1\.100\.\d{10}$/);
    await page.waitForTimeout(300);
    expect(await ran(page)).toEqual(['preferences-inline']);
    expect((await consentCalls(page)).at(-1)).toEqual([
      'update',
      { ...DENIED, functionality_storage: 'granted', personalization_storage: 'granted' },
    ]);
    expect(await wpConsentCookies(ctx)).toMatchObject({ statistics: 'deny', marketing: 'deny', preferences: 'allow' });
    const ledger = await ledgered(receipt.consentId);
    expect(ledger.globalPrivacyControl).toBe(true);
    expect(decisionsOf(ledger)).toEqual({
      marketing: 'denied/gpc',
      preferences: 'granted/explicit',
      statistics: 'denied/gpc',
    });
    const gpcJson = await fetch(`${URL_}/.well-known/gpc.json`);
    expect(gpcJson.headers.get('content-type')).toContain('application/json');
    expect(await gpcJson.json()).toEqual({ gpc: true, lastUpdate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    await ctx.close();
  });

  it('keyboard only: the banner is among the first Tab stops; the dialog takes focus, traps it, closes on Escape and gives it back', async () => {
    const { ctx, page } = await visitor();
    await page.goto(`${URL_}/`);
    const stops: string[] = [];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      stops.push(
        await page.evaluate(() => {
          const a = document.activeElement!;
          return a.closest('#pb-banner') ? `banner:${a.textContent}` : a.tagName;
        }),
      );
    }
    const first = stops.findIndex((s) => s.startsWith('banner:'));
    expect(first).toBeLessThanOrEqual(1); // after the theme's skip link at most
    const inBanner = stops.filter((s) => s.startsWith('banner:'));
    expect(inBanner.slice(-3)).toEqual(['banner:Accept all', 'banner:Reject all', 'banner:Choose']);
    expect(stops.slice(first, first + inBanner.length)).toEqual(inBanner); // one after the other
    while (!(await page.evaluate(() => document.activeElement?.textContent === 'Choose')))
      await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const inDialog = () =>
      page.evaluate(() => {
        const a = document.activeElement!;
        return a.closest('#pb-dialog') ? a.id || a.textContent : `outside:${a.tagName}`;
      });
    expect(await inDialog()).toBe('pb-c-preferences');
    const cycle: string[] = [];
    for (let i = 0; i < 9; i++) {
      await page.keyboard.press('Tab');
      cycle.push((await inDialog()) as string);
    }
    expect(cycle).toEqual([
      'pb-c-statistics',
      'pb-c-marketing',
      'Accept all',
      'Reject all',
      'Save my choices',
      'Close',
      'pb-c-preferences',
      'pb-c-statistics',
      'pb-c-marketing',
    ]);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    expect(await inDialog()).toBe('Close');
    await page.keyboard.press('Escape');
    expect(await page.locator('#pb-dialog').isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Choose');
    // Keyboard all the way: open, Space on a switch, save.
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
    expect(await inDialog()).toBe('Save my choices');
    const answered = page.waitForResponse((r) => r.url().includes('/privacy-bridge-banner/v1/consent'));
    await page.keyboard.press('Enter');
    await answered;
    expect((await cookies(ctx)).pb_consent).toMatch(/^1\.010\./);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('pb-reopen');
    await ctx.close();
  });

  it('axe-core finds no WCAG 2.2 AA violation on the banner and the dialog, in sq and en; screenshots at desktop and phone width', async () => {
    const axe = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    const check = async (page: Page, selector: string) => {
      await page.addScriptTag({ content: axe });
      const violations = await page.evaluate(async (sel) => {
        const r = await (
          window as unknown as {
            axe: { run(c: unknown, o: unknown): Promise<{ violations: { id: string; nodes: unknown[] }[] }> };
          }
        ).axe.run(
          { include: [sel] },
          { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } },
        );
        return r.violations.map((v) => `${v.id} (${v.nodes.length})`);
      }, selector);
      expect({ selector, violations }).toEqual({ selector, violations: [] });
    };
    try {
      for (const lang of ['en', 'sq'] as const) {
        await wpEval(`update_option('pb_test_locale', '${lang}'); return true;`);
        for (const [device, width, height] of [
          ['desktop', 1280, 800],
          ['phone', 375, 740],
        ] as const) {
          const { ctx, page } = await visitor({ width, height });
          await page.goto(`${URL_}/`);
          const region = page.getByRole('region', {
            name: lang === 'sq' ? 'Cookies në këtë faqe' : 'Cookies on this site',
          });
          expect(await region.isVisible()).toBe(true);
          expect(await page.locator('#pb-banner').getAttribute('lang')).toBe(lang);
          // Equal prominence: the three buttons have the same size (height and width), weight and colours.
          const looks = await page.locator('#pb-banner .pb-btn').evaluateAll((bs) =>
            bs.map((b) => {
              const s = getComputedStyle(b);
              const r = b.getBoundingClientRect();
              return [
                s.fontWeight,
                s.fontSize,
                s.color,
                s.backgroundColor,
                Math.round(r.height),
                Math.round(r.width),
              ].join(' ');
            }),
          );
          expect(new Set(looks).size).toBe(1);
          await check(page, '#pb-banner');
          await page.screenshot({ path: path.join(ARTIFACTS, `banner-${lang}-${device}.png`) });
          await page.locator('#pb-banner [data-pb="choose"]').click();
          await check(page, '#pb-dialog');
          await page.screenshot({ path: path.join(ARTIFACTS, `dialog-${lang}-${device}.png`) });
          await ctx.close();
        }
      }
    } finally {
      await wpEval(`delete_option('pb_test_locale'); return true;`);
    }
    for (const f of ['banner-sq-desktop', 'banner-en-phone', 'dialog-sq-phone', 'dialog-en-desktop'])
      expect(fs.statSync(path.join(ARTIFACTS, `${f}.png`)).size).toBeGreaterThan(5_000);
  });

  it('behind a page cache: one cached HTML, two visitors with different choices, each gets their own', async () => {
    const url = `${URL_}/?pb-cache=${RUN}`;
    const first = await fetch(url, {
      headers: { cookie: 'pb_consent=1.111.1764000000; pb_vid=AAAAAAAAAAAAAAAAAAAAAA' },
    });
    expect(first.headers.get('x-pb-cache')).toBe('MISS');
    const html = await first.text();
    const second = await fetch(url, { headers: { cookie: 'pb_consent=1.000.1764000000' } });
    expect(second.headers.get('x-pb-cache')).toBe('HIT');
    expect(await second.text()).toBe(html);
    const ours =
      html.slice(html.indexOf('id="pb-config"'), html.indexOf('</script>', html.indexOf('id="pb-config"'))) +
      html.slice(html.indexOf('<section id="pb-banner"'), html.indexOf('id="pb-reopen"'));
    expect(ours).toContain('pb-dialog');
    expect(ours).not.toMatch(/nonce|pb_vid|AAAAAAAAAAAAAAAAAAAAAA/i);

    const a = await visitor();
    const b = await visitor();
    for (const v of [a, b]) {
      await v.page.goto(url);
      expect(await v.page.locator('#pb-banner').isVisible()).toBe(true);
    }
    await choose(a.page, /^Accept all$/);
    await choose(b.page, /^Reject all$/);
    for (const v of [a, b]) {
      const res = await v.page.goto(url);
      expect(res!.headers()['x-pb-cache']).toBe('HIT');
    }
    await a.page.waitForFunction(() => (window as unknown as { __ran: string[] }).__ran.length === 5);
    expect(await ran(a.page)).toEqual(ALL_RAN);
    await b.page.waitForTimeout(300);
    expect(await ran(b.page)).toEqual([]);
    expect((await consentCalls(a.page)).at(-1)![1]).toMatchObject({
      analytics_storage: 'granted',
      ad_storage: 'granted',
    });
    expect((await consentCalls(b.page)).at(-1)![1]).toMatchObject({
      analytics_storage: 'denied',
      ad_storage: 'denied',
    });
    for (const v of [a, b]) expect(await v.page.locator('#pb-banner').isVisible()).toBe(false);
    await a.ctx.close();
    await b.ctx.close();
  });

  it('checkout, My Account and a session page: marketing never runs, even after Accept all', async () => {
    const { ctx, page } = await visitor();
    await page.goto(pages.checkout);
    await choose(page, /^Accept all$/);
    for (const url of [pages.checkout, pages.account, pages.product]) {
      if (url !== pages.checkout) await page.goto(url);
      await page.waitForFunction(() =>
        (window as unknown as { __ran: string[] }).__ran.includes('statistics-enqueued'),
      );
      await page.waitForTimeout(300);
      expect({ url, ran: await ran(page) }).toEqual({
        url,
        ran: ['statistics-inline', 'preferences-inline', 'statistics-enqueued'],
      });
      expect(await page.locator('script[src*="sourcebuster"], script[src*="pb-test-enqueued-marketing"]').count()).toBe(
        0,
      );
      expect((await consentCalls(page)).at(-1)![1]).toMatchObject({
        ad_storage: 'denied',
        ad_user_data: 'denied',
        ad_personalization: 'denied',
        analytics_storage: 'granted',
      });
      expect(Object.keys(await cookies(ctx)).filter((c) => c.startsWith('sbjs_'))).toEqual([]);
    }
    await ctx.close();
  });

  it("a visitor's choices follow them into their account at log-in, and into their export", async () => {
    const email = `banner.visitor.${RUN}@example.com`;
    const password = randomBytes(12).toString('hex');
    const userId = await wpEval<number>(
      `return wp_insert_user(array('user_login' => 'banner_${RUN}', 'user_email' => '${email}', 'user_pass' => '${password}', 'first_name' => 'Drita', 'last_name' => 'Berisha', 'role' => 'customer'));`,
    );
    try {
      const { ctx, page } = await visitor();
      await page.goto(`${URL_}/`);
      const first = await choose(page, /^Reject all$/);
      await page.goto(`${URL_}/wp-login.php`);
      await page.fill('#user_login', `banner_${RUN}`);
      await page.fill('#user_pass', password);
      await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('wp-login.php')), page.click('#wp-submit')]);
      await ledgered(first.consentId);
      const history = (await (
        await fetch(`${svc.url}/v1/subjects/consents?email=${encodeURIComponent(email)}`, {
          headers: { authorization: `Bearer ${svc.token}` },
        })
      ).json()) as { history: { eventId: string; source: string }[] };
      expect(history.history.map((h) => h.eventId)).toContain(eventIdOf(`plugin/${first.consentId}`));
      expect(history.history.length).toBeGreaterThanOrEqual(2);
      const exported = await sendSigned(svc.url, '/v1/privacy-tools/export', { email, cursor: null }, KEY);
      expect(exported.status).toBe(200);
      expect(JSON.stringify(exported.body)).toContain(eventIdOf(`plugin/${first.consentId}`));
      await ctx.close();
    } finally {
      await wpEval(`require_once ABSPATH . 'wp-admin/includes/user.php'; wp_delete_user(${userId}); return true;`);
    }
  });

  it('a new revision (a material policy version) asks again: the old choice no longer runs anything', async () => {
    const { ctx, page } = await visitor();
    await page.goto(`${URL_}/`);
    await choose(page, /^Accept all$/);
    await wpEval(
      `$s = \\PrivacyBridge\\Banner\\BannerSettings::get(); $s['revision'] = 2; update_option('privacy_bridge_banner', $s); return true;`,
    );
    try {
      await page.goto(`${URL_}/?revision=2`);
      expect(await page.locator('#pb-banner').isVisible()).toBe(true);
      await page.waitForTimeout(300);
      expect(await ran(page)).toEqual([]);
      expect(await consentCalls(page)).toHaveLength(1); // the default only
      await choose(page, /^Reject all$/);
      expect((await cookies(ctx)).pb_consent).toMatch(/^2\.000\./);
    } finally {
      await wpEval(
        `$s = \\PrivacyBridge\\Banner\\BannerSettings::get(); $s['revision'] = 1; update_option('privacy_bridge_banner', $s); return true;`,
      );
      await ctx.close();
    }
  });

  it('the endpoint takes only the enumerated categories, needs the visitor cookie and is rate-limited', async () => {
    const post = (body: unknown, cookie = `pb_vid=rl${RUN}AAAAAAAAAAAAAAAA`) =>
      fetch(`${URL_}/wp-json/privacy-bridge-banner/v1/consent`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify(body),
      });
    const ok = { granted: ['statistics'], revision: 1, locale: 'sq', gpc: false };
    const bad = await post({ ...ok, granted: ['advertising'] });
    expect([bad.status, ((await bad.json()) as { code: string }).code]).toEqual([
      400,
      'privacy_bridge_banner_consent_invalid',
    ]);
    const listAsText = await post({ ...ok, granted: 'statistics' }); // WordPress's validator alone would take it as a list
    expect([listAsText.status, ((await listAsText.json()) as { code: string }).code]).toEqual([
      400,
      'privacy_bridge_banner_consent_invalid',
    ]);
    const noCookie = await post(ok, 'other=1');
    expect([noCookie.status, ((await noCookie.json()) as { code: string }).code]).toEqual([
      400,
      'privacy_bridge_visitor_missing',
    ]);
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await post(ok)).status);
    expect(statuses.slice(0, 20).every((s) => s === 201)).toBe(true);
    expect(statuses[20]).toBe(429);
    await wpEval(
      `global $wpdb; $wpdb->query("DELETE FROM {$wpdb->options} WHERE option_name LIKE '%pb_rl_%'"); $wpdb->query("DELETE FROM {$wpdb->prefix}privacy_bridge_outbox"); return true;`,
    );
  });
});
