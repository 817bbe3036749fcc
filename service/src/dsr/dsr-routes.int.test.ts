import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { AdminRequestList, PrivacyToolsErasePage, PrivacyToolsExportPage } from '../../../shared/src/contracts/dsr.js';
import { signedHeaders } from '../../../shared/src/contracts/signed-transport.js';
import { adminMigrations, AdminTokens } from '../operators/index.js';
import { migrate } from '../platform/db/migrate.js';
import { buildApp } from '../platform/http/build-app.js';
import { requireSignedRequest } from '../platform/http/signed-request.js';
import { RedisMessageGuard } from '../platform/queue/redis-message-guard.js';
import { sensitive } from '../platform/sensitive.js';
import { dsrHarness, PLUGIN_KEY, type DsrHarness } from '../testing/dsr-harness.js';
import { EMAIL, NOW, seedSubject } from '../testing/dsr-seed.js';
import { dsrRoutes } from './dsr.routes.js';
import { privacyToolsRoutes } from './privacy-tools.routes.js';
import { requestSteps } from './request-steps.js';

const VALID = { kind: 'access', email: EMAIL, identity: { verified: false, method: 'email-reply' } };

describe('DSR HTTP routes: the plugin (signed), an admin (token), the console and WordPress privacy tools', () => {
  let t: DsrHarness;
  let app: ReturnType<typeof buildApp>;
  let token: string;
  beforeAll(async () => {
    t = await dsrHarness();
    t.h.clock.set(new Date(NOW));
    seedSubject(t.double.store);
    await migrate(t.h.db, adminMigrations);
    const tokens = new AdminTokens(t.h.db);
    token = (await tokens.create('ops-drita', new Date(NOW))).token;
    const requireSigned = requireSignedRequest({
      keys: () => [PLUGIN_KEY],
      guard: new RedisMessageGuard(t.producer, t.prefix),
      clock: t.h.clock,
    });
    const common = { ...t.parts, ledger: t.h.ledger, requireSigned };
    app = buildApp({
      log: t.logs.log,
      routers: [
        dsrRoutes({
          ...common,
          keyring: t.parts.deps.keyring,
          linkSecret: t.parts.deps.settings.linkSecret,
          clock: t.h.clock,
          requireAdmin: tokens.middleware(),
        }),
        privacyToolsRoutes({ ...common, eraseWaitMs: 200 }),
      ],
    });
  });
  afterAll(async () => t?.close());

  const signed = (
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    messageId = randomBytes(12).toString('hex'),
  ) => {
    const raw = body === undefined ? '' : JSON.stringify(body);
    const headers = signedHeaders(PLUGIN_KEY, {
      method,
      path,
      timestamp: Math.floor(t.h.clock.now().getTime() / 1000),
      messageId,
      body: raw,
    });
    const r =
      method === 'GET' ? request(app).get(path) : request(app).post(path).set('content-type', 'application/json');
    return r.set(headers).send(raw || undefined);
  };
  const admin = (method: 'get' | 'post', path: string) =>
    request(app)[method](path).set('authorization', `Bearer ${token}`);

  it.each([
    ['an unknown kind', { ...VALID, kind: 'delete' }, 'kind'],
    ['a malformed e-mail', { ...VALID, email: 'not-an-address' }, 'email'],
    ['an unknown identity method', { ...VALID, identity: { verified: true, method: 'guess' } }, 'identity'],
    ['a WordPress id of 0', { ...VALID, wpRequestId: 0 }, 'wpRequestId'],
    ['a WordPress user named by e-mail instead of id', { ...VALID, wpUserId: 'not-an-address' }, 'wpUserId'],
    ['a WordPress user id of 0', { ...VALID, wpUserId: 0 }, 'wpUserId'],
  ])('refuses %s with 400 REQUEST_INVALID naming the field, never echoing a value', async (_name, body, field) => {
    const res = await signed('POST', '/v1/requests', body).expect(400);
    expect(res.body.code).toBe('REQUEST_INVALID');
    expect(Object.keys(res.body.details.fields)).toContain(field);
    expect(JSON.stringify(res.body)).not.toContain('not-an-address');
  });

  it('opens a request signed by the plugin or by an admin token; refuses neither, a forged one, a replay; rectification needs fields', async () => {
    expect((await request(app).post('/v1/requests').send(VALID).expect(401)).body.code).toBe('SIGNATURE_MISSING');
    expect(
      (await request(app).post('/v1/requests').set('authorization', 'Bearer pbat_nope').send(VALID).expect(401)).body
        .code,
    ).toBe('ADMIN_TOKEN_INVALID');
    const messageId = randomBytes(12).toString('hex');
    const first = await signed('POST', '/v1/requests', VALID, messageId).expect(202);
    expect(first.body).toEqual({ id: expect.any(String), status: 'received', dueAt: '2026-12-01T10:00:00.000Z' });
    expect((await signed('POST', '/v1/requests', VALID, messageId).expect(401)).body.code).toBe('MESSAGE_REPLAYED');
    const byAdmin = await admin('post', '/v1/requests').set('idempotency-key', 'letter-0001').send(VALID).expect(202);
    const again = await admin('post', '/v1/requests').set('idempotency-key', 'letter-0001').send(VALID).expect(202);
    expect(again.body.id).toBe(byAdmin.body.id);
    expect((await signed('POST', '/v1/requests', { ...VALID, kind: 'rectification' }).expect(422)).body.code).toBe(
      'DSR_CORRECTIONS_MISSING',
    );
    // Reading a request is an operator's business: the plugin's signature is not enough.
    expect((await signed('GET', `/v1/requests/${first.body.id}`).expect(401)).body.code).toBe('ADMIN_TOKEN_INVALID');
    const view = await admin('get', `/v1/requests/${first.body.id}`).expect(200);
    expect(view.body).toMatchObject({ id: first.body.id, kind: 'access', status: 'received', identity: 'email-reply' });
    expect((await admin('get', '/v1/requests/not-a-uuid').expect(404)).body.code).toBe('DSR_REQUEST_NOT_FOUND');
    expect(
      (await admin('post', `/v1/requests/${first.body.id}/extend`).send({ months: 1, reason: 'x' }).expect(400)).body
        .code,
    ).toBe('REQUEST_INVALID');
    expect(JSON.stringify([first.body, view.body])).not.toContain(EMAIL);
  });

  it('names the WordPress user who acted in wp-admin (by id) as the actor of every ledger entry of the opening; the person acting alone is the plugin', async () => {
    const verified = { ...VALID, identity: { verified: true, method: 'wordpress-email-confirmation' } };
    const byAdmin = await signed('POST', '/v1/requests', { ...verified, wpRequestId: 77, wpUserId: 3 }).expect(202);
    const alone = await signed('POST', '/v1/requests', { ...verified, wpRequestId: 78 }).expect(202);
    const actors = async (id: string) => {
      const row = (await t.store.get(id))!;
      return (await requestSteps(t.h.ledger, row)).map((s) => [s.kind, s.detail.to ?? null, s.detail.actor]);
    };
    expect(await actors(byAdmin.body.id)).toEqual([
      ['dsr.received', null, `plugin/${PLUGIN_KEY.id}/wp-user:3`],
      ['dsr.status', 'verified', `plugin/${PLUGIN_KEY.id}/wp-user:3`],
      ['dsr.status', 'in_progress', `plugin/${PLUGIN_KEY.id}/wp-user:3`],
    ]);
    expect((await actors(alone.body.id))[0]).toEqual(['dsr.received', null, `plugin/${PLUGIN_KEY.id}`]);
    // An operator's token names the operator; a WordPress id in the body does not replace it.
    const letter = await admin('post', '/v1/requests')
      .send({ ...VALID, wpUserId: 3 })
      .expect(202);
    expect((await actors(letter.body.id))[0]).toEqual(['dsr.received', null, 'admin/ops-drita']);
  });

  it("erases through one run of WordPress's eraser loop: one request, paged by its cursor until it ends, kept items explained", async () => {
    const pages: PrivacyToolsErasePage[] = [];
    let cursor: string | null = null;
    for (let page = 1; page < 200; page++) {
      const res = await signed('POST', '/v1/privacy-tools/erase', { email: EMAIL, cursor }).expect(200);
      const body = PrivacyToolsErasePage.parse(res.body);
      pages.push(body);
      if (body.nextCursor === null) break;
      cursor = body.nextCursor;
    }
    const last = pages.at(-1)!;
    expect(last).toMatchObject({ itemsRemoved: true, itemsRetained: true, nextCursor: null });
    expect(last.messages.join('\n')).toMatch(/kept until \d{4}-\d{2}-\d{2}/);
    const erasures = (await t.store.list({ subject: t.h.ledger.subjectRef(sensitive(EMAIL)) })).filter(
      (r) => r.kind === 'erasure',
    );
    expect(erasures).toHaveLength(1);
    expect(erasures[0]!.status).toBe('partially_completed');
    expect(JSON.stringify(pages)).not.toContain(EMAIL);
    // Another address cannot report on this request through its cursor; a cursor of the wrong type is refused by the contract.
    expect(
      (
        await signed('POST', '/v1/privacy-tools/erase', {
          email: 'someone@example.com',
          cursor: erasures[0]!.id,
        }).expect(400)
      ).body.code,
    ).toBe('DSR_CURSOR_INVALID');
    expect((await signed('POST', '/v1/privacy-tools/erase', { email: EMAIL, cursor: 7 }).expect(400)).body.code).toBe(
      'REQUEST_INVALID',
    );
    expect(
      (await request(app).post('/v1/privacy-tools/erase').send({ email: EMAIL, cursor: null }).expect(401)).body.code,
    ).toBe('SIGNATURE_MISSING');
  });

  it("exports the ledger to WordPress's exporter page by page, bounded in items and bytes, by sequence cursor, every entry once, in the person's language, nothing of anyone else", async () => {
    const other = 'drita.leka@example.com';
    const subject = t.h.ledger.subjectRef(sensitive(EMAIL));
    // 230 small entries, then 40 large ones (8 KB of notes each): a page of 100 large entries would be ~800 KB.
    await t.h.ledger.recordMany(
      Array.from({ length: 270 }, (_, i) => ({
        key: `test.fact/${i}`,
        kind: 'data.held',
        subject,
        purpose: 'booking',
        legalBasis: 'contract',
        categories: ['appointment', 'contact'],
        source: `order-${i}`,
        detail: {
          resource: 'order',
          id: i,
          fields: ['billing.city', 'meta_data[booking_reference]'],
          retention: { appointment: 'session', contact: 'order-record' },
          special: ['appointment'],
        },
        personal: sensitive({
          'billing.city': `Durrës ${i}`,
          'meta_data[booking_reference]': `MND-${i}`,
          date_created_gmt: '2026-10-28T12:40:00',
          ...(i >= 230 ? { 'notes[0].note': 'Shënim i gjatë. '.repeat(500) } : {}),
        }),
      })),
    );
    await t.h.ledger.record({
      key: 'test.other',
      kind: 'data.held',
      subject: t.h.ledger.subjectRef(sensitive(other)),
      personal: sensitive({ city: 'Vlorë-other' }),
    });
    const total = (await t.h.ledger.timeline(subject)).length;
    const walk = async (locale?: 'sq' | 'en') => {
      const ids: string[] = [];
      const pages: PrivacyToolsExportPage[] = [];
      let cursor: string | null = null;
      do {
        const res = await signed('POST', '/v1/privacy-tools/export', {
          email: EMAIL,
          cursor,
          ...(locale ? { locale } : {}),
        }).expect(200);
        const body = PrivacyToolsExportPage.parse(res.body);
        expect(body.groups.length).toBeLessThanOrEqual(500);
        expect(Buffer.byteLength(JSON.stringify(body.groups))).toBeLessThan(256 * 1024 + 16 * 1024);
        expect(JSON.stringify(body)).not.toContain('Vlorë-other');
        ids.push(...body.groups.map((g) => g.itemId));
        pages.push(body);
        cursor = body.nextCursor;
      } while (cursor !== null && pages.length < 50);
      return { ids, pages, items: pages.flatMap((p) => p.groups) };
    };
    const sq = await walk();
    expect(sq.pages.length).toBeGreaterThan(1);
    expect(new Set(sq.ids).size).toBe(sq.ids.length);
    expect(sq.ids).toHaveLength(total);
    // Readable: the purpose, basis, categories with how long each is kept, the source, dates and field labels in Albanian.
    const first = sq.items.find((g) => g.data.some((x) => x.value === 'Durrës 0'))!;
    expect(first).toMatchObject({ groupId: 'records', groupLabel: 'Regjistrat e përpunimit (Privacy Bridge)' });
    expect(first.data).toEqual(
      expect.arrayContaining([
        { name: 'Qëllimi', value: 'Përpunimi i rezervimeve' },
        { name: 'Baza ligjore', value: 'Kontrata' },
        {
          name: 'Kategoria: Informacion mbi takimin',
          value: 'Seanca: Ruhen deri një muaj pas përfundimit të seancës.',
        },
        { name: 'Burimi', value: 'Porosia #0' },
        { name: 'Adresa e faturimit · Qyteti', value: 'Durrës 0' },
        { name: 'Referenca e rezervimit', value: 'MND-0' },
        { name: 'Krijuar më', value: '28 tetor 2026, 13:40' },
      ]),
    );
    expect(JSON.stringify(sq.items)).not.toMatch(/"billing\.city"|"date_created_gmt"|2026-10-28T12:40/);
    const en = await walk('en');
    expect(en.ids).toEqual(sq.ids);
    expect(en.items.find((g) => g.itemId === first.itemId)!.data).toEqual(
      expect.arrayContaining([
        { name: 'Purpose', value: 'Booking processing' },
        { name: 'Billing address · City', value: 'Durrës 0' },
        { name: 'Created', value: '28 October 2026, 13:40' },
      ]),
    );
    expect(
      (await signed('POST', '/v1/privacy-tools/export', { email: EMAIL, cursor: 'x1' }).expect(400)).body.code,
    ).toBe('DSR_CURSOR_INVALID');
    expect(
      (await signed('POST', '/v1/privacy-tools/export', { email: EMAIL, cursor: null, locale: 'de' }).expect(400)).body
        .code,
    ).toBe('REQUEST_INVALID');
  });

  it('lists requests for the console with kind, state, deadline and timeline, and no e-mail', async () => {
    const res = await signed('GET', '/v1/admin/requests').expect(200);
    const list = AdminRequestList.parse(res.body);
    const erasure = list.items.find((i) => i.kind === 'erasure')!;
    expect(erasure.timeline.map((s) => s.state)).toEqual([
      'received',
      'verified',
      'in_progress',
      'partially_completed',
    ]);
    expect(erasure.deadline).toBe('2026-12-01T10:00:00.000Z');
    expect(JSON.stringify(res.body)).not.toContain(EMAIL);
    expect((await request(app).get('/v1/admin/requests').expect(401)).body.code).toBe('SIGNATURE_MISSING');
  });
});
