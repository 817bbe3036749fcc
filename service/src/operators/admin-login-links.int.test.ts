import { migrate } from '../platform/db/migrate.js';
import { openDatabase } from '../platform/db/database.js';
import { query } from '../platform/db/sql.js';
import { createPostgresDatabase } from '../testing/databases.js';
import { AdminLoginLinks } from './admin-login-links.js';
import { adminMigrations, AdminTokens } from './index.js';

describe.each(['sqlite', 'postgres'])('one-time sign-in links (%s)', (dialect) => {
  let db: ReturnType<typeof openDatabase>;
  let pg: Awaited<ReturnType<typeof createPostgresDatabase>> | null;
  const start = new Date('2026-12-02T10:00:00Z');
  const at = (ms: number) => new Date(start.getTime() + ms);

  beforeEach(async () => {
    pg = dialect === 'postgres' ? await createPostgresDatabase() : null;
    db = openDatabase(pg ? pg.url : 'sqlite::memory:');
    await migrate(db, adminMigrations);
  });
  afterEach(async () => {
    await db.close();
    await pg?.drop();
  });

  it("signs in once, as the operator's live token, and is stored as a hash only", async () => {
    const tokens = new AdminTokens(db, () => start);
    const { id: tokenId } = await tokens.create('ops-drita', start, 30, 'operator');
    const links = new AdminLoginLinks(db);
    const link = await links.create('ops-drita', start);
    expect(link).toMatchObject({ tokenId, role: 'operator', expiresAt: '2026-12-02T10:10:00.000Z' });
    expect(link.token).toMatch(/^pbll_[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(await query(db, 'SELECT * FROM admin_login_links'))).not.toContain(link.token.slice(5));

    // Looking does not use it; the first use signs in, every later one is refused as used.
    expect(await links.check(link.token, at(1000))).toMatchObject({ ok: true, operator: 'ops-drita' });
    expect(await links.check(link.token, at(2000))).toMatchObject({ ok: true });
    expect(await links.consume(link.token, at(3000))).toEqual({
      ok: true,
      linkId: link.id,
      operator: { tokenId, operator: 'ops-drita', role: 'operator' },
    });
    expect(await links.consume(link.token, at(4000))).toEqual({ ok: false, reason: 'link-used' });
    expect(await links.check(link.token, at(4000))).toEqual({ ok: false, reason: 'link-used' });
    expect(await links.consume(`pbll_${'x'.repeat(43)}`, at(4000))).toEqual({ ok: false, reason: 'link-unknown' });
  });

  it('of two presses at once, exactly one signs in', async () => {
    await new AdminTokens(db, () => start).create('ops-drita', start);
    const links = new AdminLoginLinks(db);
    const link = await links.create('ops-drita', start);
    const results = await Promise.all(Array.from({ length: 8 }, () => links.consume(link.token, at(1000))));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual(Array(7).fill({ ok: false, reason: 'link-used' }));
  });

  it('expires after its minutes, and dies with its token', async () => {
    const tokens = new AdminTokens(db, () => start);
    const { id: tokenId } = await tokens.create('ops-drita', start);
    const links = new AdminLoginLinks(db);
    const short = await links.create('ops-drita', start, { minutes: 2 });
    expect(await links.consume(short.token, at(2 * 60_000))).toEqual({ ok: false, reason: 'link-expired' });
    const revoked = await links.create('ops-drita', start);
    await tokens.revoke(tokenId, at(1000));
    expect(await links.consume(revoked.token, at(2000))).toEqual({ ok: false, reason: 'token-not-live' });
    // Refused uses leave the links unused: nothing was consumed.
    expect(await query(db, 'SELECT used_at FROM admin_login_links WHERE used_at IS NOT NULL')).toEqual([]);
  });

  it("is refused without a live token, and never grants more than the token's role", async () => {
    const tokens = new AdminTokens(db, () => start);
    const links = new AdminLoginLinks(db);
    await expect(links.create('ops-nobody', start)).rejects.toMatchObject({ code: 'ADMIN_LINK_NO_LIVE_TOKEN' });
    await tokens.create('ops-vera', start, 1, 'viewer');
    await expect(links.create('ops-vera', start, { role: 'operator' })).rejects.toMatchObject({
      code: 'ADMIN_LINK_NO_LIVE_TOKEN',
    });
    expect((await links.create('ops-vera', start)).role).toBe('viewer');
    // An operator's token may sign in as a viewer; an expired token makes no link.
    const { id } = await tokens.create('ops-drita', start, 30, 'operator');
    expect(await links.create('ops-drita', start, { role: 'viewer' })).toMatchObject({ tokenId: id, role: 'viewer' });
    await expect(links.create('ops-vera', at(2 * 86_400_000))).rejects.toMatchObject({
      code: 'ADMIN_LINK_NO_LIVE_TOKEN',
    });
    for (const minutes of [0, 61, 1.5])
      await expect(links.create('ops-drita', start, { minutes })).rejects.toMatchObject({ code: 'REQUEST_INVALID' });
  });
});
