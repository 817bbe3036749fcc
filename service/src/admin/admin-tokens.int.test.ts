import { Router } from 'express';
import request from 'supertest';
import { buildApp } from '../platform/http/build-app.js';
import { migrate } from '../platform/db/migrate.js';
import { openDatabase } from '../platform/db/database.js';
import { captureLogs } from '../testing/log-capture.js';
import { createPostgresDatabase } from '../testing/databases.js';
import { adminMigrations, AdminTokens } from './index.js';

describe.each(['sqlite', 'postgres'])('admin tokens (%s)', (dialect) => {
  it('authenticates an operator by a token stored only as its hash, until revoked', async () => {
    const pg = dialect === 'postgres' ? await createPostgresDatabase() : null;
    const db = openDatabase(pg ? pg.url : 'sqlite::memory:');
    try {
      await migrate(db, adminMigrations);
      const tokens = new AdminTokens(db);
      const { id, token } = await tokens.create('ops-drita', new Date('2026-11-24T10:00:00Z'));
      const app = buildApp({ log: captureLogs().log, routers: [Router().get('/admin/me', tokens.middleware(), (req, res) => void res.json(req.operator))] });

      await request(app).get('/admin/me').set('authorization', `Bearer ${token}`).expect(200, { tokenId: id, operator: 'ops-drita' });
      expect((await request(app).get('/admin/me').expect(401)).body.code).toBe('ADMIN_TOKEN_INVALID');
      await request(app).get('/admin/me').set('authorization', `Bearer ${token.slice(0, -1)}x`).expect(401);
      expect(JSON.stringify(await tokens.list())).not.toContain(token);
      expect(await tokens.revoke(id, new Date())).toBe(true);
      await request(app).get('/admin/me').set('authorization', `Bearer ${token}`).expect(401);
    } finally {
      await db.close();
      await pg?.drop();
    }
  });

  it('refuses an expired token, and lists each token\'s expiry and last use', async () => {
    const pg = dialect === 'postgres' ? await createPostgresDatabase() : null;
    const db = openDatabase(pg ? pg.url : 'sqlite::memory:');
    try {
      await migrate(db, adminMigrations);
      let now = new Date('2026-11-24T10:00:00Z');
      const tokens = new AdminTokens(db, () => now);
      const { id, token, expiresAt } = await tokens.create('ops-drita', now, 2);
      expect(expiresAt).toBe('2026-11-26T10:00:00.000Z');
      const app = buildApp({ log: captureLogs().log, routers: [Router().get('/admin/me', tokens.middleware(), (req, res) => void res.json(req.operator))] });
      expect((await tokens.list())[0]).toMatchObject({ id, expiresAt, lastUsedAt: null });
      now = new Date('2026-11-25T09:00:00Z');
      await request(app).get('/admin/me').set('authorization', `Bearer ${token}`).expect(200);
      expect((await tokens.list())[0]!.lastUsedAt).toBe('2026-11-25T09:00:00.000Z');
      now = new Date('2026-11-26T10:00:00Z');
      expect((await request(app).get('/admin/me').set('authorization', `Bearer ${token}`).expect(401)).body.code).toBe('ADMIN_TOKEN_INVALID');
      await expect(tokens.create('ops-drita', now, 0)).rejects.toThrow();
      await expect(tokens.create('ops-drita', now, 400)).rejects.toThrow();
    } finally {
      await db.close();
      await pg?.drop();
    }
  });
});
