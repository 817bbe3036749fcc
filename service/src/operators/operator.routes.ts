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
import { boardOverviewPage, boardQueuePage, linkPage, loginPage, requestPage, statusPage } from './operator-pages.js';
import {
  actOnJob,
  CLEAN_LIMITS,
  CLEAN_STATES,
  cleanJobs,
  JOB_ACTIONS,
  recordQueueAction,
  setPaused,
  type JobAction,
} from './queue-actions.js';
import { BOARD_MAX_PAGE, BOARD_STATES, boardPage, boardQueues, JobId } from './queue-board.js';
import { QUEUES, recordRetry, retryFailed } from './queue-stats.js';
import type { RequestTimeline, StatusData } from './status.js';

export const SESSION_COOKIE = 'pb_admin';

export type OperatorRoutesDeps = {
  tokens: AdminTokens;
  sessions: AdminSessions;
  links: AdminLoginLinks;
  ledger: Ledger;
  clock: Clock;
  queue: JobQueue;
  status(): Promise<StatusData>;
  /** One request's timeline, or null when there is no such request. */
  request(id: string): Promise<RequestTimeline | null>;
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

const QueueParams = z.object({ queue: z.enum(QUEUES) });
const JobParams = z.object({ queue: z.enum(QUEUES), id: JobId });
const Page = z.coerce.number().int().min(1).max(BOARD_MAX_PAGE);
/** A board page's query; `done` and `n` say what the last action did (the notice). */
const BoardQuery = z.object({
  state: z.enum(BOARD_STATES).default('failed'),
  page: Page.default(1),
  done: z.enum([...JOB_ACTIONS, 'pause', 'resume', 'clean', 'retry-failed']).optional(),
  n: z.coerce.number().int().min(0).max(1_000_000).optional(),
});
/** Where a board form sends the browser back to (its state tab and page). */
const BackTo = z.object({
  state: z.enum(BOARD_STATES).default('failed'),
  page: Page.default(1),
  from: z.literal('board').optional(),
});
const CleanForm = z.object({
  state: z.enum(CLEAN_STATES),
  olderThanHours: z.coerce.number().int().min(CLEAN_LIMITS.minHours).max(CLEAN_LIMITS.maxHours),
});
/** Parses a request's params, query or body; 400 REQUEST_INVALID naming the fields (zod keeps the values out). */
const parse = <S extends z.ZodType>(schema: S, value: unknown): z.output<S> => {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError('REQUEST_INVALID', { fields: z.flattenError(parsed.error).fieldErrors });
  return parsed.data;
};

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
 * the queue board at /admin/queues (each queue's jobs per state at /admin/queues/:queue; retry, promote,
 * remove a job; pause, resume, clean a queue), sign-out. Every state-changing form carries the session's
 * CSRF token; a viewer's session may read but every write is refused on the server (before its input is
 * even read). Sign-ins, failed ones, sign-outs and actions are ledgered.
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

  const actor = (req: Request) => `admin/${req.session!.operator}`;
  const boardBack = (req: Request, queue: string, back: z.output<typeof BackTo>, done: string, n: number) =>
    `/admin/queues/${queue}?state=${back.state}${back.page > 1 ? `&page=${back.page}` : ''}&lang=${messagesOf(req).lang}&done=${done}&n=${n}`;

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
        const { queue: name } = parse(QueueParams, req.params);
        const back = parse(BackTo, req.query);
        const retried = await retryFailed(deps.queue, [name]);
        await recordRetry(deps.ledger, actor(req), retried, deps.clock.now(), 'admin-ui');
        const n = retried[name]?.length ?? 0;
        res.redirect(
          303,
          back.from === 'board'
            ? boardBack(req, name, back, 'retry-failed', n)
            : `/admin?lang=${messagesOf(req).lang}&retried=${n}`,
        );
      })
      .get('/admin/requests/:id', session('page'), async (req, res) => {
        const m = messagesOf(req);
        const id = z.uuid().safeParse(req.params.id);
        const view = id.success ? await deps.request(id.data) : null;
        html(res, view ? 200 : 404, requestPage(m, view, req.session!));
      })
      .get('/admin/queues', session('page'), async (req, res) => {
        const m = messagesOf(req);
        html(res, 200, boardOverviewPage(m, await boardQueues(deps.queue), req.session!, null));
      })
      .get('/admin/queues/:queue', session('page'), async (req, res) => {
        const m = messagesOf(req);
        const { queue: name } = parse(QueueParams, req.params);
        const q = parse(BoardQuery, req.query);
        const notice = q.done ? m.board.done[q.done](q.n ?? 0) : null;
        html(res, 200, boardQueuePage(m, await boardPage(deps.queue, name, q.state, q.page), req.session!, notice));
      })
      .post('/admin/queues/:queue/pause', form, session('form'), operatorOnly, pauseOrResume(true))
      .post('/admin/queues/:queue/resume', form, session('form'), operatorOnly, pauseOrResume(false))
      .post('/admin/queues/:queue/clean', form, session('form'), operatorOnly, async (req, res) => {
        const { queue: name } = parse(QueueParams, req.params);
        const back = parse(BackTo, req.query);
        const { state, olderThanHours } = parse(CleanForm, req.body);
        const jobs = await cleanJobs(deps.queue, name, state, olderThanHours);
        if (jobs.length > 0)
          await recordQueueAction(
            deps.ledger,
            actor(req),
            { kind: 'ops.jobs-cleaned', queue: name, state, olderThanHours, jobs },
            deps.clock.now(),
            'admin-ui',
          );
        res.redirect(303, boardBack(req, name, back, 'clean', jobs.length));
      })
      .post('/admin/queues/:queue/jobs/:id/retry', form, session('form'), operatorOnly, onJob('retry'))
      .post('/admin/queues/:queue/jobs/:id/promote', form, session('form'), operatorOnly, onJob('promote'))
      .post('/admin/queues/:queue/jobs/:id/remove', form, session('form'), operatorOnly, onJob('remove'))
  );

  /** Pauses or resumes a queue; ledgered when it changed. */
  function pauseOrResume(paused: boolean): RequestHandler {
    return async (req, res) => {
      const { queue: name } = parse(QueueParams, req.params);
      const back = parse(BackTo, req.query);
      if (await setPaused(deps.queue, name, paused))
        await recordQueueAction(
          deps.ledger,
          actor(req),
          { kind: paused ? 'ops.queue-paused' : 'ops.queue-resumed', queue: name },
          deps.clock.now(),
          'admin-ui',
        );
      res.redirect(303, boardBack(req, name, back, paused ? 'pause' : 'resume', 1));
    };
  }

  /** Retries, promotes or removes one job; ledgered with who, which queue and which job. */
  function onJob(action: JobAction): RequestHandler {
    return async (req, res) => {
      const { queue: name, id } = parse(JobParams, req.params);
      const back = parse(BackTo, req.query);
      const state = await actOnJob(deps.queue, name, id, action);
      const at = deps.clock.now();
      if (action === 'retry') await recordRetry(deps.ledger, actor(req), { [name]: [id] }, at, 'admin-ui');
      else
        await recordQueueAction(
          deps.ledger,
          actor(req),
          { kind: action === 'promote' ? 'ops.job-promoted' : 'ops.job-removed', queue: name, jobs: [id], state },
          at,
          'admin-ui',
        );
      res.redirect(303, boardBack(req, name, back, action, 1));
    };
  }
}
