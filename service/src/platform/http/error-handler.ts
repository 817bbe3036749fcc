import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { AppError } from '../errors.js';
import type { Logger } from '../log/logger.js';

/** body-parser's own errors, mapped to our codes; their messages can quote the body, so they are dropped. */
function fromParserError(err: { type?: string; status?: number }): AppError | null {
  // The router's decodeURIComponent of a path parameter (`%E0%A4%A`): the client's mistake, not ours.
  if (err instanceof URIError) return new AppError('PATH_MALFORMED');
  if (err.type === 'entity.too.large') return new AppError('BODY_TOO_LARGE');
  if (err.type === 'entity.parse.failed') return new AppError('BODY_MALFORMED');
  if (typeof err.type === 'string' && err.status && err.status < 500)
    return new AppError('REQUEST_INVALID', { reason: err.type });
  return null;
}

/** The matched route's pattern (`/v1/requests/:id`) or `unmatched`: what logs and metrics name, never the path. */
export const routeOf = (req: Request): string =>
  typeof req.route?.path === 'string' ? (req.route.path as string) : 'unmatched';

/** The only place errors become responses: `{ code, message, details }`, never a stack or a value. */
export const errorHandler =
  (log: Logger): ErrorRequestHandler =>
  (err, req, res, _next) => {
    const error =
      err instanceof AppError ? err : (fromParserError(err) ?? new AppError('INTERNAL', undefined, { cause: err }));
    const fields = { code: error.code, method: req.method, route: routeOf(req), err: error.cause ?? undefined };
    if (error.status >= 500) log.error(fields, 'request failed');
    else log.warn(fields, 'request refused');
    if (res.headersSent) return;
    res
      .status(error.status)
      .json({ code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) });
  };

export const notFound: RequestHandler = (_req, _res, next) => next(new AppError('NOT_FOUND'));
