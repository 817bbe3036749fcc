import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../platform/db/database.js';
import { execute, query } from '../platform/db/sql.js';
import type { Operator, Role } from './admin-tokens.js';

/** A browser's operator session, as a request carries it. */
export type Session = Operator & { readonly csrf: string };

/** How long a session lives: idle (since its last request) and in all. */
export const SESSION_LIMITS = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 } as const;

const hash = (id: string) => createHash('sha256').update(id, 'utf8').digest('hex');

/**
 * Operators' browser sessions, begun by signing in with an admin token. The cookie holds a random id;
 * only its hash is stored, with the CSRF token that every state-changing form must send back. A session
 * ends at sign-out, after 30 minutes unused, after 12 hours in any case, or when its token stops working.
 */
export class AdminSessions {
  constructor(private readonly db: Database) {}

  async begin(operator: Operator, at: Date): Promise<{ id: string; session: Session }> {
    const id = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    const expiresAt = new Date(at.getTime() + SESSION_LIMITS.absoluteMs).toISOString();
    await execute(
      this.db,
      'INSERT INTO admin_sessions (id_hash, token_id, operator, role, csrf, created_at, seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $6, $7)',
      [hash(id), operator.tokenId, operator.operator, operator.role, csrf, at.toISOString(), expiresAt],
    );
    return { id, session: { ...operator, csrf } };
  }

  /** The live session of a cookie id (its token still live too), touched; null when unknown, ended, idle or expired. */
  async find(id: string, now: Date): Promise<Session | null> {
    const rows = await query<{ token_id: string; operator: string; role: Role; csrf: string; seen_at: string }>(
      this.db,
      `SELECT s.token_id, s.operator, s.role, s.csrf, s.seen_at FROM admin_sessions s JOIN admin_tokens t ON t.id = s.token_id
       WHERE s.id_hash = $1 AND s.ended_at IS NULL AND s.expires_at > $2 AND t.revoked_at IS NULL AND t.expires_at > $2`,
      [hash(id), now.toISOString()],
    );
    const row = rows[0];
    if (!row || now.getTime() - Date.parse(row.seen_at) > SESSION_LIMITS.idleMs) return null;
    await execute(this.db, 'UPDATE admin_sessions SET seen_at = $1 WHERE id_hash = $2', [now.toISOString(), hash(id)]);
    return { tokenId: row.token_id, operator: row.operator, role: row.role, csrf: row.csrf };
  }

  async end(id: string, at: Date): Promise<void> {
    await execute(this.db, 'UPDATE admin_sessions SET ended_at = $1 WHERE id_hash = $2 AND ended_at IS NULL', [
      at.toISOString(),
      hash(id),
    ]);
  }
}
