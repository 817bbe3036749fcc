import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { assertFixturesPresent, fixtureKeys, seedFixtureWorld, WOO_DIR } from '../../testing/fixture-world.js';
import { signWebhookBody } from './webhook-sender.js';
import { setOrderStatus } from './woo-order-writes.js';
import { createWooDouble } from './woo-double.js';

assertFixturesPresent();
const HOOKS = path.join(WOO_DIR, 'webhooks');
type HookFixture = {
  delivery: { headers: Record<string, string>; body_raw_file: string; body_json: unknown };
  signature: { secret?: string; header: string | null; recomputed?: string };
};
const hookFixtures = readdirSync(HOOKS)
  .filter((n) => n.endsWith('.json') && !n.startsWith('_'))
  .map((n) => ({ name: n, f: JSON.parse(readFileSync(path.join(HOOKS, n), 'utf8')) as HookFixture }))
  .filter(({ f }) => f.delivery?.body_raw_file);
const SECRET = 'heldout-webhook-secret-Tirane-2026';

describe('webhook signature formula against the recorded deliveries', () => {
  it('has signed fixtures to check', () =>
    expect(hookFixtures.filter(({ f }) => f.signature.header).length).toBeGreaterThanOrEqual(14));

  for (const { name, f } of hookFixtures.filter(({ f }) => f.signature.header)) {
    it(`${name}: base64(HMAC-SHA256(raw .body bytes, secret)) equals X-WC-Webhook-Signature`, () => {
      const raw = readFileSync(path.join(HOOKS, f.delivery.body_raw_file));
      expect(f.signature.secret).toBe(SECRET);
      expect(signWebhookBody(raw, SECRET)).toBe(f.delivery.headers['X-WC-Webhook-Signature']);
      expect(signWebhookBody(raw, 'another-secret')).not.toBe(f.delivery.headers['X-WC-Webhook-Signature']);
    });
  }
});

type Received = { headers: http.IncomingHttpHeaders; rawHeaders: string[]; body: Buffer; url: string };
async function receiver(answer: (r: Received) => number = () => 200) {
  const got: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { headers: req.headers, rawHeaders: req.rawHeaders, body: Buffer.concat(chunks), url: req.url ?? '' };
      got.push(r);
      res.statusCode = answer(r);
      res.end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { got, url, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}
const names = (raw: string[]) =>
  raw
    .filter((_, i) => i % 2 === 0)
    .map((h) => h.toLowerCase())
    .sort();
const recordedNames = (headers: Record<string, string>) =>
  Object.keys(headers)
    .map((h) => h.toLowerCase())
    .sort();
const fixtureFor = (n: string) => hookFixtures.find((h) => h.name === n)!.f;

describe('deliveries from the double look like the recorded ones', () => {
  it('sends every topic with the recorded header set, a verifiable signature and the recorded body shape', async () => {
    const rx = await receiver();
    const d = createWooDouble({
      keys: fixtureKeys(),
      homeUrl: 'http://127.0.0.1:8080',
      now: () => Date.parse('2026-11-24T16:09:08Z'),
    });
    seedFixtureWorld(d.store);
    d.webhooks.autoFlush = false;
    const topics = [
      'order.created',
      'order.updated',
      'order.deleted',
      'order.restored',
      'customer.created',
      'customer.updated',
      'customer.deleted',
    ];
    for (const topic of topics)
      await d.webhooks.register({ topic, deliveryUrl: `${rx.url}/hooks/${topic}`, secret: SECRET });

    setOrderStatus(d.store, 30, 'processing');
    d.store.trashOrder(31);
    await d.webhooks.flush();
    d.store.untrashOrder(31);
    d.store.deleteCustomer(5);
    d.store.updateCustomer(3, { first_name: 'Besnik' });
    await d.webhooks.flush();

    const pings = rx.got.filter((r) => !r.headers['x-wc-webhook-topic']);
    expect(pings).toHaveLength(topics.length);
    expect(names(pings[0]!.rawHeaders)).toEqual(
      recordedNames(fixtureFor('ping-on-webhook-creation.json').delivery.headers),
    );
    expect(pings.map((p) => p.body.toString())).toEqual(topics.map((_, i) => `webhook_id=${i + 1}`));

    const byTopic = (t: string) => rx.got.filter((r) => r.headers['x-wc-webhook-topic'] === t);
    const cases: [string, string][] = [
      ['order.updated', 'order.updated.json'],
      ['order.deleted', 'order.deleted-trash.json'],
      ['order.restored', 'order.restored.json'],
      ['customer.deleted', 'customer.deleted.json'],
      ['customer.updated', 'customer.updated.json'],
    ];
    for (const [topic, fixture] of cases) {
      const recorded = fixtureFor(fixture);
      const sent = byTopic(topic)[0];
      expect(sent).toBeDefined();
      expect(names(sent!.rawHeaders)).toEqual(recordedNames(recorded.delivery.headers));
      expect(sent!.headers['user-agent']).toBe(recorded.delivery.headers['User-Agent']);
      expect(sent!.headers['x-wc-webhook-source']).toBe(recorded.delivery.headers['X-WC-Webhook-Source']);
      expect(sent!.headers['x-wc-webhook-signature']).toBe(signWebhookBody(sent!.body, SECRET));
      expect(sent!.headers['x-wc-webhook-delivery-id']).toMatch(/^[0-9a-f]{32}$/);
      expect(sameKeys(recorded.delivery.body_json, JSON.parse(sent!.body.toString()))).toEqual([]);
    }
    // wp_json_encode bytes: "/" escaped, non-ASCII as \uXXXX
    expect(byTopic('order.updated')[0]!.body.toString()).toContain('http:\\/\\/127.0.0.1:8080\\/wp-json');
    expect(byTopic('order.updated')[0]!.body.toString()).toMatch(/\\u00eb/);
    expect(byTopic('order.deleted')[0]!.body.toString()).toBe('{"id":31}');
    // untrash gives restored AND updated; deleting a user sends no order.updated for his orders
    expect(
      byTopic('order.updated')
        .map((r) => JSON.parse(r.body.toString()).id)
        .sort(),
    ).toEqual([30, 31]);
    await rx.close();
  });

  it('coalesces bursts, skips permanent deletes and notes, and can be switched off', async () => {
    const rx = await receiver();
    const d = createWooDouble({ homeUrl: 'http://127.0.0.1:8080' });
    seedFixtureWorld(d.store);
    d.webhooks.autoFlush = false;
    await d.webhooks.register({ topic: 'order.updated', deliveryUrl: rx.url, secret: 's' });
    await d.webhooks.register({ topic: 'order.deleted', deliveryUrl: rx.url, secret: 's' });
    for (const s of ['on-hold', 'processing', 'completed']) d.store.updateOrder(27, { status: s });
    d.store.addNote(29, { author: 'WooCommerce', note: 'x', customer_note: false });
    d.store.deleteOrder(26);
    await d.webhooks.flush();
    const deliveries = rx.got.filter((r) => r.headers['x-wc-webhook-topic']);
    expect(deliveries).toHaveLength(1);
    expect(JSON.parse(deliveries[0]!.body.toString()).status).toBe('completed'); // rendered at delivery time
    d.webhooks.enabled = false;
    d.store.updateOrder(27, { status: 'on-hold' });
    expect(await d.webhooks.flush()).toEqual([]);
    await rx.close();
  });

  it('disables the webhook on the 7th consecutive failure and re-pings while the ping never succeeded', async () => {
    const rx = await receiver(() => 500);
    const d = createWooDouble({ homeUrl: 'http://127.0.0.1:8080' });
    seedFixtureWorld(d.store);
    d.webhooks.autoFlush = false;
    const hook = await d.webhooks.register({ topic: 'order.updated', deliveryUrl: rx.url, secret: 's' });
    const counts: number[] = [];
    for (let i = 0; i < 8; i++) {
      d.store.updateOrder(25, { customer_note: `n${i}` });
      await d.webhooks.flush();
      counts.push(hook.failureCount);
    }
    expect(counts).toEqual([1, 2, 3, 4, 5, 6, 6, 6]);
    expect(hook.status).toBe('disabled');
    const deliveries = rx.got.filter((r) => r.headers['x-wc-webhook-topic']);
    expect(deliveries).toHaveLength(7); // the 8th event is dropped, not queued
    expect(rx.got.filter((r) => !r.headers['x-wc-webhook-topic'])).toHaveLength(1 + 6); // creation ping + one per save while active
    await rx.close();
  });
});

function sameKeys(expected: unknown, actual: unknown, at = ''): string[] {
  if (typeof expected !== 'object' || expected === null || Array.isArray(expected))
    return typeof expected === typeof actual ? [] : [`${at}: type`];
  const [e, a] = [Object.keys(expected), Object.keys(actual as object)];
  const out = e.join() === a.join() ? [] : [`${at}: ${e.join()} ≠ ${a.join()}`];
  for (const k of e)
    out.push(
      ...sameKeys((expected as Record<string, unknown>)[k], (actual as Record<string, unknown>)[k], `${at}.${k}`),
    );
  return out;
}
