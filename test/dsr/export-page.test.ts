import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM } from '../support/chromium.js';
import { loadPolicy } from '../../shared/src/policy/index.js';
import type { Collected } from '../../service/src/dsr/erasure-plan.js';
import { buildExportJson, renderExportHtml } from '../../service/src/dsr/export-render.js';

/**
 * The readable copy a person receives (index.html of the export), opened in headless Chromium at a
 * phone's width: labels in the person's language, dates as people write them, statuses and
 * WooCommerce's own notes translated, internal meta said in a sentence, nothing wider than the
 * screen. Screenshots of both languages in test-artifacts/dsr-export/.
 */
const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts/dsr-export');
const FIXTURES = path.resolve(__dirname, '../fixtures/woocommerce');
const body = (name: string) =>
  (JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8')) as { response: { body: unknown } }).response.body;
const PHONE = { width: 390, height: 844 };

let browser: Browser;
let file: string;
beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const order = { ...(body('order-single-guest.json') as Record<string, unknown>) };
  order.meta_data = [...(order.meta_data as unknown[]), { id: 1, key: '_anonymized', value: 'yes' }];
  order.notes = body('order-notes.json');
  order.customer_note = '<script>window.pwned = 1</script>Seancë <b>në mëngjes</b>';
  const collected = { customer: body('customer-single.json'), orders: [order], bookings: [] } as unknown as Collected;
  const policy = loadPolicy();
  const html = renderExportHtml(
    buildExportJson({
      requestId: '7b0e4b8e-2f6e-4d1a-9c55-1f0a3c2d4e5f',
      generatedAt: '2026-10-28T12:40:00.000Z',
      collected,
      timeline: [],
      policy,
    }),
    policy,
  );
  file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pb-export-page-')), 'index.html');
  fs.writeFileSync(file, html);
  browser = await chromium.launch(CHROMIUM);
});
afterAll(async () => {
  await browser?.close();
});

describe("the readable export at a phone's width, in Chromium", () => {
  it.each([
    [
      'sq',
      [
        'Emri',
        'Telefoni',
        'Adresa e faturimit',
        'Në përpunim',
        'Statusi i porosisë ndryshoi nga «Në pritje të pagesës» në «Në përpunim».',
      ],
      /\b\d{1,2} (janar|shkurt|mars|prill|maj|qershor|korrik|gusht|shtator|tetor|nëntor|dhjetor) \d{4}, \d\d:\d\d\b/,
    ],
    [
      'en',
      [
        'First name',
        'Phone',
        'Billing address',
        'Processing',
        'Order status changed from Pending payment to Processing.',
      ],
      /\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}, \d\d:\d\d\b/,
    ],
  ])(
    '%s: labels, dates and statuses people read, internal meta explained, nothing wider than the screen',
    async (lang, expected, date) => {
      const page = await browser.newPage({ viewport: PHONE });
      await page.goto(`file://${file}`);
      const section = page.locator(`section[lang="${lang}"]`);
      const text = await section.innerText();
      for (const t of expected) expect(text).toContain(t);
      expect(text).toMatch(date);
      expect(text).toContain('28 ' + (lang === 'sq' ? 'tetor' : 'October') + ' 2026, 13:40'); // generated at, Europe/Tirane
      expect(text).toContain('export.json'); // the sentence about internal meta
      for (const raw of [
        'date_created_gmt',
        'billing.first_name',
        '_anonymized',
        'avatar_url',
        'customer_ip_address',
        '_links',
      ])
        expect(text).not.toContain(raw);
      expect(text).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/); // no ISO timestamps
      expect(text).not.toMatch(/\bprocessing\b/); // WooCommerce's status id
      // Nothing overflows the phone's width: the page does not scroll sideways.
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
      const shot = path.join(ARTIFACTS, `export-${lang}-phone.png`);
      await section.screenshot({ path: shot });
      expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
      await page.close();
    },
  );

  it('escapes what the shop holds: markup in a note is text, not HTML', async () => {
    const page = await browser.newPage({ viewport: PHONE });
    await page.goto(`file://${file}`);
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.evaluate<unknown>('window.pwned')).toBeUndefined();
    expect(await page.locator('section[lang="sq"]').innerText()).toContain('Seancë <b>në mëngjes</b>');
    await page.close();
  });
});
