import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import WooCommerceRestApi from '@woocommerce/woocommerce-rest-api';
import { assertFixturesPresent, fixtureKeys, WOO_DIR } from '../../testing/fixture-world.js';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { phpParseStr, providedSignature, wooSignatureBase, type PhpArray } from './woo-oauth.js';

assertFixturesPresent();

const sign = (base: string, secret: string) => createHmac('sha256', `${secret}&`).update(base).digest('base64');
const plain = (a: PhpArray): unknown =>
  Object.fromEntries([...a].map(([k, v]) => [k, v instanceof Map ? plain(v) : v]));

/** True when WooCommerce would accept this request line's OAuth signature for `secret`. */
function wooAccepts(method: string, url: string, secret: string): boolean {
  const u = new URL(url);
  const params = phpParseStr(u.search.slice(1));
  const provided = providedSignature(params.get('oauth_signature') as string);
  return sign(wooSignatureBase(method, `${u.origin}${u.pathname}`, params), secret) === provided;
}

describe("WooCommerce's OAuth 1.0a check (check_oauth_signature), as the double runs it", () => {
  it('accepts every signature the real store accepted in the recordings, and rejects the two it refused', () => {
    const [key] = fixtureKeys();
    const verdicts = readdirSync(WOO_DIR)
      .filter((f) => f.endsWith('.json'))
      .flatMap((f) => {
        const fx = JSON.parse(readFileSync(path.join(WOO_DIR, f), 'utf8')) as {
          request: { method: string; url: string; auth: string };
        };
        return fx.request.auth === 'http-oauth1'
          ? [[f, wooAccepts(fx.request.method, fx.request.url, key!.consumerSecret)] as const]
          : [];
      });
    expect(verdicts.length).toBeGreaterThan(60);
    expect(
      verdicts
        .filter(([, ok]) => !ok)
        .map(([f]) => f)
        .sort(),
    ).toEqual(['error-401-oauth1-following-link-header-verbatim.json', 'error-401-wrong-secret-http-oauth1.json']);
  });

  it('reads parameters as PHP does: "+" is a space, the last repeat wins, brackets build arrays, "." becomes "_"', () => {
    expect(plain(phpParseStr('search=Arben+Hoxha&search=Arben%20Hoxha'))).toEqual({ search: 'Arben Hoxha' });
    expect(plain(phpParseStr('search=%2B355%2069&x=%zz'))).toEqual({ search: '+355 69', x: '%zz' });
    expect(plain(phpParseStr('status[0]=any&status%5B0%5D=any'))).toEqual({ status: { 0: 'any' } });
    expect(plain(phpParseStr('a[]=x&a[]=y&b[k][]=z&c.d=1'))).toEqual({
      a: { 0: 'x', 1: 'y' },
      b: { k: { 0: 'z' } },
      c_d: '1',
    });
  });

  it('accepts what @woocommerce/woocommerce-rest-api signs for full names, spaced phones, "+", arrays and non-ASCII text', async () => {
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.setHeader('content-type', 'application/json');
      res.end('[]');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const api = new WooCommerceRestApi({ url, consumerKey: 'ck_test', consumerSecret: 'cs_test', version: 'wc/v3' });
      const queries = [
        { search: 'Arben Hoxha', status: 'any' },
        { search: '+355 69 123 4567', per_page: 100, page: 2 },
        { search: 'Dritë  Gjonaj-Çela' },
        { status: ['completed', 'processing'] },
        { include: [3, 5] },
        { search: "O'Brien (x) * ! ~ 100%" },
      ];
      for (const q of queries) await api.get('orders', q);
      await api.put('orders/7', { billing: { first_name: 'Arben' } });
      expect(seen).toHaveLength(queries.length + 1);
      for (const line of seen) {
        const [method, target] = line.split(' ') as [string, string];
        expect([line, wooAccepts(method, `${url}${target}`, 'cs_test')]).toEqual([line, true]);
      }
    } finally {
      server.close();
    }
  });
});
