import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadPolicy } from '../../../shared/src/policy/index.js';
import { keyedFingerprint, subjectRef, type TimelineEntry } from '../ledger/index.js';
import { heldParts, type FactPart, type PlanContext } from '../sync/order-plan.js';
import type { WooOrder } from '../woocommerce/index.js';
import { assertFixturesPresent, WOO_DIR } from '../testing/fixture-world.js';
import { buildExportJson, renderExportHtml } from './export-render.js';

const policy = loadPolicy();
const pepper = randomBytes(32);
const ctx: PlanContext = {
  policy,
  timeZone: 'Europe/Tirane',
  sessionMinutes: 60,
  fingerprint: (v) => keyedFingerprint(v, pepper),
  subjectRef: (e) => subjectRef(e, pepper),
};
const AT = '2026-11-12T19:47:01.000Z';
const AT_EN = '12 November 2026, 20:47';
const AT_SQ = '12 nëntor 2026, 20:47';

/** A fact as the subject's timeline returns it, decrypted. */
const entry = (p: FactPart, seq: number): TimelineEntry => ({
  seq,
  key: p.key,
  kind: p.kind,
  subject: null,
  purpose: p.purpose ?? null,
  legalBasis: p.legalBasis ?? null,
  categories: p.categories ?? [],
  source: p.source ?? null,
  detail: JSON.parse(p.detail),
  at: AT,
  dataKeyId: null,
  prevHash: '0'.repeat(64),
  hash: '0'.repeat(64),
  personal: p.values ? JSON.parse(p.values) : null,
});

/** The rows of the "what we collect" table of one language's section, as text cells. */
function collectedRows(html: string, lang: 'sq' | 'en'): string[][] {
  const section = html.split(`<section lang="${lang}">`)[1]!.split('</section>')[0]!;
  const table = section
    .split(lang === 'sq' ? '<table><tr><th>Qëllimi</th>' : '<table><tr><th>Purpose</th>')[1]!
    .split('</table>')[0]!;
  return [...table.matchAll(/<tr>(.*?)<\/tr>/g)].map((r) =>
    [...r[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => c[1]!),
  );
}

describe('the export: what is held, for which purpose, and how long each category is kept', () => {
  let parts: FactPart[];
  beforeAll(() => {
    assertFixturesPresent();
    const order = (
      JSON.parse(fs.readFileSync(path.join(WOO_DIR, 'order-single-guest.json'), 'utf8')) as {
        response: { body: WooOrder };
      }
    ).response.body;
    parts = heldParts(ctx, 'order', order.id, order);
  });

  const exported = (timeline: TimelineEntry[]) =>
    buildExportJson({
      requestId: 'r-1',
      generatedAt: AT,
      collected: { customer: null, orders: [], bookings: [] },
      timeline,
      policy,
    });

  it("passes each purpose's entry to export.json with its categories, per-category retention and values", () => {
    const x = exported(parts.map(entry));
    const booking = x.ledger.collected.find((e) => e.purpose === 'booking')!;
    expect(booking).toMatchObject({
      kind: 'data.held',
      legalBasis: 'contract',
      categories: ['appointment', 'contact', 'identity'],
      source: 'order-28',
      detail: {
        resource: 'order',
        id: 28,
        retention: { appointment: 'session', contact: 'order-record', identity: 'order-record' },
        special: ['appointment'],
      },
      values: { 'billing.email': 'klodiana.meta@example.com' },
    });
    expect(x.ledger.collected.map((e) => e.purpose)).toEqual([
      'account',
      'booking',
      'payment',
      'privacy-compliance',
      'security',
    ]);
  });

  it('shows a row per category, in Albanian and in English, with the rule it is kept by and whether it is special', () => {
    const x = exported(parts.map(entry));
    const html = renderExportHtml(x, policy);
    const en = collectedRows(html, 'en');
    expect(en).toHaveLength(parts.reduce((n, p) => n + p.categories!.length, 0)); // 1 + 3 + 4 + 1 + 1
    expect(en).toContainEqual([
      'Booking processing',
      'Performance of a contract',
      'Appointment information (special category of data)',
      'Session: Kept until one month after the session ends.',
      'Order #28',
      AT_EN,
    ]);
    expect(en).toContainEqual([
      'Booking processing',
      'Performance of a contract',
      'Contact data',
      expect.stringMatching(/^Order record: Kept one year after the order is closed/),
      'Order #28',
      AT_EN,
    ]);
    expect(en).toContainEqual([
      'Payment processing',
      'Performance of a contract',
      'Service purchased (special category of data)',
      expect.stringMatching(/^Order record: /),
      'Order #28',
      AT_EN,
    ]);
    expect(en).toContainEqual([
      'Security',
      'Legitimate interests',
      'Usage data',
      'Usage data: Kept six months from collection.',
      'Order #28',
      AT_EN,
    ]);
    const sq = collectedRows(html, 'sq');
    expect(sq).toContainEqual([
      'Përpunimi i rezervimeve',
      'Kontrata',
      'Informacion mbi takimin (kategori e veçantë të dhënash)',
      'Seanca: Ruhen deri një muaj pas përfundimit të seancës.',
      'Porosia #28',
      AT_SQ,
    ]);
    expect(sq).toContainEqual([
      'Përpunimi i rezervimeve',
      'Kontrata',
      'Të dhëna identifikuese',
      expect.stringMatching(/^Porosia: Ruhen një vit pas mbylljes së porosisë/),
      'Porosia #28',
      AT_SQ,
    ]);
    expect(sq.map((r) => r.slice(2, 4))).toEqual(en.map(() => [expect.any(String), expect.stringMatching(/^\S.*: /)])); // every category says how long
  });

  it('says how long an appointment is kept from the policy, and reads entries recorded one category each', () => {
    const appointment = entry(
      {
        key: 'booking-5012/x',
        kind: 'appointment.held',
        purpose: 'booking',
        legalBasis: 'contract',
        categories: ['appointment'],
        source: 'booking-5012',
        detail: JSON.stringify({ source: 'wc-bookings', orderId: 28 }),
        values: '{}',
      },
      1,
    );
    const older = entry(
      {
        key: 'order-28/usage/security/x',
        kind: 'data.held',
        purpose: 'security',
        legalBasis: 'legitimate-interests',
        categories: ['usage'],
        source: 'order-28',
        detail: JSON.stringify({
          resource: 'order',
          id: 28,
          fields: ['customer_ip_address'],
          retention: 'usage',
          special: false,
        }),
        values: '{}',
      },
      2,
    );
    const registered = entry(
      {
        key: 'customer-4/registered',
        kind: 'customer.registered',
        source: 'customer-4',
        detail: JSON.stringify({ customerId: 4 }),
      },
      3,
    );
    const en = collectedRows(renderExportHtml(exported([appointment, older, registered]), policy), 'en');
    expect(en).toEqual([
      [
        'Booking processing',
        'Performance of a contract',
        'Appointment information (special category of data)',
        'Session: Kept until one month after the session ends.',
        'Booking #5012',
        AT_EN,
      ],
      [
        'Security',
        'Legitimate interests',
        'Usage data',
        'Usage data: Kept six months from collection.',
        'Order #28',
        AT_EN,
      ],
      ['', '', '', '', 'Account #4', AT_EN],
    ]);
  });
});
