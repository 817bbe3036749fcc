import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { launchProfile } from '../support/chromium.js';
import { CreateDsrRequest, EraseCommandResult } from '../../shared/src/contracts/dsr.js';
import { cli, freePort } from '../support/processes.js';
import { startServiceOn } from './support/service.js';
import { sendSigned, type Key } from './support/signed.js';
import { startWordPress, type WordPress } from './support/wordpress.js';

/**
 * The plugin in a real WordPress (Debian's package on PHP's built-in server, MariaDB) against the real
 * service process and real Redis. One WordPress for the whole file: setting it up is the slow part.
 */
jest.setTimeout(180_000);

const KEY: Key = { id: 'site-1', secret: randomBytes(24).toString('hex') };
const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts/wordpress');
const REST = '/wp-json/privacy-bridge/v1';

let wp: WordPress;
let service: Awaited<ReturnType<typeof startServiceOn>> | null = null;
let servicePort = 0;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-wp-service-'));
const serviceEnv = () => ({
  DATA_DIR: dataDir,
  PLUGIN_SIGNING_KEYS: `${KEY.id}:${KEY.secret}`,
  QUEUE_PREFIX: `pbwp-${process.pid}`,
  LOG_LEVEL: 'warn',
  WORDPRESS_URL: wp.url,
});
const startOurService = async () => {
  service = await startServiceOn(servicePort, serviceEnv());
};
const stopOurService = async () => {
  await service?.stop();
  service = null;
};
const ledgerSeq = async (): Promise<number> => {
  const { code, stdout, stderr } = await cli(['ledger', 'head', '--json'], { DATA_DIR: dataDir });
  if (code !== 0) throw new Error(`ledger head failed: ${stderr}`);
  return Number(JSON.parse(stdout).seq ?? 0);
};

const consent = (email: string) => ({
  subject: { email },
  source: 'checkout',
  decisions: [
    { purpose: 'marketing', decision: 'granted' },
    { purpose: 'statistics', decision: 'denied' },
  ],
  policyVersion: 'icbt-pp-1',
  gpc: false,
  locale: 'sq',
  at: new Date(Date.now() - 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
});
const recordConsents = (emails: string[]) =>
  wp.eval<number>(`foreach (json_decode('${JSON.stringify(emails.map(consent))}', true) as $r) { do_action('privacy_bridge_record_consent', $r); }
    global $wpdb; return (int) $wpdb->get_var("SELECT COUNT(*) FROM {$wpdb->prefix}privacy_bridge_outbox");`);
const drain = () =>
  wp.eval<{ sent: number; failed: number; remaining: number }>(
    'return PrivacyBridge\\Plugin::instance()->outbox()->drain();',
  );
const outboxRows = () =>
  wp.eval<
    {
      message_id: string;
      kind: string;
      path: string;
      attempts: string;
      next_attempt_at: string;
      last_status: string;
      last_error: string;
    }[]
  >(
    'global $wpdb; return $wpdb->get_results("SELECT message_id, kind, path, attempts, next_attempt_at, last_status, last_error FROM {$wpdb->prefix}privacy_bridge_outbox ORDER BY id");',
  );
const clearOutbox = () =>
  wp.eval('global $wpdb; return $wpdb->query("DELETE FROM {$wpdb->prefix}privacy_bridge_outbox");');
const createRequest = (email: string, action: 'export_personal_data' | 'remove_personal_data') =>
  wp.eval<number>(`return wp_create_user_request('${email}', '${action}');`);

/** Everything a plugin route could change, as one comparable value. */
const siteState = () =>
  wp.eval<unknown>(`global $wpdb;
    return array(
      'requests' => $wpdb->get_results("SELECT ID, post_status FROM {$wpdb->posts} WHERE post_type = 'user_request' ORDER BY ID"),
      'meta' => $wpdb->get_results("SELECT post_id, meta_key, meta_value FROM {$wpdb->postmeta} WHERE meta_key LIKE '_privacy_bridge%' OR meta_key = '_wp_user_request_completed_timestamp' ORDER BY meta_id"),
      'users' => $wpdb->get_results("SELECT ID FROM {$wpdb->users} ORDER BY ID"),
      'usermeta' => $wpdb->get_results("SELECT user_id, meta_value FROM {$wpdb->usermeta} WHERE meta_key = 'privacy_bridge_consent' ORDER BY umeta_id"),
      'mails' => file_exists(PRIVACY_BRIDGE_TEST_MAIL_LOG) ? count(file(PRIVACY_BRIDGE_TEST_MAIL_LOG)) : 0,
    );`);

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  wp = await startWordPress();
  servicePort = await freePort();
  // Consents name the policy version the person was shown; the service knows only published ones.
  const policy = path.join(dataDir, 'policy.txt');
  fs.writeFileSync(policy, 'Politika e privatësisë (synthetic test text).\n');
  const published = await cli(
    ['policy', 'publish', '--file', policy, '--version', 'icbt-pp-1', '--effective', '2026-01-01'],
    { DATA_DIR: dataDir },
  );
  if (published.code !== 0) throw new Error(`policy publish failed: ${published.stderr}`);
  await startOurService();
  await wp.eval(
    `update_option('privacy_bridge_settings', array('service_url' => 'http://127.0.0.1:${servicePort}', 'key_id' => '${KEY.id}', 'secret' => '${KEY.secret}'), false); return true;`,
  );
}, 240_000);

afterAll(async () => {
  await stopOurService().catch(() => undefined);
  await wp?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('plugin → service through the outbox', () => {
  it('a consent recorded in WordPress reaches the ledger, sent by WP-Cron from the outbox', async () => {
    const before = await ledgerSeq();
    expect(await recordConsents(['arta.hoxha@example.al'])).toBe(1);
    // DISABLE_WP_CRON is on in the test site: this is the request a visitor's page load would make.
    const cron = await fetch(`${wp.url}/wp-cron.php`);
    expect(cron.status).toBe(200);
    for (let i = 0; i < 50 && (await outboxRows()).length > 0; i++) await new Promise((r) => setTimeout(r, 200));
    expect(await outboxRows()).toEqual([]);
    expect(await ledgerSeq()).toBeGreaterThan(before);
  });

  it('with the service stopped, ten consents wait in the outbox with back-off, and all arrive once when it starts', async () => {
    const before = await ledgerSeq();
    const one = await (async () => {
      await recordConsents(['one.more@example.al']);
      await drain();
      return (await ledgerSeq()) - before;
    })();
    expect(one).toBeGreaterThan(0);
    const base = await ledgerSeq();

    await stopOurService();
    await recordConsents(Array.from({ length: 10 }, (_, i) => `waiting.${i}@example.al`));
    expect(await drain()).toEqual({ sent: 0, failed: 10, remaining: 10 });
    const waiting = await outboxRows();
    expect(waiting).toHaveLength(10);
    const now = Math.floor(Date.now() / 1000);
    for (const row of waiting) {
      expect(row).toMatchObject({
        kind: 'consent',
        path: '/v1/consents',
        attempts: '1',
        last_status: '0',
        last_error: 'privacy_bridge_service_unreachable',
      });
      expect(Number(row.next_attempt_at)).toBeGreaterThanOrEqual(now + 10); // first back-off: 15–30 s
    }
    expect(await drain()).toEqual({ sent: 0, failed: 0, remaining: 10 }); // not due yet: no hammering
    const ids = waiting.map((r) => r.message_id);

    await startOurService();
    await wp.eval('return PrivacyBridge\\Plugin::instance()->outbox()->retry_now();');
    expect(await drain()).toEqual({ sent: 10, failed: 0, remaining: 0 });
    expect(await ledgerSeq()).toBe(base + 10 * one);

    // The service deduplicates by message id: the same message again is refused as a replay, which the
    // outbox takes as "delivered", and the ledger does not move.
    await wp.eval(`global $wpdb; return $wpdb->insert($wpdb->prefix . 'privacy_bridge_outbox', array('message_id' => '${ids[0]}', 'kind' => 'consent', 'method' => 'POST', 'path' => '/v1/consents',
      'body' => wp_json_encode(json_decode('${JSON.stringify(consent('waiting.0@example.al'))}', true)), 'attempts' => 0, 'next_attempt_at' => 0, 'created_at' => time()));`);
    expect(await drain()).toEqual({ sent: 1, failed: 0, remaining: 0 });
    expect(await ledgerSeq()).toBe(base + 10 * one);
  });

  it('a message the service refuses for what it says is kept aside unretried, retried on demand, and deleted after 30 days', async () => {
    await clearOutbox();
    const before = await ledgerSeq();
    const stale = { ...consent('refused.once@example.al'), policyVersion: 'no-such-version' };
    await wp.eval(
      `do_action('privacy_bridge_record_consent', json_decode('${JSON.stringify(stale)}', true)); return true;`,
    );
    expect(await drain()).toEqual({ sent: 0, failed: 1, remaining: 0 });
    const stats = () =>
      wp.eval<{ count: number; refused: number; last_errors: Record<string, number> }>(
        'return (new PrivacyBridge\\Outbox\\OutboxTable())->stats();',
      );
    expect(await stats()).toMatchObject({ count: 0, refused: 1, last_errors: { CONSENT_POLICY_VERSION_UNKNOWN: 1 } });
    expect(await outboxRows()).toEqual([
      expect.objectContaining({ attempts: '1', last_status: '422', last_error: 'CONSENT_POLICY_VERSION_UNKNOWN' }),
    ]);
    expect(await drain()).toEqual({ sent: 0, failed: 0, remaining: 0 }); // not retried on its own

    await wp.eval('return PrivacyBridge\\Plugin::instance()->outbox()->retry_now();');
    expect(await drain()).toEqual({ sent: 0, failed: 1, remaining: 0 }); // retried once, refused again
    expect(await outboxRows()).toEqual([expect.objectContaining({ attempts: '2', last_status: '422' })]);
    expect(await ledgerSeq()).toBe(before);

    await wp.eval(
      'global $wpdb; return $wpdb->query("UPDATE {$wpdb->prefix}privacy_bridge_outbox SET dead_at = UNIX_TIMESTAMP() - 31 * 86400");',
    );
    await drain();
    expect(await outboxRows()).toEqual([]); // it held personal data: gone after 30 days
  });

  it("a request confirmed through WordPress's emailed link goes into the outbox for the service", async () => {
    await clearOutbox();
    const id = await createRequest('confirming.person@example.al', 'export_personal_data');
    const key = await wp.eval<string>(`return wp_generate_user_request_key(${id});`);
    const res = await fetch(`${wp.url}/wp-login.php?action=confirmaction&request_id=${id}&confirm_key=${key}`);
    expect(res.status).toBe(200);
    const rows = await outboxRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'request', path: '/v1/requests' });
    const body = JSON.parse(
      await wp.eval<string>(
        'global $wpdb; return $wpdb->get_var("SELECT body FROM {$wpdb->prefix}privacy_bridge_outbox");',
      ),
    );
    expect(CreateDsrRequest.parse(body)).toEqual({
      kind: 'access',
      email: 'confirming.person@example.al',
      wpRequestId: id,
      identity: { verified: true, method: 'wordpress-email-confirmation' },
      locale: 'en',
    });
    expect(await wp.eval(`return get_post_meta(${id}, '_privacy_bridge_state', true);`)).toBe('forwarded');
    await clearOutbox();
  });
});

describe('service → plugin routes', () => {
  let exportId = 0;
  let eraseId = 0;
  let victimId = 0;
  const uuid = '3f2b8c1e-5d4a-4f6b-9c7d-2e1a0b9c8d7e';
  const eraseCommand = (over: Record<string, unknown> = {}) => ({
    requestId: uuid,
    pass: 1,
    orders: [
      {
        id: 15,
        anonymise: ['billing.email', 'customer_note'],
        deleteMetaKeys: ['_booking_psychologist'],
        deleteItemMetaKeys: ['Data e seancës'],
        deleteNotes: true,
      },
    ],
    deleteAccount: { customerId: victimId },
    deleteBookings: [],
    reviewsByEmail: null,
    ...over,
  });
  const routes = () => [
    { name: 'ping', path: `${REST}/ping`, body: undefined, status: 200 },
    {
      name: 'export ready',
      path: `${REST}/dsr/export-ready`,
      body: {
        requestId: uuid,
        wpRequestId: exportId,
        email: 'export.person@example.al',
        url: 'https://privacy.example.al/v1/exports/abc123?sig=x',
        expiresAt: '2026-12-01T10:00:00.000Z',
        locale: 'sq',
      },
      status: 200,
    },
    {
      name: 'erasure receipt',
      path: `${REST}/dsr/erasure-receipt`,
      body: {
        requestId: uuid,
        wpRequestId: eraseId,
        email: 'erase.person@example.al',
        pass: 1,
        url: 'https://privacy.example.al/v1/requests/r/receipts/1?sig=y',
        certificate: 'ab'.repeat(32),
        locale: 'sq',
      },
      status: 200,
    },
    {
      name: 'consent state',
      path: `${REST}/consent-state`,
      body: {
        eventId: randomBytes(16).toString('hex'),
        wpUserId: victimId,
        source: 'unsubscribe-link',
        purposes: [{ purpose: 'marketing', decision: 'denied', rule: 'explicit' }],
        at: '2026-11-24T10:00:00Z',
      },
      status: 200,
    },
    { name: 'erase command', path: `${REST}/dsr/erase`, body: eraseCommand(), status: 200 },
    {
      name: 'bulk read',
      path: `${REST}/dsr/bulk-read`,
      body: { requestId: uuid, email: 'erase.person@example.al', page: 1, perPage: 50 },
      status: 409,
    },
  ];

  beforeAll(async () => {
    exportId = await createRequest('export.person@example.al', 'export_personal_data');
    eraseId = await createRequest('erase.person@example.al', 'remove_personal_data');
    victimId = await wp.eval<number>(
      `return wp_create_user('erase-person', wp_generate_password(), 'erase.person@example.al');`,
    );
  });

  it('refuses forged, unsigned, unknown-key, expired, future-dated and tampered calls to every route with 401, changing nothing', async () => {
    const before = await siteState();
    const now = Math.floor(Date.now() / 1000);
    for (const r of routes()) {
      const attempts = {
        unsigned: fetch(`${wp.url}${r.path}`, {
          method: r.body ? 'POST' : 'GET',
          headers: { 'content-type': 'application/json' },
          body: r.body ? JSON.stringify(r.body) : undefined,
        }).then(async (x) => ({ status: x.status, body: await x.json() })),
        forged: sendSigned(wp.url, r.path, r.body, { id: KEY.id, secret: 'f'.repeat(48) }),
        unknownKey: sendSigned(wp.url, r.path, r.body, { id: 'retired', secret: KEY.secret }),
        expired: sendSigned(wp.url, r.path, r.body, KEY, { timestamp: now - 330 }), // the exact ±300 s edge: PHPUnit VerifierTest
        future: sendSigned(wp.url, r.path, r.body, KEY, { timestamp: now + 330 }),
        tamperedBody: r.body
          ? sendSigned(wp.url, r.path, r.body, KEY, { sendBody: JSON.stringify({ ...r.body, injected: true }) })
          : Promise.resolve(null),
        badSignature: sendSigned(wp.url, r.path, r.body, KEY, {
          tamper: (h) => {
            h['x-pb-signature'] = `${'A'.repeat(43)}=`;
          },
        }),
      };
      for (const [kind, p] of Object.entries(attempts)) {
        const res = await p;
        if (res === null) continue;
        expect({ route: r.name, kind, status: res.status }).toEqual({ route: r.name, kind, status: 401 });
        expect(String((res.body as { code?: string }).code)).toMatch(
          /^privacy_bridge_(signature_missing|signature_invalid|signature_expired)$/,
        );
      }
    }
    expect(await siteState()).toEqual(before);
  });

  it('acts on a correctly signed message once, and refuses its replay with 401, changing nothing', async () => {
    for (const r of routes()) {
      const first = await sendSigned(wp.url, r.path, r.body, KEY);
      expect({ route: r.name, status: first.status }).toEqual({ route: r.name, status: r.status });
      const after = await siteState();
      const replay = await sendSigned(wp.url, r.path, r.body, KEY, { messageId: first.messageId });
      if (r.name === 'erase command') {
        // The service retries a command whose answer it lost with the same message id: it gets the first answer.
        expect({ status: replay.status, body: replay.body }).toEqual({ status: 200, body: first.body });
      } else {
        expect({ route: r.name, status: replay.status, code: replay.body.code }).toEqual({
          route: r.name,
          status: 401,
          code: 'privacy_bridge_message_replayed',
        });
      }
      expect(await siteState()).toEqual(after);
    }
  });

  it('export ready: the link is on the WordPress request, which is completed, and the person is emailed in their language', async () => {
    const state = await wp.eval<{ state: string; export_url: string; timeline: { state: string }[] }>(
      `return PrivacyBridge\\Privacy\\UserRequests::get(${exportId});`,
    );
    expect(state.export_url).toBe('https://privacy.example.al/v1/exports/abc123?sig=x');
    expect(state.timeline.map((t) => t.state)).toEqual(['export_ready']);
    expect(await wp.eval(`return get_post_status(${exportId});`)).toBe('request-completed');
    const mail = wp.mails().find((m) => m.to === 'export.person@example.al');
    expect(mail?.subject).toContain('Eksporti i të dhënave tuaja personale është gati');
    expect(mail?.message).toContain('https://privacy.example.al/v1/exports/abc123?sig=x');
  });

  it("export ready for another person's request, or a request of another kind, is refused and mails nothing", async () => {
    const mails = wp.mails().length;
    const ready = routes()[1]!.body as Record<string, unknown>;
    const other = await sendSigned(
      wp.url,
      `${REST}/dsr/export-ready`,
      { ...ready, email: 'someone.else@example.al' },
      KEY,
    );
    expect({ status: other.status, code: other.body.code }).toEqual({
      status: 409,
      code: 'privacy_bridge_request_wrong_person',
    });
    const kind = await sendSigned(
      wp.url,
      `${REST}/dsr/export-ready`,
      { ...ready, wpRequestId: eraseId, email: 'erase.person@example.al' },
      KEY,
    );
    expect({ status: kind.status, code: kind.body.code }).toEqual({
      status: 409,
      code: 'privacy_bridge_request_wrong_kind',
    });
    const bad = await sendSigned(wp.url, `${REST}/dsr/export-ready`, { ...ready, locale: 'sq_AL' }, KEY);
    expect({ status: bad.status, code: bad.body.code }).toEqual({ status: 400, code: 'rest_invalid_param' });
    expect(wp.mails().length).toBe(mails);
  });

  it('erasure receipt: attached with its certificate, the request completed, the person told in their language', async () => {
    const receipt = await wp.eval<{ url: string; certificate: string; passes: Record<string, { pass: number }> }>(
      `return get_post_meta(${eraseId}, '_privacy_bridge_receipt', true);`,
    );
    expect(receipt).toMatchObject({
      url: 'https://privacy.example.al/v1/requests/r/receipts/1?sig=y',
      certificate: 'ab'.repeat(32),
    });
    expect(Object.keys(receipt.passes)).toEqual(['1']);
    expect(await wp.eval(`return get_post_status(${eraseId});`)).toBe('request-completed');
    const mail = wp.mails().find((m) => m.to === 'erase.person@example.al');
    expect(mail?.subject).toContain('Kërkesa juaj për fshirje u përfundua');
    expect(mail?.message).toContain(`Certifikata e fshirjes: ${'ab'.repeat(32)}`);
  });

  it("erase command: answers item by item in the contract's shape (orders skipped without WooCommerce, the account deleted, reviews removed)", async () => {
    expect(await wp.eval(`return (bool) get_user_by('id', ${victimId});`)).toBe(false); // deleted by the earlier signed command
    const product = await wp.eval<number>(
      `return wp_insert_post(array('post_type' => 'product', 'post_title' => 'Seancë (50 min)', 'post_status' => 'publish'));`,
    );
    await wp.eval(
      `return wp_insert_comment(array('comment_post_ID' => ${product}, 'comment_type' => 'review', 'comment_author_email' => 'reviewer@example.al', 'comment_content' => 'Shumë e dobishme', 'comment_approved' => 1));`,
    );
    const r = await sendSigned(
      wp.url,
      `${REST}/dsr/erase`,
      eraseCommand({ pass: 2, deleteAccount: { customerId: 1 }, reviewsByEmail: 'reviewer@example.al' }),
      KEY,
    );
    expect(r.status).toBe(200);
    expect(EraseCommandResult.parse(r.body)).toEqual({
      requestId: uuid,
      orders: [
        {
          id: 15,
          outcome: 'failed',
          anonymised: [],
          unchangeable: [],
          deletedMetaKeys: [],
          notesDeleted: 0,
          error: 'skipped: woocommerce-inactive',
        },
      ],
      account: { customerId: 1, outcome: 'failed' }, // an administrator is never deleted from here
      reviewsDeleted: 1,
    });
    expect(
      await wp.eval(
        `return (int) get_comments(array('author_email' => 'reviewer@example.al', 'count' => true, 'status' => 'all'));`,
      ),
    ).toBe(0);
    const none = await sendSigned(wp.url, `${REST}/dsr/erase`, eraseCommand({ pass: 3, deleteAccount: null }), KEY);
    expect(none.body).toMatchObject({ account: null, reviewsDeleted: null });
  });

  it('erase command: WordPress refuses what the contract refuses, and a refused message may be sent again', async () => {
    const missing = await sendSigned(
      wp.url,
      `${REST}/dsr/erase`,
      Object.fromEntries(Object.entries(eraseCommand({ pass: 4 })).filter(([k]) => k !== 'deleteAccount')),
      KEY,
    );
    expect({ status: missing.status, code: missing.body.code }).toEqual({
      status: 400,
      code: 'rest_missing_callback_param',
    });
    const field = await sendSigned(
      wp.url,
      `${REST}/dsr/erase`,
      eraseCommand({
        orders: [
          { id: 15, anonymise: ['billing.password'], deleteMetaKeys: [], deleteItemMetaKeys: [], deleteNotes: false },
        ],
      }),
      KEY,
    );
    expect({ status: field.status, code: field.body.code }).toEqual({ status: 400, code: 'rest_invalid_param' });
    const account = await sendSigned(
      wp.url,
      `${REST}/dsr/erase`,
      eraseCommand({ deleteAccount: { customerId: 'x' } }),
      KEY,
    );
    expect(account.status).toBe(400);
    const again = await sendSigned(wp.url, `${REST}/dsr/erase`, eraseCommand({ pass: 4 }), KEY, {
      messageId: missing.messageId,
    });
    expect(again.status).toBe(200);
  });

  it('bulk read without WooCommerce: refused clearly rather than answered with an empty page', async () => {
    const r = await sendSigned(
      wp.url,
      `${REST}/dsr/bulk-read`,
      { requestId: uuid, email: 'erase.person@example.al', page: 1, perPage: 50 },
      KEY,
    );
    expect({ status: r.status, code: r.body.code }).toEqual({
      status: 409,
      code: 'privacy_bridge_woocommerce_inactive',
    });
    expect(r.body.message).toContain('skipped: woocommerce-inactive');
    const bad = await sendSigned(
      wp.url,
      `${REST}/dsr/bulk-read`,
      { requestId: uuid, email: 'erase.person@example.al', page: 0, perPage: 50 },
      KEY,
    );
    expect(bad.status).toBe(400);
  });

  it('logs nothing personal', () => {
    const lines = wp.pluginLogLines().join('\n');
    expect(lines).not.toMatch(/@example\.al/);
  });
});

describe('data-subject requests end to end: WordPress → the real service → WordPress', () => {
  /** A person with an Albanian account confirms through WordPress's e-mailed link; WP-Cron sends the outbox. */
  const confirmAs = async (email: string, action: 'export_personal_data' | 'remove_personal_data') => {
    await wp.eval(
      `$id = wp_create_user('${email.split('@')[0]}', wp_generate_password(), '${email}'); update_user_meta($id, 'locale', 'sq'); return $id;`,
    );
    const id = await createRequest(email, action);
    const key = await wp.eval<string>(`return wp_generate_user_request_key(${id});`);
    expect(
      (await fetch(`${wp.url}/wp-login.php?action=confirmaction&request_id=${id}&confirm_key=${key}`)).status,
    ).toBe(200);
    expect(await wp.eval(`return get_post_meta(${id}, '_privacy_bridge_state', true);`)).toBe('forwarded');
    expect(await fetch(`${wp.url}/wp-cron.php`).then((r) => r.status)).toBe(200);
    for (let i = 0; i < 50 && (await outboxRows()).length > 0; i++) await new Promise((r) => setTimeout(r, 200));
    expect(await outboxRows()).toEqual([]); // delivered: POST /v1/requests answered 2xx
    return id;
  };
  const waitFor = async <T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, ms = 90_000): Promise<T> => {
    const until = Date.now() + ms;
    for (;;) {
      const v = await read();
      if (done(v)) return v;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  };

  beforeAll(async () => {
    await clearOutbox();
  });

  it("access: the service's export flow runs and its link lands on the WordPress request, mailed in Albanian", async () => {
    const id = await confirmAs('drita.export@example.al', 'export_personal_data');
    const state = await waitFor(
      'the export link',
      () => wp.eval<{ state: string; export_url: string }>(`return PrivacyBridge\\Privacy\\UserRequests::get(${id});`),
      (v) => v.export_url !== '',
    );
    expect(state.state).toBe('export_ready');
    expect(state.export_url).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:${servicePort}/v1/exports/[0-9a-f-]{36}\\?expires=`),
    );
    expect(await wp.eval(`return get_post_status(${id});`)).toBe('request-completed');
    expect(await wp.eval(`return get_post_meta(${id}, '_privacy_bridge_request_id', true);`)).toMatch(
      /^[0-9a-f-]{36}$/,
    );
    const mail = wp.mails().find((m) => m.to === 'drita.export@example.al' && m.subject.includes('Eksporti'));
    expect(mail?.message).toContain(state.export_url);
    const zip = await fetch(state.export_url);
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-type')).toContain('application/zip');
  });

  it("erasure: the service's erasure flow runs and ends with its receipt attached and the WordPress request completed", async () => {
    const id = await confirmAs('besa.erase@example.al', 'remove_personal_data');
    const receipt = await waitFor(
      'the erasure receipt',
      () =>
        wp.eval<{ url?: string; certificate?: string } | ''>(
          `return get_post_meta(${id}, '_privacy_bridge_receipt', true);`,
        ),
      (v) => typeof v === 'object' && !!v.certificate,
    );
    if (typeof receipt !== 'object') throw new Error('no receipt');
    expect(receipt.certificate).toMatch(/^[0-9a-f]{64}$/);
    expect(await wp.eval(`return get_post_status(${id});`)).toBe('request-completed');
    const mail = wp.mails().find((m) => m.to === 'besa.erase@example.al' && m.subject.includes('fshirje'));
    expect(mail?.message).toContain(`Certifikata e fshirjes: ${receipt.certificate}`);
    const page = await fetch(receipt.url!);
    expect(page.status).toBe(200);
  });
});

describe('WordPress lets the plugin reach exactly the configured service', () => {
  it('allows the service URL (loopback, odd port) and still refuses other loopback ports', async () => {
    const verdicts = await wp.eval<Record<string, boolean>>(`return array(
      'service' => false !== wp_http_validate_url('http://127.0.0.1:${servicePort}/webhooks/woocommerce'),
      'otherPort' => false !== wp_http_validate_url('http://127.0.0.1:${servicePort + 1}/x'),
      'otherHost' => false !== wp_http_validate_url('http://10.0.0.7:${servicePort}/x'),
      'otherScheme' => false !== wp_http_validate_url('https://127.0.0.1:${servicePort}/x'),
    );`);
    expect(verdicts).toEqual({ service: true, otherPort: false, otherHost: false, otherScheme: false });
  });
});

describe('the wp-admin console in headless Chromium', () => {
  let browser: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    // A fresh profile each run; the flags keep Chromium off the (closed) network.
    browser = await launchProfile();
    page = await browser.newPage();
    await page.goto(`${wp.url}/wp-login.php`);
    await page.fill('#user_login', 'admin');
    await page.fill('#user_pass', 'admin-password');
    await Promise.all([page.waitForURL(/wp-admin/), page.click('#wp-submit')]);
  });
  afterAll(async () => {
    await Promise.race([browser?.close(), new Promise((r) => setTimeout(r, 10_000))]);
  });

  const shoot = async (name: string) => {
    const file = path.join(ARTIFACTS, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    expect(fs.statSync(file).size).toBeGreaterThan(5_000);
  };

  it('overview: ledger, queues, outbox backlog and "Retry now"', async () => {
    await stopOurService();
    await recordConsents(['console.backlog@example.al']);
    await drain();
    await page.goto(`${wp.url}/wp-admin/admin.php?page=privacy-bridge`);
    expect(await page.locator('.privacy-bridge-overview h1').innerText()).toBe('Privacy Bridge');
    expect(await page.locator('#privacy-bridge-ledger').count()).toBe(1);
    expect(await page.locator('#privacy-bridge-queues').count()).toBe(1);
    expect(await page.locator('.privacy-bridge-backlog').innerText()).toBe('1 message waiting for the service.');
    expect(await page.locator('#privacy-bridge-ledger .privacy-bridge-unavailable').innerText()).toContain(
      'could not be reached',
    );
    await shoot('overview-service-down');
    await startOurService();
    await Promise.all([page.waitForURL(/privacy_bridge_sent=1/), page.click('#privacy-bridge-retry')]);
    expect(await page.locator('.privacy-bridge-backlog').innerText()).toBe('0 messages waiting for the service.');
    await shoot('overview-after-retry');
  });

  it('requests page', async () => {
    await page.goto(`${wp.url}/wp-admin/admin.php?page=privacy-bridge-requests`);
    expect(await page.locator('.privacy-bridge-requests h1').innerText()).toBe('Privacy requests');
    expect(await page.locator('#privacy-bridge-requests').count()).toBe(1);
    // GET /v1/admin/requests: a table when the service has it, a clear notice while it does not.
    const rows = await page.locator('#privacy-bridge-requests tr.privacy-bridge-request').count();
    const missing = await page.locator('.privacy-bridge-requests-missing').count();
    expect(rows > 0 || missing === 1).toBe(true);
    if (missing)
      expect(await page.locator('.privacy-bridge-requests-missing').innerText()).toContain('cannot list requests yet');
    await shoot('requests');
  });

  it('consent log search by email', async () => {
    await page.goto(`${wp.url}/wp-admin/admin.php?page=privacy-bridge-consents`);
    await page.fill('#privacy-bridge-email', 'arta.hoxha@example.al');
    await page.click('#privacy-bridge-consent-search [type=submit]');
    await page.waitForSelector('#privacy-bridge-consent-results', { timeout: 15_000 });
    const results = await page.locator('#privacy-bridge-consent-results').innerText();
    expect(results).toContain('marketing');
    expect(results).toContain('granted');
    expect(results).toContain('checkout');
    await shoot('consents');
  });

  it('settings: fields, and test connection gives a clear result', async () => {
    await page.goto(`${wp.url}/wp-admin/admin.php?page=privacy-bridge-settings`);
    expect(await page.inputValue('#privacy-bridge-service-url')).toBe(`http://127.0.0.1:${servicePort}`);
    expect(await page.inputValue('#privacy-bridge-key-id')).toBe(KEY.id);
    expect(await page.inputValue('#privacy-bridge-secret')).toBe(''); // write-only
    await Promise.all([page.waitForURL(/privacy-bridge-settings/), page.click('#privacy-bridge-test')]);
    const result = await page.locator('#privacy-bridge-test-result').innerText();
    expect(result).toMatch(/Connected|refused our signature|has no \/v1\/ping|status \d+/);
    await shoot('settings-test-connection');
  });

  it('Tools → Export Personal Data shows the Privacy Bridge column with "Process in background"', async () => {
    await page.goto(`${wp.url}/wp-admin/export-personal-data.php`);
    expect(await page.locator('a.privacy-bridge-process').count()).toBeGreaterThan(0);
    await shoot('export-personal-data');
    await clearOutbox();
    await Promise.all([
      page.waitForURL(/privacy_bridge_forwarded=1/),
      page.locator('a.privacy-bridge-process').first().click(),
    ]);
    expect((await outboxRows()).map((r) => r.kind)).toEqual(['admin-action']);
    // The admin who pressed it is named by user id (issue 20.5): the service ledgers it as wp-user:<ID>.
    const body = JSON.parse(
      await wp.eval<string>(
        'global $wpdb; return $wpdb->get_var("SELECT body FROM {$wpdb->prefix}privacy_bridge_outbox");',
      ),
    );
    const adminId = await wp.eval<number>(`return (int) get_user_by('login', 'admin')->ID;`);
    expect(CreateDsrRequest.parse(body).wpUserId).toBe(adminId);
    await clearOutbox();
  });
});
