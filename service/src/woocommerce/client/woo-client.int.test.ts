import { AppError } from '../../platform/errors.js';
import { sensitive } from '../../platform/sensitive.js';
import { captureLogs } from '../../testing/log-capture.js';
import { seedDemoStore } from '../double/woo-double-data.js';
import { createWooDouble, DEFAULT_KEY, type WooDouble } from '../double/woo-double.js';
import { WooClient, type WooConnection } from './woo-client.js';

/** The client against the double over real HTTP (OAuth 1.0a on loopback), with a fake sleep that records each wait. */
describe('WooClient against the WooCommerce double', () => {
  let double: WooDouble;
  let server: { url: string; close(): Promise<void> };
  let waits: number[];
  const logs = captureLogs('warn');

  beforeEach(async () => {
    double = createWooDouble({ deliverWebhooks: false });
    seedDemoStore(double.store, { orders: 250, customers: 10 });
    server = await double.listen(0);
    waits = [];
  });
  afterEach(() => server.close());

  const client = (over: Partial<WooConnection> = {}) =>
    new WooClient(
      {
        url: server.url,
        consumerKey: sensitive(DEFAULT_KEY.consumerKey),
        consumerSecret: sensitive(DEFAULT_KEY.consumerSecret),
        ...over,
      },
      logs.log,
      async (ms) => void waits.push(ms),
    );
  const codeOf = (p: Promise<unknown>) =>
    p.then(
      () => 'resolved',
      (err: unknown) => (err instanceof AppError ? err.code : String(err)),
    );
  const ordersRequests = () => double.faults.requests.filter((r) => r.path === '/wp-json/wc/v3/orders');

  it('is let in by OAuth (checked as WooCommerce checks it) for searches by full name and spaced phone and for array parameters', async () => {
    const o = [...double.store.orders.values()][0]!;
    // HPOS searches the address index (the address's values joined by spaces): a full name matches across fields.
    const byName = await client().get<{ id: number }[]>('orders', {
      search: `${o.billing.first_name} ${o.billing.last_name}`,
      status: 'any',
      per_page: 100,
    });
    expect(byName.map((x) => x.id)).toContain(o.id);
    const byPhone = await client().get<{ id: number }[]>('orders', {
      search: o.billing.phone!,
      status: 'any',
      per_page: 100,
    });
    expect(byPhone.map((x) => x.id)).toContain(o.id);
    expect(await codeOf(client().get('orders', { search: '+355 69 000 0000' }))).toBe('resolved');
    // The npm client sends array parameters twice (status[0]=… and status%5B0%5D=…); PHP keeps the last, so WooCommerce signs one.
    const listed = await client().get<{ status: string }[]>('orders', {
      status: ['completed', 'processing'],
      per_page: 100,
    });
    expect(listed.length).toBeGreaterThan(0);
    expect(new Set(listed.map((x) => x.status))).toEqual(
      new Set(['completed', 'processing'].filter((st) => listed.some((x) => x.status === st))),
    );
  });

  it('honours Retry-After on a 429: waits at least the header before the next attempt', async () => {
    double.faults.rateLimit(7, 1);
    const orders = await client().get<unknown[]>('orders');
    expect(orders).toHaveLength(10);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(7_000);
    expect(ordersRequests()).toHaveLength(2);
  });

  it('retries a 5xx, then surfaces WOO_UNAVAILABLE after maxAttempts', async () => {
    double.faults.serverError(503, Infinity);
    expect(await codeOf(client({ maxAttempts: 3 }).get('orders'))).toBe('WOO_UNAVAILABLE');
    expect(ordersRequests()).toHaveLength(3);
    expect(waits).toHaveLength(2);
    double.faults.clear();
    double.faults.serverError(500, 1);
    await expect(client({ maxAttempts: 3 }).get('orders')).resolves.toHaveLength(10); // one failure, then served
  });

  it('maps a wrong secret to WOO_AUTH_FAILED, without retrying', async () => {
    expect(
      await codeOf(client({ consumerSecret: sensitive('cs_wrong000000000000000000000000000000000001') }).get('orders')),
    ).toBe('WOO_AUTH_FAILED');
    expect(waits).toEqual([]);
  });

  it('maps 404 to WOO_NOT_FOUND and 400 (per_page=1000) to WOO_PARAM_REJECTED', async () => {
    expect(await codeOf(client().get('orders/999999'))).toBe('WOO_NOT_FOUND');
    expect(await codeOf(client().get('orders', { per_page: 1000 }))).toBe('WOO_PARAM_REJECTED');
    expect(waits).toEqual([]);
  });

  it('refuses plain http to a host that is not loopback unless allowInsecureHttp', () => {
    const make = (allowInsecureHttp?: boolean) => () => client({ url: 'http://shop.example.al', allowInsecureHttp });
    expect(make()).toThrow(expect.objectContaining({ code: 'WOO_INSECURE_URL' }));
    expect(make(true)).not.toThrow();
    expect(() => client({ url: 'https://shop.example.al' })).not.toThrow();
  });

  it('pages by X-WP-TotalPages: 250 orders in 3 requests', async () => {
    const pages: number[] = [];
    for await (const items of client().pages<{ id: number }>('orders')) pages.push(items.length);
    expect(pages).toEqual([100, 100, 50]);
    expect(ordersRequests()).toHaveLength(3);
  });

  it('sends modified_after with dates_are_gmt=true, so the bound is read as UTC', async () => {
    const sorted = [...double.store.orders.values()].map((o) => o.modified).sort();
    const bound = sorted[200]!; // GMT, no offset, as WooCommerce prints *_gmt
    const expected = sorted.filter((m) => m > bound).length;
    const gmt = await client().get<{ date_modified_gmt: string }[]>('orders', {
      modified_after: bound,
      dates_are_gmt: true,
      per_page: 100,
    });
    expect(gmt).toHaveLength(expected);
    expect(gmt.every((o) => o.date_modified_gmt > bound)).toBe(true);
    // Without the flag the same text is site time (Europe/Tirane, UTC+1/+2): an earlier instant, more orders.
    const local = await client().get<unknown[]>('orders', { modified_after: bound, per_page: 100 });
    expect(local.length).toBeGreaterThan(expected);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    double.faults.latency(30);
    const woo = client({ concurrency: 3 });
    await Promise.all(Array.from({ length: 12 }, (_, i) => woo.get(`orders/${[...double.store.orders.keys()][i]}`)));
    expect(double.faults.requests).toHaveLength(12);
    expect(double.faults.peakInFlight).toBe(3);
  });
});
