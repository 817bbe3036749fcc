import { toGmtString } from './woo-format.js';
import type { Product } from './woo-order-writes.js';
import { EMPTY_ADDRESS, type Address, type CustomerRecord, type LineItem, type OrderRecord } from './woo-records.js';
import type { WooStore } from './woo-store.js';

/** The shop's bookable services (ids, names, prices and SKUs as in the fixtures). */
export const DEFAULT_PRODUCTS: ReadonlyMap<number, Product> = new Map([
  [11, { id: 11, name: 'Seancë individuale me psikolog (50 min)', price: 4000, sku: 'PSI-IND-50' }],
  [12, { id: 12, name: 'Seancë çifti (80 min)', price: 6500, sku: 'PSI-CIF-80' }],
  [13, { id: 13, name: 'Konsultë online (30 min)', price: 2500, sku: 'PSI-ONL-30' }],
  [14, { id: 14, name: 'Paketë 4 seanca individuale', price: 14500, sku: 'PSI-PAK-4' }],
]);

const FIRST = [
  'Arta',
  'Besnik',
  'Elona',
  'Dritan',
  'Mirela',
  'Klodiana',
  'Arben',
  'Gentiana',
  'Ilir',
  'Jonida',
  'Ledio',
  'Ornela',
  'Erion',
  'Sidorela',
  'Kastriot',
  'Brunilda',
];
const LAST = [
  'Hoxha',
  'Krasniqi',
  'Gjoka',
  'Berisha',
  'Cela',
  'Meta',
  'Leka',
  'Dervishi',
  'Shehu',
  'Basha',
  'Kola',
  'Duka',
  'Marku',
  'Prifti',
];
const CITIES: readonly [string, string, string][] = [
  ['Tiranë', 'AL-11', '1001'],
  ['Durrës', 'AL-02', '2001'],
  ['Shkodër', 'AL-10', '4001'],
  ['Elbasan', 'AL-03', '3001'],
];
const STREETS = [
  'Rruga Myslym Shyri',
  'Bulevardi Gjergj Fishta',
  'Rruga e Durrësit',
  'Rruga Egnatia',
  'Rruga Tregtare',
  'Rruga Sami Frashëri',
];
const DOMAINS = ['example.com', 'example.al', 'example.invalid'];
const PSYCHOLOGISTS = ['Dr. Elira Shehu', 'Dr. Gentian Basha', 'Dr. Anila Kola'];
const STATUSES = [
  'completed',
  'completed',
  'completed',
  'processing',
  'on-hold',
  'pending',
  'cancelled',
  'refunded',
  'failed',
];
const UA =
  'Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Mobile Safari/537.36';

/** Small deterministic PRNG (mulberry32) so seeds are reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const digits = (r: () => number, n: number) => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');

/** A synthetic person: Albanian-looking name, e-mail on example.com / example.al / .invalid only. */
export function syntheticPerson(r: () => number, n: number): Address & { email: string } {
  const [first, last] = [pick(r, FIRST), pick(r, LAST)];
  const [city, state, postcode] = pick(r, CITIES);
  return {
    ...EMPTY_ADDRESS,
    first_name: first,
    last_name: last,
    address_1: `${pick(r, STREETS)} ${1 + Math.floor(r() * 90)}`,
    city,
    state,
    postcode,
    country: 'AL',
    email: `${first}.${last}.${n}@${pick(r, DOMAINS)}`.toLowerCase(),
    phone: `+355 6${pick(r, ['7', '8', '9'])} ${digits(r, 3)} ${digits(r, 4)}`,
  };
}

export function addCustomer(store: WooStore, person: Address & { email: string }, created: string): CustomerRecord {
  const id = store.next('user');
  return store.putCustomer({
    id,
    email: person.email,
    first_name: person.first_name,
    last_name: person.last_name,
    role: 'customer',
    username: person.email.split('@')[0]!,
    billing: person,
    shipping: EMPTY_ADDRESS,
    is_paying_customer: true,
    meta_data: store.meta('userMeta', [{ key: 'preferred_language', value: 'sq' }]),
    created,
    modified: created,
  });
}

/** A paid booking order: one line item with the Albanian booking labels seen in the fixtures. */
export function addBookingOrder(
  store: WooStore,
  r: () => number,
  args: { customerId: number; billing: Address; created: number; status?: string },
): OrderRecord {
  const product = pick(r, [...DEFAULT_PRODUCTS.values()]);
  const id = store.next('post');
  const created = toGmtString(args.created);
  const modified = toGmtString(args.created + Math.floor(r() * 7 * 86_400_000));
  const status = args.status ?? pick(r, STATUSES);
  // A package books its sessions in one line item: the real shop lists the dates in one meta value,
  // "2026-11-04, 2026-11-11, 2026-11-18, 2026-11-25" (recorded order 25, test/fixtures).
  const dates = product.sku === 'PSI-PAK-4' ? [3, 10, 17, 24] : [3];
  const session = dates.map((d) => new Date(args.created + d * 86_400_000).toISOString().slice(0, 10)).join(', ');
  const bookingId = 5000 + id;
  const item: LineItem = store.lineItem({
    name: product.name,
    product_id: product.id,
    variation_id: 0,
    quantity: 1,
    tax_class: '',
    subtotal: String(product.price),
    subtotal_tax: '0',
    total: String(product.price),
    total_tax: '0',
    taxes: [],
    sku: product.sku,
    price: product.price,
    image: { id: '', src: '' },
    parent_name: null,
    meta_data: store.itemMeta([
      { key: 'Data e seancës', value: session },
      { key: 'Ora', value: `${10 + Math.floor(r() * 8)}:00` },
      { key: 'Psikologu', value: pick(r, PSYCHOLOGISTS) },
      { key: 'Preferenca', value: pick(r, ['në zyrë', 'online']) },
      { key: '_booking_id', value: String(bookingId) },
      { key: '_booking_status', value: 'confirmed' },
    ]),
  });
  const paid = ['completed', 'processing', 'refunded'].includes(status) ? created : null;
  return store.putOrder({
    id,
    parent_id: 0,
    status,
    currency: 'ALL',
    version: '9.9.5',
    prices_include_tax: false,
    discount_total: '0',
    discount_tax: '0',
    shipping_total: '0',
    shipping_tax: '0',
    cart_tax: '0',
    total: String(product.price),
    total_tax: '0',
    customer_id: args.customerId,
    order_key: `wc_order_${id.toString(36).padStart(13, 'x')}`,
    billing: args.billing,
    shipping: EMPTY_ADDRESS,
    payment_method: 'bacs',
    payment_method_title: 'Transfertë bankare',
    transaction_id: paid ? `BKT-${id}` : '',
    customer_ip_address: `203.0.113.${id % 250}`,
    customer_user_agent: UA,
    created_via: 'checkout',
    customer_note: '',
    cart_hash: '',
    meta_data: store.meta('orderMeta', [{ key: 'booking_reference', value: `MND-${id}` }]),
    line_items: [item],
    tax_lines: [],
    shipping_lines: [],
    fee_lines: [],
    coupon_lines: [],
    created,
    modified,
    completed: status === 'completed' ? modified : null,
    paid,
  });
}

export type SeedOptions = {
  customers?: number;
  orders?: number;
  guestShare?: number;
  seed?: number;
  start?: number;
  spanDays?: number;
};

/**
 * The demo store: synthetic customers, orders (some guests), notes, refunds and bookings.
 * Orders are compact records sharing their customer's address object, so 100,000 orders fit in
 * well under ~200 MB; JSON is only built when a page is requested.
 */
export function seedDemoStore(store: WooStore, o: SeedOptions = {}): void {
  const r = prng(o.seed ?? 2026);
  const start = o.start ?? Date.UTC(2026, 0, 1);
  const span = (o.spanDays ?? 300) * 86_400_000;
  const customers = Array.from({ length: o.customers ?? 20 }, (_, i) =>
    addCustomer(store, syntheticPerson(r, i + 1), toGmtString(start + (i * span) / 1000)),
  );
  const total = o.orders ?? 60;
  for (let i = 0; i < total; i++) {
    const guest = r() < (o.guestShare ?? 0.2) || customers.length === 0;
    const c = guest ? null : pick(r, customers);
    const billing = c ? c.billing : syntheticPerson(r, 100_000 + i);
    const order = addBookingOrder(store, r, {
      customerId: c?.id ?? 0,
      billing,
      created: start + Math.floor((i / total) * span),
    });
    if (i % 5 === 0)
      store.addNote(order.id, {
        author: 'WooCommerce',
        customer_note: false,
        note: 'Pagesa u konfirmua nga banka.',
        created: order.created,
      });
    if (i % 7 === 0)
      store.addNote(order.id, {
        author: 'WooCommerce',
        customer_note: true,
        note: 'Seanca juaj është konfirmuar.',
        created: order.modified,
      });
    if (order.status === 'refunded') {
      store.addRefund(
        {
          orderId: order.id,
          amount: order.total,
          reason: 'Klienti anuloi seancën.',
          refunded_by: 1,
          refunded_payment: false,
          meta_data: [],
          line_items: [],
        },
        { silent: true },
      );
    }
    if (i % 3 === 0) addBooking(store, order);
  }
}

/** A customer with many orders and notes (DSR export/erase stress case). */
export function seedHeavyCustomer(
  store: WooStore,
  o: { orders?: number; notes?: number; seed?: number } = {},
): CustomerRecord {
  const r = prng(o.seed ?? 7);
  const c = addCustomer(
    store,
    { ...syntheticPerson(r, 999_999), email: 'shume.porosi@example.invalid' },
    '2025-01-01T08:00:00',
  );
  const orders = Array.from({ length: o.orders ?? 1000 }, (_, i) =>
    addBookingOrder(store, r, { customerId: c.id, billing: c.billing, created: Date.UTC(2025, 0, 2) + i * 3_600_000 }),
  );
  for (let i = 0; i < (o.notes ?? 2000); i++) {
    const order = orders[i % orders.length]!;
    store.addNote(order.id, {
      author: 'WooCommerce',
      customer_note: i % 2 === 0,
      note: `Shënim ${i + 1} për seancën.`,
      created: order.created,
    });
  }
  return c;
}

export function addBooking(store: WooStore, order: OrderRecord) {
  const item = order.line_items[0]!;
  const start = Math.floor(
    Date.parse(`${String(item.meta_data[0]?.value ?? order.created.slice(0, 10))}T10:00:00Z`) / 1000,
  );
  return store.putBooking({
    id: store.next('booking') + 4999,
    all_day: false,
    cost: order.total,
    customer_id: order.customer_id,
    date_created: Math.floor(Date.parse(`${order.created}Z`) / 1000),
    date_modified: Math.floor(Date.parse(`${order.modified}Z`) / 1000),
    start,
    end: start + 3000,
    google_calendar_event_id: '0',
    order_id: order.id,
    order_item_id: item.id,
    parent_id: 0,
    person_counts: [],
    product_id: item.product_id,
    resource_id: 0,
    status: order.status === 'cancelled' ? 'cancelled' : order.status === 'completed' ? 'complete' : 'confirmed',
    local_timezone: 'Europe/Tirane',
  });
}
