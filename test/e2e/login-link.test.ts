import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../../service/src/testing/databases.js';
import { cli, startService } from '../support/processes.js';

/**
 * `privacy-bridge admin login-link` against the running service, over HTTP as a browser would: the
 * printed link shows a button (opening it uses nothing), pressing it starts the same session as a
 * token sign-in, a second press, an expired link and an unknown one land on the sign-in page with
 * their message and code, each a failed sign-in (ledgered, counted by the failed-authentication limit).
 */
jest.setTimeout(120_000);

describe('one-time sign-in links, end to end', () => {
  let tmp: ReturnType<typeof tempDir>;
  let service: Awaited<ReturnType<typeof startService>>;
  let refusals = 0; // 401s answered to this test's address, which the failed-authentication limit counts

  const sqlite = (run: (db: Database.Database) => unknown) => {
    const db = new Database(path.join(tmp.dir, 'ledger.sqlite'));
    try {
      return run(db);
    } finally {
      db.close();
    }
  };
  const entries = (kind: string) =>
    (
      sqlite((db) => db.prepare('SELECT detail FROM ledger_entries WHERE kind = ? ORDER BY seq').all(kind)) as {
        detail: string;
      }[]
    ).map((r) => JSON.parse(r.detail) as Record<string, unknown>);
  const loginLink = async (...args: string[]) => {
    const made = await cli(['admin', 'login-link', ...args], { DATA_DIR: tmp.dir, PUBLIC_URL: service.url });
    return { ...made, link: /http:\/\/\S+\/admin\/login\/pbll_[A-Za-z0-9_-]{43}/.exec(made.stdout)?.[0] ?? null };
  };
  const open = (url: string, lang = 'en') => fetch(`${url}?lang=${lang}`, { redirect: 'manual' });
  const press = (url: string, lang = 'en') =>
    fetch(`${url}?lang=${lang}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
  const refused = async (res: Response) => {
    if (res.status === 401) refusals++;
    return { status: res.status, text: await res.text() };
  };

  beforeAll(async () => {
    tmp = tempDir();
    service = await startService({ DATA_DIR: tmp.dir, QUEUE_PREFIX: `pbt${randomBytes(3).toString('hex')}` });
    for (const [who, role] of [
      ['ops-drita', 'operator'],
      ['ops-vera', 'viewer'],
    ])
      expect(
        (await cli(['admin', 'token', 'create', '--operator', who!, '--role', role!], { DATA_DIR: tmp.dir })).code,
      ).toBe(0);
  });
  afterAll(async () => {
    await service?.stop();
    tmp?.remove();
  });

  it('prints a link that works once: the page shows a button, the button starts the session', async () => {
    const made = await loginLink('--operator', 'ops-drita');
    expect(made.code).toBe(0);
    expect(made.stdout).toContain('one-time sign-in link for ops-drita (operator), works once until');
    const link = made.link!;
    expect(link.startsWith(`${service.url}/admin/login/pbll_`)).toBe(true);

    // A previewer fetching it twice uses nothing.
    for (const lang of ['en', 'sq']) {
      const page = await open(link, lang);
      expect(page.status).toBe(200);
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      expect(page.headers.get('set-cookie')).toBeNull();
      const text = await page.text();
      expect(text).toContain(lang === 'en' ? 'Sign in as ops-drita (operator)?' : 'Hyni si ops-drita (operator)?');
      expect(text).toContain(`<form method="post" action="${new URL(link).pathname}?lang=${lang}">`);
    }

    const signedIn = await press(link);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/admin?lang=en');
    const cookie = /pb_admin=[A-Za-z0-9_-]{43}/.exec(signedIn.headers.get('set-cookie') ?? '')![0];
    expect(signedIn.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    const status = await fetch(`${service.url}/admin?lang=en`, { headers: { cookie }, redirect: 'manual' });
    expect(status.status).toBe(200);
    expect(await status.text()).toContain('Signed in as ops-drita (operator)');

    const [created] = entries('admin.login-link-created');
    expect(created).toMatchObject({ operator: 'ops-drita', role: 'operator', linkId: expect.any(String) });
    expect(entries('ops.signed-in')).toEqual([
      expect.objectContaining({ operator: 'ops-drita', role: 'operator', via: 'login-link', linkId: created!.linkId }),
    ]);
    expect(JSON.stringify(entries('admin.login-link-created'))).not.toContain(link.split('/').pop()!.slice(5));

    // Used: the page and the button both say so, and nobody is signed in again.
    for (const res of [await open(link), await press(link)]) {
      expect(res.headers.get('set-cookie')).toBeNull();
      const { status: code, text } = await refused(res);
      expect(code).toBe(401);
      expect(text).toContain('data-code="ADMIN_LINK_USED"');
      expect(text).toContain('This sign-in link was used already: each link works once.');
    }
    expect(entries('ops.signed-in')).toHaveLength(1);
    expect(entries('ops.sign-in-failed')).toEqual([{ reason: 'link-used', via: 'login-link' }]);
  });

  it('refuses an expired link and an unknown one, in both languages, without signing anyone in', async () => {
    const { link } = await loginLink('--operator', 'ops-vera', '--minutes', '5');
    expect((await open(link!)).status).toBe(200);
    // Ten minutes pass for this link (its expiry moved back in the database the service reads).
    sqlite((db) => db.prepare("UPDATE admin_login_links SET expires_at = '2000-01-01T00:00:00.000Z'").run());
    const expired = await refused(await press(link!, 'sq'));
    expect(expired.status).toBe(401);
    expect(expired.text).toContain('data-code="ADMIN_LINK_EXPIRED"');
    expect(expired.text).toContain('Kjo lidhje hyrjeje ka skaduar.');

    const unknown = await refused(await open(`${service.url}/admin/login/pbll_${'x'.repeat(43)}`));
    expect(unknown.status).toBe(401);
    expect(unknown.text).toContain('data-code="ADMIN_LINK_UNKNOWN"');
    const malformed = await refused(await press(`${service.url}/admin/login/not-a-link`));
    expect(malformed.status).toBe(401);
    expect(malformed.text).toContain('This sign-in link is not valid.');
    expect(entries('ops.sign-in-failed').slice(-2)).toEqual([
      { reason: 'link-expired', via: 'login-link' },
      { reason: 'link-unknown', via: 'login-link' },
    ]);
    expect(entries('ops.signed-in')).toHaveLength(1);
  });

  it("asks for a live token, and never more than the token's role", async () => {
    const none = await loginLink('--operator', 'ops-nobody');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('ops-nobody has no live admin token');
    const raised = await loginLink('--operator', 'ops-vera', '--role', 'operator');
    expect(raised.code).toBe(2);
    expect(raised.stderr).toContain('allowing the operator role');
    const lowered = await loginLink('--operator', 'ops-drita', '--role', 'viewer');
    expect(lowered.stdout).toContain('for ops-drita (viewer)');
    expect((await loginLink('--operator', 'ops-drita', '--minutes', '61')).code).toBe(2);
  });

  it('counts refused links against the failed-authentication limit, like failed sign-ins', async () => {
    let last = 401;
    while (last === 401 && refusals < 25) {
      const res = await press(`${service.url}/admin/login/pbll_${randomBytes(32).toString('base64url')}`);
      last = (await refused(res)).status;
    }
    expect(last).toBe(429);
    expect(refusals).toBe(20);
  });
});
