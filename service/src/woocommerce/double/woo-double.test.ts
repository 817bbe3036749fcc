import WooCommerceRestApi from '@woocommerce/woocommerce-rest-api';
import request from 'supertest';
import { seedDemoStore, seedHeavyCustomer } from './woo-double-data.js';
import { createWooDouble, DEFAULT_KEY } from './woo-double.js';

const basic = (key = DEFAULT_KEY.consumerKey, secret = DEFAULT_KEY.consumerSecret) =>
  `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;

describe('OAuth 1.0a interop with @woocommerce/woocommerce-rest-api over plain http', () => {
  it('accepts what the npm client signs, and rejects a wrong secret and a replayed nonce', async () => {
    const d = createWooDouble();
    seedDemoStore(d.store, { customers: 5, orders: 30 });
    const server = await d.listen();
    try {
      const api = new WooCommerceRestApi({
        url: server.url,
        consumerKey: DEFAULT_KEY.consumerKey,
        consumerSecret: DEFAULT_KEY.consumerSecret,
        version: 'wc/v3',
        timeout: 5000,
      });
      const res = await api.get('orders', {
        per_page: 7,
        modified_after: '2026-01-01T00:00:00',
        dates_are_gmt: true,
        orderby: 'modified',
        order: 'asc',
      });
      expect(res.status).toBe(200);
      expect(res.data).toHaveLength(7);
      expect(res.headers['x-wp-total']).toBe('30');
      expect(res.headers.link).toContain(`<${server.url}/wp-json/wc/v3/orders?`);
      const created = await api.post('orders/' + res.data[0].id + '/notes', { note: 'Shënim nga testi.' });
      expect(created.status).toBe(201);

      const wrong = new WooCommerceRestApi({
        url: server.url,
        consumerKey: DEFAULT_KEY.consumerKey,
        consumerSecret: 'cs_wrong',
        version: 'wc/v3',
      });
      await expect(wrong.get('orders')).rejects.toMatchObject({
        response: {
          status: 401,
          data: {
            code: 'woocommerce_rest_authentication_error',
            message: 'Invalid signature - provided signature does not match.',
          },
        },
      });
      // Following the Link header verbatim re-sends page 1's nonce and signature → 401, as recorded.
      const next = /<([^>]+)>; rel="next"/.exec(res.headers.link)![1]!;
      const followed = await request(d.app).get(next.replace(server.url, ''));
      expect(followed.status).toBe(401);
    } finally {
      await server.close();
    }
  });

  it('ignores Basic and query credentials on plain http (401 cannot_view) and accepts them in https mode', async () => {
    const http = createWooDouble();
    const anon = {
      code: 'woocommerce_rest_cannot_view',
      message: 'Sorry, you cannot list resources.',
      data: { status: 401 },
    };
    expect((await request(http.app).get('/wp-json/wc/v3/orders').set('Authorization', basic())).body).toEqual(anon);
    const q = `consumer_key=${DEFAULT_KEY.consumerKey}&consumer_secret=${DEFAULT_KEY.consumerSecret}`;
    expect((await request(http.app).get(`/wp-json/wc/v3/orders?${q}`)).status).toBe(401);

    const https = createWooDouble({ https: true });
    expect((await request(https.app).get('/wp-json/wc/v3/orders').set('Authorization', basic())).status).toBe(200);
    expect((await request(https.app).get(`/wp-json/wc/v3/orders?${q}`)).status).toBe(200);
    const wrongSecret = await request(https.app)
      .get('/wp-json/wc/v3/orders')
      .set('Authorization', basic(DEFAULT_KEY.consumerKey, 'cs_x'));
    expect(wrongSecret.body.message).toBe('Consumer secret is invalid.');
    const unknownKey = await request(https.app)
      .get('/wp-json/wc/v3/orders')
      .set('Authorization', basic('ck_unknown', 'cs_x'));
    expect(unknownKey.body).toEqual(anon);
  });
});

describe('store behaviour through REST', () => {
  const d = createWooDouble({ https: true });
  seedDemoStore(d.store, { customers: 10, orders: 40 });
  const as = (r: request.Test) => r.set('Authorization', basic());

  it('serves bookings with Unix timestamps and 404s unknown ids', async () => {
    const list = await as(request(d.app).get('/wp-json/wc-bookings/v1/bookings?per_page=3'));
    expect(list.status).toBe(200);
    expect(Number(list.headers['x-wp-total'])).toBeGreaterThan(3);
    expect(typeof list.body[0].start).toBe('number');
    expect((await as(request(d.app).get(`/wp-json/wc-bookings/v1/bookings/${list.body[0].id}`))).body.order_id).toBe(
      list.body[0].order_id,
    );
    expect((await as(request(d.app).get('/wp-json/wc-bookings/v1/bookings/1'))).status).toBe(404);
  });

  it('batch: inline errors, permanent delete, 413 above 100 items', async () => {
    const [first] = [...d.store.orders.keys()];
    const res = await as(
      request(d.app)
        .post('/wp-json/wc/v3/orders/batch')
        .send({ update: [{ id: 999999, status: 'completed' }], delete: [first] }),
    );
    expect(res.status).toBe(200);
    expect(res.body.update[0]).toEqual({
      id: 999999,
      error: { code: 'woocommerce_rest_shop_order_invalid_id', message: 'Invalid ID.', data: { status: 404 } },
    });
    expect(d.store.orders.has(first!)).toBe(false);
    const big = await as(
      request(d.app)
        .post('/wp-json/wc/v3/orders/batch')
        .send({ delete: Array.from({ length: 101 }, (_, i) => i) }),
    );
    expect(big.status).toBe(413);
  });

  it('answers unknown routes with rest_no_route', async () => {
    const res = await as(request(d.app).get('/wp-json/wc/v3/nothing'));
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('rest_no_route');
  });
});

describe('fault injection', () => {
  it('injects 429 with Retry-After, then 500, then lets requests through', async () => {
    const d = createWooDouble({ https: true });
    d.faults.rateLimit(2).serverError(503);
    const get = () => request(d.app).get('/wp-json/wc/v3/orders').set('Authorization', basic());
    const first = await get();
    expect([first.status, first.headers['retry-after']]).toEqual([429, '2']);
    expect((await get()).status).toBe(503);
    expect((await get()).status).toBe(200);
    expect(d.faults.requests).toHaveLength(3);
  });
});

describe('large stores', () => {
  // How fast it seeds and pages is the sync benchmark's to measure (npm run bench -- sync), not a test's.
  it('holds 100,000 orders compactly and pages through them', async () => {
    const before = process.memoryUsage().heapUsed;
    const d = createWooDouble({ https: true });
    seedDemoStore(d.store, { customers: 5000, orders: 100_000 });
    expect(d.store.orders.size).toBe(100_000);
    expect((process.memoryUsage().heapUsed - before) / 1e6).toBeLessThan(600);
    for (const page of [1, 2, 500, 1000]) {
      const res = await request(d.app)
        .get(`/wp-json/wc/v3/orders?per_page=100&page=${page}&orderby=id&order=asc&status=any`)
        .set('Authorization', basic());
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(100);
    }
  });

  it('has a customer with 1,000 orders and 2,000 notes, found by customer id and by e-mail search', async () => {
    const d = createWooDouble({ https: true });
    const c = seedHeavyCustomer(d.store);
    const byCustomer = await request(d.app)
      .get(`/wp-json/wc/v3/orders?customer=${c.id}&per_page=100`)
      .set('Authorization', basic());
    expect(byCustomer.headers['x-wp-total']).toBe('1000');
    expect(byCustomer.headers['x-wp-totalpages']).toBe('10');
    const bySearch = await request(d.app)
      .get(`/wp-json/wc/v3/orders?search=${encodeURIComponent(c.email)}`)
      .set('Authorization', basic());
    expect(bySearch.headers['x-wp-total']).toBe('1000');
    expect(d.store.notes.size).toBe(2000);
  });

  it("searches orders and customers ignoring case and accents, as MariaDB's unicode collation does", async () => {
    const d = createWooDouble({ https: true });
    seedDemoStore(d.store, { customers: 3, orders: 6 });
    const order = [...d.store.orders.values()][0]!;
    Object.assign(order.billing, { first_name: 'Arbër', last_name: 'Çela' });
    const customer = [...d.store.customers.values()][0]!;
    Object.assign(customer, { first_name: 'Ëndrit', last_name: 'Gjoçi' });
    const ids = async (path: string) =>
      ((await request(d.app).get(path).set('Authorization', basic())).body as { id: number }[]).map((r) => r.id);
    for (const term of ['arber cela', 'ARBËR ÇELA', 'Arbër Çela'])
      expect(await ids(`/wp-json/wc/v3/orders?status=any&search=${encodeURIComponent(term)}`)).toEqual([order.id]);
    for (const term of ['endrit gjoci', 'ËNDRIT'])
      expect(await ids(`/wp-json/wc/v3/customers?role=all&search=${encodeURIComponent(term)}`)).toEqual([customer.id]);
    expect(await ids(`/wp-json/wc/v3/orders?status=any&search=${encodeURIComponent('arbër çelax')}`)).toEqual([]);
  });
});
