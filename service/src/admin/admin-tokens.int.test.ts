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
});
