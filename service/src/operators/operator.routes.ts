import { randomBytes } from 'node:crypto';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { LINK_TOKEN, type AdminLoginLinks } from './admin-login-links.js';
import type { AdminSessions, Session } from './admin-sessions.js';
import type { AdminTokens, Operator } from './admin-tokens.js';
import type { Ledger } from '../ledger/index.js';
import type { Clock } from '../platform/clock.js';
import { AppError } from '../platform/errors.js';
import type { JobQueue } from '../platform/queue/job-runtime.js';
import { secretEquals } from '../platform/secret-equal.js';
import { OPERATOR_CATALOGUES, type OperatorMessages } from './operator-messages.js';
import { linkPage, loginPage, statusPage } from './operator-pages.js';
import { QUEUES, recordRetry, retryFailed, type QueueName } from './queue-stats.js';
import type { StatusData } from './status.js';

export const SESSION_COOKIE = 'pb_admin';

export type OperatorRoutesDeps = {
  tokens: AdminTokens;
  sessions: AdminSessions;
  links: AdminLoginLinks;
  ledger: Ledger;
  clock: Clock;
  queue: JobQueue;
  status(): Promise<StatusData>;
  /** Behind https (PUBLIC_URL), the cookie is Secure. */
  secureCookie: boolean;
};

declare module 'express-serve-static-core' {
  interface Request {
    session?: Session;
  }
}

const LoginForm = z.object({ token: z.string().regex(/^pbat_[A-Za-z0-9_-]{43}$/) });
const LinkParams = z.object({ token: z.string().regex(LINK_TOKEN) });
const ActionForm = z.object({ _csrf: z.string().min(1).max(64) });
const form = express.urlencoded({ extended: false, limit: '2kb', parameterLimit: 5 });

/** The language asked for (?lang=), else the browser's first of sq and en, else Albanian. */
const messagesOf = (req: Request): OperatorMessages => {
  const asked = req.query.lang;
  if (asked === 'en' || asked === 'sq') return OPERATOR_CATALOGUES[asked];
  return OPERATOR_CATALOGUES[req.acceptsLanguages('sq', 'en') === 'en' ? 'en' : 'sq'];
};
const cookieOf = (req: Request): string | null =>
  /(?:^|;\s*)pb_admin=([A-Za-z0-9_-]{43})(?:;|$)/.exec(req.headers.cookie ?? '')?.[1] ?? null;
const html = (res: Response, status: number, body: string) =>
  res
    .status(status)
    .set({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'x-frame-options': 'DENY',
      // A sign-in link carries its secret in the path: never sent on as a Referer.
      'referrer-policy': 'no-referrer',
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    })
    .send(body);

/**
 * Operators in a browser: sign in with an admin token at /admin/login (a session cookie: HttpOnly,
 * SameSite=Strict, Secure behind https; 30 minutes idle, 12 hours at most), the status page at /admin,
 * sign-out. Every state-changing form carries the session's CSRF token; a viewer's session may read but
 * every write is refused on the server. Sign-ins, failed ones, sign-outs and actions are ledgered.
 */
export function operatorRoutes(deps: OperatorRoutesDeps): Router {
  const cookie = (id: string, maxAge: number) =>
    `${SESSION_COOKIE}=${id}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${deps.secureCookie ? '; Secure' : ''}`;
  const record = (kind: string, detail: Record<string, string | number>) =>
    deps.ledger.record({
      key: `${kind}/${deps.clock.now().toISOString()}/${randomBytes(6).toString('hex')}`,
      kind,
      detail,
      source: 'admin-ui',
    });

  /** A page: no session → the sign-in page. A form: no session → 401, a wrong CSRF token → 403. */
  const session =
    (kind: 'page' | 'form'): RequestHandler =>
    async (req, res, next) => {
      const id = cookieOf(req);
      const found = id ? await deps.sessions.find(id, deps.clock.now()) : null;
      if (!found) {
        if (kind === 'page') return void res.redirect(303, `/admin/login?lang=${messagesOf(req).lang}`);
        throw new AppError('ADMIN_SESSION_REQUIRED');
      }
      if (kind === 'form') {
        const body = ActionForm.safeParse(req.body);
        if (!body.success || !secretEquals(found.csrf, body.data._csrf)) throw new AppError('ADMIN_CSRF_INVALID');
      }
      req.session = found;
      next();
    };
  const operatorOnly: RequestHandler = (req, _res, next) => {
    if (req.session?.role !== 'operator')
      throw new AppError('ADMIN_ROLE_FORBIDDEN', { role: req.session?.role ?? null });
    next();
  };

  /** The session begins: cookie set, ledgered, on to the status page. Both ways of signing in end here. */
  const signIn = async (res: Response, m: OperatorMessages, operator: Operator, via: Record<string, string>) => {
    const { id } = await deps.sessions.begin(operator, deps.clock.now());
    await record('ops.signed-in', {
      operator: operator.operator,
      role: operator.role,
      tokenId: operator.tokenId,
      ...via,
    });
    res.setHeader('set-cookie', cookie(id, 12 * 3600)).redirect(303, `/admin?lang=${m.lang}`);
  };

  return (
    Router()
      .get('/admin/login', (req, res) => void html(res, 200, loginPage(messagesOf(req), null)))
      .post('/admin/login', form, async (req, res) => {
        const m = messagesOf(req);
        const given = LoginForm.safeParse(req.body);
        const operator = given.success ? await deps.tokens.find(given.data.token) : null;
        if (!operator) {
          // 401 counts against the address's failed-authentication budget (rate-limits.ts).
          await record('ops.sign-in-failed', { reason: given.success ? 'token-not-live' : 'not-a-token' });
          return void html(res, 401, loginPage(m, 'token'));
        }
        await signIn(res, m, operator, {});
      })
      // A one-time link (admin login-link). GET only shows a button, so a link previewer cannot use it up;
      // the POST uses it. A link that does not work is a 401 (the failed-authentication budget, as a bad token).
      .get('/admin/login/:token', async (req, res) => {
        const m = messagesOf(req);
        const given = LinkParams.safeParse(req.params);
        const link = given.success
          ? await deps.links.check(given.data.token, deps.clock.now())
          : ({ ok: false, reason: 'link-unknown' } as const);
        if (!link.ok) return void html(res, 401, loginPage(m, link.reason));
        html(res, 200, linkPage(m, { ...link, token: given.data!.token }));
      })
      .post('/admin/login/:token', form, async (req, res) => {
        const m = messagesOf(req);
        const given = LinkParams.safeParse(req.params);
        const used = given.success
          ? await deps.links.consume(given.data.token, deps.clock.now())
          : ({ ok: false, reason: 'link-unknown' } as const);
        if (!used.ok) {
          await record('ops.sign-in-failed', { reason: used.reason, via: 'login-link' });
          return void html(res, 401, loginPage(m, used.reason));
        }
        await signIn(res, m, used.operator, { via: 'login-link', linkId: used.linkId });
      })
      .post('/admin/logout', form, session('form'), async (req, res) => {
        await deps.sessions.end(cookieOf(req)!, deps.clock.now());
        await record('ops.signed-out', { operator: req.session!.operator, tokenId: req.session!.tokenId });
        res.setHeader('set-cookie', cookie('', 0)).redirect(303, `/admin/login?lang=${messagesOf(req).lang}`);
      })
      .get('/admin', session('page'), async (req, res) => {
        const m = messagesOf(req);
        const retried = Number(req.query.retried);
        html(
          res,
          200,
          statusPage(
            m,
            await deps.status(),
            req.session!,
            Number.isInteger(retried) && retried >= 0 && req.query.retried !== undefined ? m.retried(retried) : null,
          ),
        );
      })
      .post('/admin/queues/:queue/retry-failed', form, session('form'), operatorOnly, async (req, res) => {
        const name = QUEUES.find((q) => q === req.params.queue) as QueueName | undefined;
        if (!name) throw new AppError('REQUEST_INVALID', { field: 'queue' });
        const retried = await retryFailed(deps.queue, [name]);
        await recordRetry(deps.ledger, `admin/${req.session!.operator}`, retried, deps.clock.now(), 'admin-ui');
        res.redirect(303, `/admin?lang=${messagesOf(req).lang}&retried=${retried[name]?.length ?? 0}`);
      })
  );
}
