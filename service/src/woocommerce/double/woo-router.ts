import type { Request, RequestHandler, Response } from 'express';
import type { ApiKey, WooAuthenticator } from './woo-double-auth.js';
import { ERR, WooRestError } from './woo-errors.js';
import { parsePhpQuery, rawQueryOf, sendWp, sendWpError, type PhpQuery } from './woo-http.js';
import type { RenderContext, SiteSettings } from './woo-render.js';
import type { WooStore } from './woo-store.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** Which WooCommerce permission callback guards a handler (decides the anonymous 401 body). */
export type Perm = 'list' | 'view' | 'create' | 'edit' | 'delete' | 'batch' | 'public';

export type WooCtx = {
  req: Request;
  query: PhpQuery;
  body: Record<string, unknown>;
  home: string;
  store: WooStore;
  site: SiteSettings;
  match: string[];
  key: ApiKey | null;
  render: (extra?: Partial<RenderContext>) => RenderContext;
  /** Call after validating parameters: WordPress validates before it checks permissions. */
  authorize(): void;
};
export type WooResult = { status?: number; body: unknown; headers?: Record<string, string> };
export type Handler = { perm: Perm; handle(ctx: WooCtx): WooResult | Promise<WooResult> };
export type RouteDef = { path: RegExp; allow: string; methods: Partial<Record<Method, Handler>> };

const DENY: Record<Exclude<Perm, 'public'>, () => WooRestError> = {
  list: ERR.cannotList,
  view: ERR.cannotView,
  create: ERR.cannotCreate,
  edit: ERR.cannotEdit,
  delete: ERR.cannotDelete,
  batch: ERR.cannotBatch,
};

export type RouterDeps = {
  routes: readonly RouteDef[];
  store: WooStore;
  site: SiteSettings;
  auth: WooAuthenticator;
  /** Home URL used in links and OAuth base strings; default: derived from the request's Host. */
  homeFor(req: Request): string;
};

/**
 * One middleware that plays WordPress's REST server: rest_route fallback, WooCommerce
 * authentication (only for URIs containing `wp-json/wc/` or `wp-json/wc-`), route match
 * (`rest_no_route` otherwise), parameter validation, permission check, JSON output.
 */
export function wooRouter(deps: RouterDeps): RequestHandler {
  return async (req: Request, res: Response) => {
    const home = deps.homeFor(req);
    const query = parsePhpQuery(rawQueryOf(req));
    const restRoute = req.path === '/' ? query.get('rest_route') : undefined;
    const route = typeof restRoute === 'string' ? restRoute : req.path.replace(/^\/wp-json(?=\/|$)/, '') || '/';
    if (typeof restRoute !== 'string' && !/^\/wp-json(\/|$)/.test(req.path)) {
      sendWpError(res, ERR.noRoute(), { home });
      return;
    }
    query.delete('rest_route');
    let allow: string | undefined;
    try {
      // is_request_to_rest_api(): the ?rest_route= fallback never authenticates API keys.
      const apiUri = /\/wp-json\/wc[/-]/.test(req.originalUrl.split('?')[0]!);
      const { key } = apiUri ? deps.auth.authenticate(req, query, home) : { key: null };
      const def = deps.routes.find((r) => r.path.test(route));
      const match = def ? def.path.exec(route)! : null;
      const handler = def?.methods[req.method as Method];
      if (!def || !handler || !match) throw ERR.noRoute();
      allow = def.allow;
      const ctx: WooCtx = {
        req,
        query,
        home,
        store: deps.store,
        site: deps.site,
        match: [...match],
        key,
        body: isObject(req.body) ? req.body : {},
        render: (extra) => ({ home, site: deps.site, currentUserId: key?.userId ?? 1, ...extra }),
        authorize: () => {
          if (handler.perm !== 'public' && !key) throw DENY[handler.perm]();
        },
      };
      const result = await handler.handle(ctx);
      ctx.authorize(); // handlers that forgot to call it still get checked
      sendWp(res, result.status ?? 200, result.body, { home, allow, headers: result.headers });
    } catch (err) {
      if (!(err instanceof WooRestError)) throw err;
      sendWpError(res, err, { home, allow });
    }
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const ALLOW_COLLECTION = 'GET, POST';
export const ALLOW_ITEM = 'GET, POST, PUT, PATCH, DELETE';
