import { randomBytes, randomUUID } from 'node:crypto';
import { receiptSignature } from '../../service/src/consent/links.js';
import { exportSignature, receiptSignature as dsrReceiptSignature } from '../../service/src/dsr/links.js';
import { SIGNED_HEADERS } from '../../shared/src/contracts/signed-transport.js';
import { CANARY, figure, FULL, pick } from './support/proof.js';
import { ROUTE_INPUTS } from './support/route-inputs.js';
import { discoverRoutes } from './support/routes.js';
import {
  KEY,
  OTHER_KEY,
  serviceUnderTest,
  type Answer,
  type Outgoing,
  type ServiceUnderTest,
} from './support/service-under-test.js';

/**
 * Attacks on every signed route, every admin route and every link, each refused with nothing changed:
 * forged, truncated, replayed, expired and wrong-key signatures; missing, malformed, expired and
 * revoked tokens; links for another subject, expired or tampered. Routes come from the router, and
 * what guards each is checked by asking it (a route that forgot its guard answers an unauthenticated call).
 */
const ROUNDS = pick(1, 5);

describe('attacks on signatures, tokens and links', () => {
  let s: ServiceUnderTest;
  const seen: string[] = [];
  let accepted: string[] = [];
  beforeAll(async () => {
    for (const f of ['attacks_total', 'attacks_accepted', 'canary_hits']) figure.add(f, 0);
    s = await serviceUnderTest();
  });
  afterAll(async () => {
    const hits = await s.canaryHits(seen);
    figure.add('canary_hits', hits.length);
    if (FULL) figure.print('security: attacks');
    await s?.close();
    expect(hits).toEqual([]);
  });

  const routes = () => discoverRoutes(s.router);
  const pathOf = (pattern: string) => pattern.replace(/:(\w+)/g, () => randomUUID());
  const bodyOf = (key: string) => (ROUTE_INPUTS[key]?.sample ? JSON.stringify(ROUTE_INPUTS[key]!.sample) : '');
  const jsonHeaders = { 'content-type': 'application/json' };

  /** Sends an attack and checks that it was refused and that nothing moved: ledger head, every table, Redis keys. */
  async function attack(name: string, o: Outgoing, expectStatus = 401): Promise<Answer> {
    const before = {
      head: await s.headSeq(),
      tables: s.tableCounts(),
      keys: (await s.redis.keys(`${s.prefix}:*`)).length,
    };
    const answer = await s.send(o);
    if (answer.status >= 400) seen.push(answer.body); // error responses: where the canary must never be
    figure.add('attacks_total');
    const after = {
      head: await s.headSeq(),
      tables: s.tableCounts(),
      keys: (await s.redis.keys(`${s.prefix}:*`)).length,
    };
    // Refused means a 4xx (the expected one, or a parser's refusal of a tampered body first) and no state moved.
    const refused =
      answer.status >= 400 &&
      answer.status < 500 &&
      (answer.status === expectStatus || [400, 404, 415].includes(answer.status));
    if (!refused || JSON.stringify(after) !== JSON.stringify(before)) {
      accepted.push(
        `${name}: ${o.method} ${o.path} → ${answer.status} ${answer.body.slice(0, 120)}${JSON.stringify(after) !== JSON.stringify(before) ? ' (state changed)' : ''}`,
      );
      figure.add('attacks_accepted');
    }
    return answer;
  }

  it('finds every route guarded as declared: an unauthenticated call is refused by the declared guard', async () => {
    const wrong: string[] = [];
    for (const r of routes()) {
      const declared = ROUTE_INPUTS[r.key]?.auth;
      if (!declared || declared === 'none' || declared === 'link' || declared === 'webhook') continue;
      const answer = await s.send({
        method: r.method,
        path: pathOf(r.pattern),
        headers: jsonHeaders,
        body: bodyOf(r.key),
      });
      // A page behind an operator's session sends the browser to the sign-in page; a form behind one is refused.
      if (declared === 'session' && r.method === 'GET') {
        if (answer.status !== 303) wrong.push(`${r.key}: declared ${declared}, answered ${answer.status}`);
        continue;
      }
      const code = (JSON.parse(answer.body) as { code?: string }).code;
      const expected =
        { admin: 'ADMIN_TOKEN_INVALID', session: 'ADMIN_SESSION_REQUIRED' }[declared as string] ?? 'SIGNATURE_MISSING';
      if (answer.status !== 401 || code !== expected)
        wrong.push(`${r.key}: declared ${declared}, answered ${answer.status} ${code}`);
    }
    expect(wrong).toEqual([]);
  });

  it('refuses forged, truncated, wrong-key, unknown-key, expired, tampered and replayed signatures on every signed route', async () => {
    accepted = [];
    const signedRoutes = routes().filter((r) =>
      ['signed', 'signed-or-admin'].includes(ROUTE_INPUTS[r.key]?.auth ?? ''),
    );
    expect(signedRoutes.length).toBeGreaterThan(5);
    for (let round = 0; round < ROUNDS; round++) {
      for (const r of signedRoutes) {
        const base: Outgoing = { method: r.method, path: pathOf(r.pattern), headers: jsonHeaders, body: bodyOf(r.key) };
        const valid = s.signed(base);
        const sig = valid.headers![SIGNED_HEADERS.signature]!;
        const withHeaders = (h: Record<string, string>): Outgoing => ({
          ...valid,
          headers: { ...valid.headers, ...h },
        });
        await attack('forged', withHeaders({ [SIGNED_HEADERS.signature]: randomBytes(32).toString('base64') }));
        await attack('truncated', withHeaders({ [SIGNED_HEADERS.signature]: sig.slice(0, -4) }));
        await attack('empty signature', withHeaders({ [SIGNED_HEADERS.signature]: '' }));
        await attack('wrong key', s.signed(base, OTHER_KEY));
        await attack('unknown key id', withHeaders({ [SIGNED_HEADERS.keyId]: 'someone-else' }));
        await attack('expired', s.signed(base, KEY, Date.now() - 301_000));
        await attack('from the future', s.signed(base, KEY, Date.now() + 301_000));
        await attack('tampered body', { ...valid, body: `${String(valid.body)} ` });
        await attack('tampered path', { ...valid, path: `${valid.path}${valid.path.includes('?') ? '&' : '?'}x=1` });
        await attack(
          'tampered method',
          { ...valid, method: r.method === 'GET' ? 'POST' : 'GET' },
          r.method === 'GET' ? 404 : 401,
        );
        // Replayed: whatever the first delivery's answer, the same message again does nothing.
        const first = await s.send(valid);
        if (first.status >= 400) seen.push(first.body);
        if (first.status < 400) await attack('replayed', valid);
      }
    }
    expect(accepted).toEqual([]);
  });

  it('refuses missing, malformed, unknown, expired and revoked admin tokens on every admin route', async () => {
    accepted = [];
    const expired = await s.core.adminTokens.create('ops-expired', new Date(Date.now() - 3 * 86_400_000), 1);
    const revoked = await s.core.adminTokens.create('ops-revoked', new Date());
    await s.core.adminTokens.revoke(revoked.id, new Date());
    const adminRoutes = routes().filter((r) => ['admin', 'signed-or-admin'].includes(ROUTE_INPUTS[r.key]?.auth ?? ''));
    expect(adminRoutes.length).toBeGreaterThan(5);
    for (let round = 0; round < ROUNDS; round++) {
      for (const r of adminRoutes) {
        const as = (authorization: string | null, path = pathOf(r.pattern)): Outgoing => ({
          method: r.method,
          path,
          headers: { ...jsonHeaders, ...(authorization === null ? {} : { authorization }) },
          body: bodyOf(r.key),
        });
        const expectFor = r.key === 'POST /v1/requests' ? undefined : 401; // without a Bearer header it is a signed route
        for (const [name, auth] of [
          ['expired', `Bearer ${expired.token}`],
          ['revoked', `Bearer ${revoked.token}`],
          ['unknown', `Bearer pbat_${randomBytes(32).toString('base64url')}`],
          ['truncated', `Bearer ${s.admin.token.slice(0, -1)}`],
          ['other case', `Bearer ${s.admin.token.replace('pbat_', 'PBAT_')}`],
          ['basic', `Basic ${Buffer.from(`x:${s.admin.token}`).toString('base64')}`],
          ['no scheme', s.admin.token],
          ['empty', 'Bearer '],
        ] as const)
          await attack(`${name} token`, as(auth), expectFor);
        await attack('missing token', as(null), 401);
        await attack(
          'token in the query',
          as(null, `${pathOf(r.pattern)}?token=${s.admin.token}&access_token=${s.admin.token}`),
          401,
        );
      }
    }
    expect(accepted).toEqual([]);
  });

  it("refuses tampered, expired and other subjects' links; a genuine one works and shows no e-mail in full", async () => {
    accepted = [];
    const consent = (email: string, visitor: string) =>
      s.send(
        s.signed({
          method: 'POST',
          path: '/v1/consents',
          headers: jsonHeaders,
          body: JSON.stringify({
            ...ROUTE_INPUTS['POST /v1/consents']!.sample,
            subject: { email, visitorId: visitor },
          }),
        }),
      );
    const a = JSON.parse((await consent(CANARY.email, 'a'.repeat(20))).body) as {
      eventId: string;
      receiptPath: string;
    };
    const b = JSON.parse((await consent('drita.other@example.invalid', 'b'.repeat(20))).body) as {
      eventId: string;
      receiptPath: string;
    };
    expect(a.receiptPath).toContain('sig=');
    const genuine = await s.send({ method: 'GET', path: `${a.receiptPath}&format=json` });
    expect(genuine.status).toBe(200);
    expect(genuine.body).toContain('c***@example.invalid');
    expect(genuine.body).not.toContain(CANARY.email);

    const qs = (p: string) => new URL(`http://x${p}`).searchParams;
    const [aq, bq] = [qs(a.receiptPath), qs(b.receiptPath)];
    const past = Math.floor(Date.now() / 1000) - 60;
    const receipt = (id: string, exp: string | null, sig: string | null) => ({
      method: 'GET',
      path: `/v1/consents/receipts/${id}?${exp === null ? '' : `exp=${exp}&`}${sig === null ? '' : `sig=${sig}`}`,
    });
    await attack("receipt: another event's signature", receipt(a.eventId, bq.get('exp'), bq.get('sig')), 404);
    await attack(
      'receipt: tampered signature',
      receipt(a.eventId, aq.get('exp'), `${aq.get('sig')!.startsWith('A') ? 'B' : 'A'}${aq.get('sig')!.slice(1)}`),
      404,
    );
    await attack(
      'receipt: expiry moved',
      receipt(a.eventId, String(Number(aq.get('exp')) + 86_400), aq.get('sig')),
      404,
    );
    await attack(
      'receipt: expired',
      receipt(a.eventId, String(past), receiptSignature(s.linkSecret, a.eventId, past)),
      404,
    );
    await attack('receipt: no signature', receipt(a.eventId, aq.get('exp'), null), 404);
    await attack('receipt: no expiry', receipt(a.eventId, null, aq.get('sig')), 404);

    const link = async (email: string) =>
      (
        JSON.parse(
          (
            await s.send(
              s.signed({
                method: 'POST',
                path: '/v1/unsubscribe-links',
                headers: jsonHeaders,
                body: JSON.stringify({ email }),
              }),
            )
          ).body,
        ) as { token: string }
      ).token;
    const [ta, tb] = [await link(CANARY.email), await link('drita.other@example.invalid')];
    const [ida, siga] = ta.split('.') as [string, string];
    const [, sigb] = tb.split('.') as [string, string];
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    for (const [name, token] of [
      ["another token's signature", `${ida}.${sigb}`],
      ['tampered', `${ida}.${siga.startsWith('A') ? 'B' : 'A'}${siga.slice(1)}`],
      ['truncated', ta.slice(0, -1)],
      ['id only', ida],
    ] as const) {
      await attack(`unsubscribe GET: ${name}`, { method: 'GET', path: `/v1/unsubscribe/${token}` }, 404);
      await attack(
        `unsubscribe POST: ${name}`,
        { method: 'POST', path: `/v1/unsubscribe/${token}`, headers: form, body: 'List-Unsubscribe=One-Click' },
        404,
      );
    }

    const [id, other] = [randomUUID(), randomUUID()];
    await attack(
      "erasure receipt: another request's signature",
      { method: 'GET', path: `/v1/requests/${id}/receipts/1?sig=${dsrReceiptSignature(s.linkSecret, other, 1)}` },
      404,
    );
    await attack(
      'erasure receipt: another pass',
      { method: 'GET', path: `/v1/requests/${id}/receipts/2?sig=${dsrReceiptSignature(s.linkSecret, id, 1)}` },
      404,
    );
    await attack(
      'erasure receipt: forged',
      { method: 'GET', path: `/v1/requests/${id}/receipts/1?sig=${randomBytes(32).toString('base64url')}` },
      404,
    );
    const expiredAt = new Date(Date.now() - 60_000).toISOString();
    await attack(
      'export: expired',
      {
        method: 'GET',
        path: `/v1/exports/${id}?expires=${encodeURIComponent(expiredAt)}&sig=${exportSignature(s.linkSecret, id, expiredAt)}`,
      },
      404,
    );
    await attack(
      "export: another export's signature",
      {
        method: 'GET',
        path: `/v1/exports/${id}?expires=${encodeURIComponent(expiredAt)}&sig=${exportSignature(s.linkSecret, other, expiredAt)}`,
      },
      404,
    );
    expect(accepted).toEqual([]);
  });

  it('counts what it tried', () => {
    expect(figure.get('attacks_total')).toBeGreaterThan(200);
    expect(figure.get('attacks_accepted')).toBe(0);
  });
});
