import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Database } from '../platform/db/database.js';
import { execute, query } from '../platform/db/sql.js';
import { AppError } from '../platform/errors.js';

/** An operator, as identified by an admin token. Operator names are handles (e.g. `ops-drita`), not emails. */
export type Operator = { readonly tokenId: string; readonly operator: string };

declare module 'express-serve-static-core' {
  interface Request {
    operator?: Operator;
  }
}

const hash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** Admin tokens, stored as SHA-256 hashes: the token itself is shown once, at creation. */
export class AdminTokens {
  constructor(private readonly db: Database) {}

  async create(operator: string, at: Date): Promise<{ id: string; token: string }> {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(operator)) throw new AppError('REQUEST_INVALID', { field: 'operator' });
    const id = randomUUID();
    const token = `pbat_${randomBytes(32).toString('base64url')}`;
    await execute(this.db, 'INSERT INTO admin_tokens (id, operator, token_hash, created_at) VALUES ($1, $2, $3, $4)', [id, operator, hash(token), at.toISOString()]);
    return { id, token };
  }

  async revoke(id: string, at: Date): Promise<boolean> {
    return (await execute(this.db, 'UPDATE admin_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [at.toISOString(), id])) > 0;
  }

  async find(token: string): Promise<Operator | null> {
    const rows = await query<{ id: string; operator: string }>(this.db, 'SELECT id, operator FROM admin_tokens WHERE token_hash = $1 AND revoked_at IS NULL', [hash(token)]);
    return rows[0] ? { tokenId: rows[0].id, operator: rows[0].operator } : null;
  }

  async list(): Promise<{ id: string; operator: string; createdAt: string; revokedAt: string | null }[]> {
    const rows = await query<{ id: string; operator: string; created_at: string; revoked_at: string | null }>(this.db, 'SELECT id, operator, created_at, revoked_at FROM admin_tokens ORDER BY created_at', []);
    return rows.map((r) => ({ id: r.id, operator: r.operator, createdAt: r.created_at, revokedAt: r.revoked_at }));
  }

  /** `Authorization: Bearer pbat_…` → req.operator, or 401 ADMIN_TOKEN_INVALID. */
  middleware(): RequestHandler {
    return async (req, _res, next) => {
      const m = /^Bearer (pbat_[A-Za-z0-9_-]{43})$/.exec(req.headers.authorization ?? '');
      const operator = m ? await this.find(m[1]!) : null;
      if (!operator) throw new AppError('ADMIN_TOKEN_INVALID');
      req.operator = operator;
      next();
    };
  }
}
