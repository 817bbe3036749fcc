import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Database } from '../platform/db/database.js';
import { execute, query } from '../platform/db/sql.js';
import { AppError } from '../platform/errors.js';

/** What an operator may do: a viewer reads, an operator also acts (retries, promotes, removes jobs). */
export const ROLES = ['viewer', 'operator'] as const;
export type Role = (typeof ROLES)[number];

/** An operator, as identified by an admin token. Operator names are handles (e.g. `ops-drita`), not emails. */
export type Operator = { readonly tokenId: string; readonly operator: string; readonly role: Role };

declare module 'express-serve-static-core' {
  interface Request {
    operator?: Operator;
  }
}

const hash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

export const TOKEN_DAYS = { default: 90, max: 366 } as const;
const DAY_MS = 86_400_000;
/** A token's last use is written at most this often (not one write per admin request). */
const LAST_USED_EVERY_MS = 60_000;

export type TokenListing = {
  id: string;
  operator: string;
  role: Role;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

/**
 * Admin tokens, stored as SHA-256 hashes: the token itself is shown once, at creation. Each expires
 * (90 days unless said otherwise, at most 366) and records when it was last used. Looking a token up
 * by its hash in SQL is not a timing oracle worth having: the hash of a 256-bit random token tells
 * nothing about a token that would match it.
 */
export class AdminTokens {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(
    operator: string,
    at: Date,
    validDays: number = TOKEN_DAYS.default,
    role: Role = 'operator',
  ): Promise<{ id: string; token: string; expiresAt: string }> {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(operator)) throw new AppError('REQUEST_INVALID', { field: 'operator' });
    if (!ROLES.includes(role)) throw new AppError('REQUEST_INVALID', { field: 'role' });
    if (!Number.isInteger(validDays) || validDays < 1 || validDays > TOKEN_DAYS.max)
      throw new AppError('REQUEST_INVALID', { field: 'validDays' });
    const id = randomUUID();
    const token = `pbat_${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(at.getTime() + validDays * DAY_MS).toISOString();
    await execute(
      this.db,
      'INSERT INTO admin_tokens (id, operator, token_hash, created_at, expires_at, role) VALUES ($1, $2, $3, $4, $5, $6)',
      [id, operator, hash(token), at.toISOString(), expiresAt, role],
    );
    return { id, token, expiresAt };
  }

  async revoke(id: string, at: Date): Promise<boolean> {
    return (
      (await execute(this.db, 'UPDATE admin_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [
        at.toISOString(),
        id,
      ])) > 0
    );
  }

  /** The operator of a live token: not revoked, not expired. Records its use (at most once a minute). */
  async find(token: string): Promise<Operator | null> {
    const now = this.now();
    const rows = await query<{ id: string; operator: string; role: Role; last_used_at: string | null }>(
      this.db,
      'SELECT id, operator, role, last_used_at FROM admin_tokens WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2',
      [hash(token), now.toISOString()],
    );
    const row = rows[0];
    if (!row) return null;
    if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) >= LAST_USED_EVERY_MS) {
      await execute(this.db, 'UPDATE admin_tokens SET last_used_at = $1 WHERE id = $2', [now.toISOString(), row.id]);
    }
    return { tokenId: row.id, operator: row.operator, role: row.role };
  }

  async list(): Promise<TokenListing[]> {
    const rows = await query<{
      id: string;
      operator: string;
      role: Role;
      created_at: string;
      expires_at: string | null;
      last_used_at: string | null;
      revoked_at: string | null;
    }>(
      this.db,
      'SELECT id, operator, role, created_at, expires_at, last_used_at, revoked_at FROM admin_tokens ORDER BY created_at',
      [],
    );
    return rows.map((r) => ({
      id: r.id,
      operator: r.operator,
      role: r.role,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      lastUsedAt: r.last_used_at,
      revokedAt: r.revoked_at,
    }));
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
