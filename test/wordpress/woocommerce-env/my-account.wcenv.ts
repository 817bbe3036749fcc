import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { cli } from '../../support/processes.js';
import {
  browser,
  captureMailBodies,
  createCustomer,
  drainOutbox,
  logIn,
  mailsTo,
  openShop,
  POLICY_VERSION,
  refreshPolicy,
  setSiteLanguage,
  shoot,
  storeApiCheckout,
  type Shop,
} from './customer.js';
import { URL_, wpEval } from './store.js';

/**
 * The My Account "Privatësia / Privacy" tab on the real store, in Chromium, in Albanian and English: a
 * person who first bought as a guest and then made an account sees that guest order and its consent;
 * marketing withdrawn and given in one click (the suppression check answers at once); a marketing mail
 * carries RFC 8058 headers and its link, POSTed, withdraws marketing; export request → confirmation
 * e-mail → download; erasure preview → confirm → receipt; a correction; a material policy version asks
 * for acceptance again. Mail bodies are captured by a test-only must-use plugin, removed after.
 */
const RUN = Date.now().toString(36);
const EMAIL = `dorina.hasani.${RUN}@example.com`;
const PASSWORD = 'Fjalekalim-2026!';
let shop: Shop;
let ctx: BrowserContext;
let page: Page;
let siteLanguage = '';
let uncapture = () => undefined as void;
let userId = 0;
let guestOrder = 0;

const tab = () => page.goto(`${URL_}/my-account/privacy/`);
const mayReceive = () => wpEval<boolean>(`return PrivacyBridge\\Mail\\Mailing::instance()->may_receive('${EMAIL}');`);
const marketingCell = () =>
  page.locator('.privacy-bridge-consents tr[data-purpose="marketing"] .privacy-bridge-decision').innerText();

async function waitFor<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, tries = 120): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await get();
    if (ok(v)) return v;
    await drainOutbox();
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}`);
}

type Item = { id: string; kind: string; state: string; downloadUrl?: string; receiptUrl?: string };
const serviceRequests = () =>
  wpEval<{ items: Item[] } | null>(
    `$r = (new PrivacyBridge\\Account\\AccountReader(new PrivacyBridge\\Service\\ServiceClient()))->requests('${EMAIL}'); return $r;`,
  );

/** Presses a tab button and waits for the page it redirects to. */
async function press(selector: string) {
  await Promise.all([page.waitForURL(/pb_done=/, { timeout: 60_000 }), page.click(selector)]);
}

/** Opens the confirmation link of the newest WordPress privacy-request mail to the person. */
async function confirmByMail(before: number) {
  const mail = await waitFor(
    'the confirmation e-mail',
    async () => mailsTo(EMAIL).slice(before),
    (m) => m.some((x) => /confirmaction/.test(x.message)),
  );
  const link = /https?:\/\/\S*action=confirmaction\S*/.exec(
    mail.find((x) => /confirmaction/.test(x.message))!.message,
  )![0];
  await page.goto(link);
}

beforeAll(async () => {
  uncapture = captureMailBodies();
  shop = await openShop('my-account');
  await refreshPolicy();
  siteLanguage = await setSiteLanguage('sq');
  // First a guest order with marketing on, then an account with the same e-mail.
  const res = await storeApiCheckout(EMAIL, { 'privacy-bridge/accept-policy': true, 'privacy-bridge/marketing': true });
  expect(res.status).toBe(200);
  guestOrder = Number(res.body.order_id);
  await wpEval(
    `$o = wc_get_order(${guestOrder}); $o->set_status('completed'); $o->set_date_paid(time()); $o->save(); return true;`,
  );
  await drainOutbox();
  userId = await createCustomer(EMAIL, 'Dorina', 'Hasani', PASSWORD);
  ctx = await browser();
  page = await ctx.newPage();
  await logIn(page, EMAIL, PASSWORD);
}, 180_000);

afterAll(async () => {
  await setSiteLanguage(siteLanguage);
  await wpEval(`delete_option('privacy_bridge_policy'); return true;`);
  await Promise.race([ctx?.close(), new Promise((r) => setTimeout(r, 10_000))]);
  await shop?.stop();
  uncapture();
});

describe('the privacy tab in My Account', () => {
  it('sq: the tab and its menu item; the guest order and its consent (policy version, order, receipt) are there', async () => {
    await tab();
    expect(await page.locator('.woocommerce-MyAccount-navigation').innerText()).toContain('Privatësia');
    expect(await page.locator(`.privacy-bridge-orders tr[data-order="${guestOrder}"]`).innerText()).toContain(
      'si vizitor',
    );
    expect(await page.locator(`.privacy-bridge-orders tr[data-order="${guestOrder}"]`).innerText()).toMatch(/4\.000/);
    expect(await marketingCell()).toBe('Po');
    const history = await page.locator('.privacy-bridge-history li').first().innerText();
    expect(history).toContain(`politika ${POLICY_VERSION}`);
    expect(history).toContain(`porosia nr. ${guestOrder}`);
    expect(history).toMatch(
      /\d{1,2} (janar|shkurt|mars|prill|maj|qershor|korrik|gusht|shtator|tetor|nëntor|dhjetor) \d{4}, \d{2}:\d{2}/,
    );
    const receipt = await page.locator('.privacy-bridge-history a.privacy-bridge-receipt').first().getAttribute('href');
    expect((await fetch(`${receipt}&format=json`)).status).toBe(200);
    await shoot(page, 'my-account-privacy-sq');
  });

  it('sq: marketing withdrawn in one click — the suppression check says no at once', async () => {
    expect(await mayReceive()).toBe(true);
    await press('.privacy-bridge-marketing-deny button');
    expect(await page.locator('.privacy-bridge-notice').innerText()).toContain('nuk do t’ju dërgojmë më lajme');
    expect(await mayReceive()).toBe(false);
    expect(await marketingCell()).toBe('Jo');
  });

  it('en: marketing given in one click — the suppression check says yes at once', async () => {
    await setSiteLanguage('');
    try {
      await tab();
      expect(await page.locator('.woocommerce-MyAccount-navigation').innerText()).toContain('Privacy');
      await press('.privacy-bridge-marketing-grant button');
      expect(await page.locator('.privacy-bridge-notice').innerText()).toContain('we will send you news and offers');
      expect(await mayReceive()).toBe(true);
      expect(await marketingCell()).toBe('Yes');
      await shoot(page, 'my-account-privacy-en');
    } finally {
      await setSiteLanguage('sq');
    }
  });

  it('a marketing mail carries both RFC 8058 headers; a POST to its link withdraws marketing; the next one is not sent', async () => {
    const before = mailsTo(EMAIL).length;
    expect(
      await wpEval<boolean>(
        `return privacy_bridge_send_marketing_mail('${EMAIL}', 'Oferta e dhjetorit', 'Seanca me 20% ulje.');`,
      ),
    ).toBe(true);
    const mail = mailsTo(EMAIL)
      .slice(before)
      .find((m) => m.subject === 'Oferta e dhjetorit')!;
    const unsub = mail.headers.find((h) => h.startsWith('List-Unsubscribe:'))!;
    expect(mail.headers).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(mail.headers.some((h) => /x-privacy-bridge/i.test(h))).toBe(false);
    const link = /<([^>]+)>/.exec(unsub)![1]!;
    expect(link.startsWith(URL_)).toBe(true);
    await page.goto(link);
    expect(await page.locator('.privacy-bridge-unsubscribe-text').innerText()).toBe(
      'Doni të mos merrni më lajme dhe oferta nga ne me email?',
    );
    expect(await page.locator('header.wp-block-template-part .wp-block-site-title').count()).toBeGreaterThan(0); // the theme's own header
    await shoot(page, 'unsubscribe-page-sq');
    expect(await mayReceive()).toBe(true); // a GET changes nothing
    const posted = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(posted.status).toBe(200);
    expect(await mayReceive()).toBe(false);
    const after = mailsTo(EMAIL).length;
    // The plugin answers pre_wp_mail with false and empties the recipients; this store's own mail catcher
    // (a later pre_wp_mail) reports every call as sent, so what counts is that nothing reached the address.
    await wpEval<boolean>(
      `return privacy_bridge_send_marketing_mail('${EMAIL}', 'Oferta e dytë', 'Nuk duhet të dërgohet.');`,
    );
    expect(
      mailsTo(EMAIL)
        .slice(after)
        .filter((m) => m.subject === 'Oferta e dytë'),
    ).toEqual([]);
  });

  it('a correction becomes a rectification request', async () => {
    await tab();
    await page.fill('#pb_city', 'Durrës');
    await press('.privacy-bridge-correct button');
    expect(await page.locator('.privacy-bridge-notice').innerText()).toContain('Korrigjimi juaj u dërgua');
    const items = await waitFor(
      'the rectification',
      serviceRequests,
      (r) => !!r?.items.some((i) => i.kind === 'rectification'),
    );
    expect(items!.items.find((i) => i.kind === 'rectification')).toBeTruthy();
  });

  it('download my data: request → confirmation e-mail → the export, downloadable from the tab', async () => {
    await tab();
    const before = mailsTo(EMAIL).length;
    await press('.privacy-bridge-export button');
    expect(await page.locator('.privacy-bridge-notice').innerText()).toContain('Ju dërguam një email');
    await confirmByMail(before);
    const done = await waitFor(
      'the export',
      serviceRequests,
      (r) => !!r?.items.some((i) => i.kind === 'access' && i.downloadUrl),
    );
    await tab();
    const href = await page.locator('a.privacy-bridge-download').first().getAttribute('href');
    expect(href).toBe(done!.items.find((i) => i.kind === 'access')!.downloadUrl);
    const zip = await fetch(href!);
    expect(zip.status).toBe(200);
    expect(
      Buffer.from(await zip.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
    await shoot(page, 'my-account-requests-sq');
  });

  it('a material policy version asks for acceptance again, recorded against it', async () => {
    const text = path.join(shop.dataDir, 'policy-2.txt');
    fs.writeFileSync(text, 'Politika e privatësisë, versioni 2 (tekst sintetik).\n');
    const today = new Date().toISOString().slice(0, 10);
    const published = await cli(
      ['policy', 'publish', '--file', text, '--version', 'icbt-pp-2', '--effective', today, '--material'],
      { ...process.env, ...shop.env },
    );
    expect(published.code).toBe(0);
    expect((await refreshPolicy()).version).toBe('icbt-pp-2');
    await tab();
    expect(await page.locator('.privacy-bridge-reconsent-notice').innerText()).toContain('icbt-pp-2');
    await shoot(page, 'my-account-reconsent-sq');
    await press('.privacy-bridge-reconsent-notice button');
    expect(await page.locator('.privacy-bridge-reconsent-notice').count()).toBe(0);
    expect(await page.locator('.privacy-bridge-history li').first().innerText()).toContain('politika icbt-pp-2');
    expect(
      await wpEval<string>(`return (string) get_user_meta(${userId}, '_privacy_bridge_policy_version', true);`),
    ).toBe('icbt-pp-2');
  });

  it('erase my data: a preview of what is kept and why, then confirm by e-mail, then the receipt', async () => {
    await tab();
    await Promise.all([page.waitForURL(/pb_preview=erase/), page.click('a.privacy-bridge-erase-preview')]);
    const kept = await page.locator('.privacy-bridge-kept li').allInnerTexts();
    expect(kept.some((k) => k.includes(`Porosia nr. ${guestOrder}`) && /deri më \d{1,2} \S+ \d{4}/.test(k))).toBe(true);
    expect(await page.locator('.privacy-bridge-kept li[data-hold="accounting"]').count()).toBeGreaterThan(0);
    await shoot(page, 'my-account-erasure-preview-sq');
    const before = mailsTo(EMAIL).length;
    await press('.privacy-bridge-preview .privacy-bridge-erase button');
    expect(await page.locator('.privacy-bridge-notice').innerText()).toContain('konfirmuar fshirjen');
    await confirmByMail(before);
    const done = await waitFor(
      'the erasure receipt',
      serviceRequests,
      (r) => !!r?.items.some((i) => i.kind === 'erasure' && i.receiptUrl),
      240,
    );
    const receipt = await fetch(done!.items.find((i) => i.kind === 'erasure')!.receiptUrl!);
    expect(receipt.status).toBe(200);
  }, 240_000);
});
