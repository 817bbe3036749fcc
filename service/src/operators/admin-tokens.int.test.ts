import { Router } from 'express';
import request from 'supertest';
import { buildApp } from '../platform/http/build-app.js';
import { migrate } from '../platform/db/migrate.js';
import { openDatabase } from '../platform/db/database.js';
import { captureLogs } from '../testing/log-capture.js';
import { createPostgresDatabase } from '../testing/databases.js';
import { AdminSessions, adminMigrations, AdminTokens, SESSION_LIMITS } from './index.js';

describe.each(['sqlite', 'postgres'])('admin tokens (%s)', (dialect) => {
  it('authenticates an operator by a token stored only as its hash, until revoked', async () => {
    const pg = dialect === 'postgres' ? await createPostgresDatabase() : null;
    const db = openDatabase(pg ? pg.url : 'sqlite::memory:');
    try {
      await migrate(db, adminMigrations);
      const tokens = new AdminTokens(db);
      const { id, token } = await tokens.create('ops-drita', new Date('2026-11-24T10:00:00Z'));
      const app = buildApp({
        log: captureLogs().log,
        routers: [Router().get('/admin/me', tokens.middleware(), (req, res) => void res.json(req.operator))],
      });

      await request(app)
        .get('/admin/me')
        .set('authorization', `Bearer ${token}`)
        .expect(200, { tokenId: id, operator: 'ops-drita', role: 'operator' });
      expect((await request(app).get('/admin/me').expect(401)).body.code).toBe('ADMIN_TOKEN_INVALID');
      await request(app)
        .get('/admin/me')
        .set('authorization', `Bearer ${token.slice(0, -1)}x`)
        .expect(401);
      expect(JSON.stringify(await tokens.list())).not.toContain(token);
      expect(await tokens.revoke(id, new Date())).toBe(true);
      await request(app).get('/admin/me').set('authorization', `Bearer ${token}`).expect(401);
    } finally {
      await db.close();
      await pg?.drop();
    }
  });

  it("refuses an expired token, and lists each token's expiry and last use", async () => {
    const pg = dialect === 'postgres' ? await createPostgresDatabase() : null;
    const db = openDatabase(pg ? pg.url : 'sqlite::memory:');
    try {
      await migrate(db, adminMigrations);
      let now = new Date('2026-11-24T10:00:00Z');
      const tokens = new AdminTokens(db, () => now);
      const { id, token, expiresAt } = await tokens.create('ops-drita', now, 2);
      expect(expiresAt).toBe('2026-11-26T10:00:00.000Z');
      const app = buildApp({
        log: captureLogs().log,
        routers: [Router().get('/admin/me', tokens.middleware(), (req, res) => void res.json(req.operator))],
      });
      expect((await tokens.list())[0]).toMatchObject({ id, expiresAt, lastUsedAt: null });
      now = new Date('2026-11-25T09:00:00Z');
      await request(app).get('/admin/me').set('authorization', `Bearer ${token}`).expect(200);
      expect((await tokens.list())[0]!.lastUsedAt).toBe('2026-11-25T09:00:00.000Z');
      now = new Date('2026-11-26T10:00:00Z');
      expect((await request(app).get('/admin/me').set('authorization', `Bearer ${token}`).expect(401)).body.code).toBe(
        'ADMIN_TOKEN_INVALID',
      );
      await expect(tokens.create('ops-drita', now, 0)).rejects.toThrow();
      await expect(tokens.create('ops-drita', now, 400)).rejects.toThrow();
    } finally {
      await db.close();
      await pg?.drop();
    }
  });

  it('gives a token its role, and a browser session that ends when idle, when old, at sign-out or with its token', async () => {
    const pg = dialect === 'postgres' ? await createPostgresDatabase() : null;
    const db = openDatabase(pg ? pg.url : 'sqlite::memory:');
    try {
      await migrate(db, adminMigrations);
      const start = new Date('2026-11-24T10:00:00Z');
      const at = (ms: number) => new Date(start.getTime() + ms);
      const tokens = new AdminTokens(db, () => start);
      const viewer = await tokens.create('ops-vera', start, 30, 'viewer');
      const operator = (await tokens.find(viewer.token))!;
      expect(operator).toEqual({ tokenId: viewer.id, operator: 'ops-vera', role: 'viewer' });
      await expect(tokens.create('ops-x', start, 30, 'root' as never)).rejects.toMatchObject({
        code: 'REQUEST_INVALID',
      });

      const sessions = new AdminSessions(db);
      const { id, session } = await sessions.begin(operator, start);
      expect(session).toMatchObject({
        operator: 'ops-vera',
        role: 'viewer',
        csrf: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/),
      });
      // Used every 20 minutes it lives on; 12 hours after sign-in it ends whatever its use.
      for (let m = 20; m < 12 * 60; m += 20) expect(await sessions.find(id, at(m * 60_000))).not.toBeNull();
      expect(await sessions.find(id, at(SESSION_LIMITS.absoluteMs + 1))).toBeNull();

      const idle = await sessions.begin(operator, start);
      expect(await sessions.find(idle.id, at(SESSION_LIMITS.idleMs + 1))).toBeNull();

      const signedOut = await sessions.begin(operator, start);
      await sessions.end(signedOut.id, at(1000));
      expect(await sessions.find(signedOut.id, at(2000))).toBeNull();

      const revoked = await sessions.begin(operator, start);
      expect(await tokens.revoke(viewer.id, at(1000))).toBe(true);
      expect(await sessions.find(revoked.id, at(2000))).toBeNull();
      expect(await sessions.find('x'.repeat(43), at(2000))).toBeNull();
    } finally {
      await db.close();
      await pg?.drop();
    }
  });
});
