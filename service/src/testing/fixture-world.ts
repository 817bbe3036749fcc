import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ApiKey } from '../woocommerce/double/woo-double-auth.js';
import type { CustomerRecord, LineItem, Meta, OrderRecord, RefundRecord } from '../woocommerce/double/woo-records.js';
import type { WooStore } from '../woocommerce/double/woo-store.js';

/**
 * Test support: the recorded WooCommerce shop (test/fixtures/woocommerce, captured from a real store)
 * loaded into a WooStore with the same ids, so recorded requests can be replayed against the double.
 */
// service/src/testing → the repo's test/fixtures.
export const FIXTURES_DIR = path.resolve(__dirname, '../../../test/fixtures');
export const WOO_DIR = path.join(FIXTURES_DIR, 'woocommerce');

export function assertFixturesPresent(): void {
  if (!existsSync(path.join(WOO_DIR, 'orders-list-page1.json'))) {
    throw new Error(`WooCommerce fixtures not found in ${WOO_DIR}: they are part of the repository (test/fixtures)`);
  }
}

export type RestFixture = {
  description: string;
  captured_at: string;
  request: {
    method: string;
    url: string;
    origin: string;
    path: string;
    auth: string;
    headers: Record<string, string>;
    body: unknown;
    query: Record<string, unknown>;
  };
  response: { status: number; headers: Record<string, string>; body: unknown };
};

export const loadFixture = <T = RestFixture>(name: string): T =>
  JSON.parse(readFileSync(path.join(WOO_DIR, name), 'utf8')) as T;

/** Keys as recorded: the read_write key (secret from auth-https-query-ok) and the read-only key. */
export function fixtureKeys(): ApiKey[] {
  const q = loadFixture('auth-https-query-ok.json').request.query as Record<string, string>;
  const ro = loadFixture('error-401-readonly-key-write.json').request.headers;
  const [ck, cs] = Buffer.from((ro.Authorization ?? ro.authorization)!.split(' ')[1]!, 'base64')
    .toString()
    .split(':');
  return [
    { consumerKey: q.consumer_key!, consumerSecret: q.consumer_secret!, permissions: 'read_write' },
    { consumerKey: ck!, consumerSecret: cs!, permissions: 'read' },
  ];
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const meta = (m: Json[]): Meta[] => m.map(({ id, key, value }) => ({ id, key, value }));
const item = (i: Json): LineItem => ({ ...(i as LineItem), meta_data: meta(i.meta_data) });

export function importOrder(o: Json): OrderRecord {
  const {
    date_created: _a,
    date_modified: _b,
    date_completed: _c,
    date_paid: _d,
    number: _e,
    refunds: _f,
    payment_url: _g,
    is_editable: _h,
    needs_payment: _i,
    needs_processing: _j,
    currency_symbol: _k,
    _links: _l,
    date_created_gmt,
    date_modified_gmt,
    date_completed_gmt,
    date_paid_gmt,
    meta_data,
    line_items,
    ...rest
  } = o;
  return {
    ...(rest as OrderRecord),
    meta_data: meta(meta_data),
    line_items: line_items.map(item),
    created: date_created_gmt,
    modified: date_modified_gmt,
    completed: date_completed_gmt,
    paid: date_paid_gmt,
  };
}

export function importCustomer(c: Json): CustomerRecord {
  const {
    date_created: _a,
    date_modified: _b,
    avatar_url: _c,
    _links: _d,
    date_created_gmt,
    date_modified_gmt,
    meta_data,
    ...rest
  } = c;
  return {
    ...(rest as CustomerRecord),
    meta_data: meta(meta_data),
    created: date_created_gmt,
    modified: date_modified_gmt,
  };
}

export function importRefund(r: Json): RefundRecord {
  return {
    id: r.id,
    orderId: r.parent_id,
    created: r.date_created_gmt,
    amount: r.amount,
    reason: r.reason,
    refunded_by: r.refunded_by,
    refunded_payment: r.refunded_payment,
    meta_data: meta(r.meta_data),
    line_items: r.line_items.map(item),
  };
}

/** The shop as it was before capture-mutations ran (15 orders, 6 users, 2 refunds, notes of order 16). */
export function seedFixtureWorld(store: WooStore): void {
  const orders = ['orders-list-page1.json', 'orders-list-page2.json', 'orders-list-page3-last.json'].flatMap(
    (f) => loadFixture(f).response.body as Json[],
  );
  for (const o of orders) store.putOrder(importOrder(o));
  for (const c of loadFixture('customers-list-role-all.json').response.body as Json[])
    store.putCustomer(importCustomer(c));
  for (const r of loadFixture('refunds-list.json').response.body as Json[])
    store.addRefund(importRefund(r), { silent: true });
  for (const n of loadFixture('order-notes.json').response.body as Json[]) {
    store.addNote(16, {
      id: n.id,
      author: n.author,
      created: n.date_created_gmt,
      note: n.note,
      customer_note: n.customer_note,
    });
  }
  // Sequences as the recorded shop had them (next ids seen in the create fixtures).
  store.bump('orderMeta', 68);
  store.bump('item', 17);
  store.bump('itemMeta', 254);
  store.bump('userMeta', 187);
  store.bump('comment', 35);
}
