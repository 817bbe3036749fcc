import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Database } from '../platform/db/database.js';
import { execute, query } from '../platform/db/sql.js';
import { AppError, type ErrorCode } from '../platform/errors.js';
import { ROLES, type Operator, type Role } from './admin-tokens.js';

/** How long a sign-in link works unless said otherwise, and at most (minutes). */
export const LINK_MINUTES = { default: 10, max: 60 } as const;

/** A link's secret as it appears in `/admin/login/<token>`. */
export const LINK_TOKEN = /^pbll_[A-Za-z0-9_-]{43}$/;

/** Why a link did not sign anyone in: stable values, ledgered and shown (in words) on the sign-in page. */
export const LINK_REFUSALS = ['link-unknown', 'link-used', 'link-expired', 'token-not-live'] as const;
export type LinkRefusal = (typeof LINK_REFUSALS)[number];

/** The stable code of each refusal (the sign-in page carries it as data-code). */
export const REFUSAL_CODES: Record<LinkRefusal, ErrorCode> = {
  'link-unknown': 'ADMIN_LINK_UNKNOWN',
  'link-used': 'ADMIN_LINK_USED',
  'link-expired': 'ADMIN_LINK_EXPIRED',
  'token-not-live': 'ADMIN_LINK_TOKEN_NOT_LIVE',
};

export type LinkCheck =
  { ok: true; linkId: string; operator: string; role: Role; expiresAt: string } | { ok: false; reason: LinkRefusal };

const hash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
const rank = (role: Role) => ROLES.indexOf(role);

type Row = {
  id: string;
  token_id: string;
  operator: string;
  role: Role;
  expires_at: string;
  used_at: string | null;
  live: number | string | boolean;
};

/**
 * One-time sign-in links: `privacy-bridge admin login-link` makes one for an operator who holds a live
 * admin token; opening it and pressing the button starts the same browser session as signing in with
 * the token. Only the link's hash is stored; it works once, for a few minutes, and only while its
 * token is still live (the session it starts is tied to that token, like a token sign-in's).
 */
export class AdminLoginLinks {
  constructor(private readonly db: Database) {}

  /**
   * A link for the operator's newest live token whose role allows `role` (default: that token's role).
   * A link never grants more than its token: asking an operator's role of a viewer's token is refused.
   */
  async create(
    operator: string,
    at: Date,
    opts: { role?: Role; minutes?: number } = {},
  ): Promise<{ id: string; token: string; tokenId: string; role: Role; expiresAt: string }> {
    const minutes = opts.minutes ?? LINK_MINUTES.default;
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(operator)) throw new AppError('REQUEST_INVALID', { field: 'operator' });
    if (opts.role !== undefined && !ROLES.includes(opts.role)) throw new AppError('REQUEST_INVALID', { field: 'role' });
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > LINK_MINUTES.max)
      throw new AppError('REQUEST_INVALID', { field: 'minutes' });
    const tokens = await query<{ id: string; role: Role }>(
      this.db,
      `SELECT id, role FROM admin_tokens WHERE operator = $1 AND revoked_at IS NULL AND expires_at > $2
       ORDER BY created_at DESC`,
      [operator, at.toISOString()],
    );
    const live = tokens.find((t) => opts.role === undefined || rank(t.role) >= rank(opts.role));
    if (!live) throw new AppError('ADMIN_LINK_NO_LIVE_TOKEN', { live: tokens.length, role: opts.role ?? null });
    const role = opts.role ?? live.role;
    const id = randomUUID();
    const token = `pbll_${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(at.getTime() + minutes * 60_000).toISOString();
    await execute(
      this.db,
      `INSERT INTO admin_login_links (id, id_hash, token_id, operator, role, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [id, hash(token), live.id, operator, role, at.toISOString(), expiresAt],
    );
    return { id, token, tokenId: live.id, role, expiresAt };
  }

  /** Whether a link would sign in now, without using it (what the confirm page shows). */
  async check(token: string, now: Date): Promise<LinkCheck> {
    const row = await this.#row(token, now);
    if (!row) return { ok: false, reason: 'link-unknown' };
    if (row.used_at !== null) return { ok: false, reason: 'link-used' };
    if (row.expires_at <= now.toISOString()) return { ok: false, reason: 'link-expired' };
    if (!Number(row.live)) return { ok: false, reason: 'token-not-live' };
    return { ok: true, linkId: row.id, operator: row.operator, role: row.role, expiresAt: row.expires_at };
  }

  /**
   * Uses the link: one conditional UPDATE, so of two presses at once only one signs in. Returns the
   * operator to start a session for, or why not.
   */
  async consume(
    token: string,
    now: Date,
  ): Promise<{ ok: true; linkId: string; operator: Operator } | { ok: false; reason: LinkRefusal }> {
    const at = now.toISOString();
    const used = await execute(
      this.db,
      `UPDATE admin_login_links SET used_at = $1 WHERE id_hash = $2 AND used_at IS NULL AND expires_at > $1
       AND EXISTS (SELECT 1 FROM admin_tokens t WHERE t.id = admin_login_links.token_id AND t.revoked_at IS NULL AND t.expires_at > $1)`,
      [at, hash(token)],
    );
    if (used === 0) {
      const why = await this.check(token, now);
      return why.ok ? { ok: false, reason: 'link-used' } : why; // ok here: another press won the race
    }
    const row = (await this.#row(token, now))!;
    return { ok: true, linkId: row.id, operator: { tokenId: row.token_id, operator: row.operator, role: row.role } };
  }

  async #row(token: string, now: Date): Promise<Row | undefined> {
    const rows = await query<Row>(
      this.db,
      `SELECT l.id, l.token_id, l.operator, l.role, l.expires_at, l.used_at,
         CASE WHEN t.revoked_at IS NULL AND t.expires_at > $2 THEN 1 ELSE 0 END AS live
       FROM admin_login_links l JOIN admin_tokens t ON t.id = l.token_id WHERE l.id_hash = $1`,
      [hash(token), now.toISOString()],
    );
    return rows[0];
  }
}
