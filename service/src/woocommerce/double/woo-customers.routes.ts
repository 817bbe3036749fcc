import { ERR, INVALID_EMAIL } from './woo-errors.js';
import { paginationHeaders } from './woo-http.js';
import { mergeAddress, mergeMeta, validateAddressEmail } from './woo-order-writes.js';
import { foldForSearch, isEmail, ParamReader } from './woo-params.js';
import { EMPTY_ADDRESS, type CustomerRecord } from './woo-records.js';
import { renderCustomer } from './woo-render.js';
import { ALLOW_COLLECTION, ALLOW_ITEM, type RouteDef, type WooCtx } from './woo-router.js';

const ROLES = [
  'all',
  'administrator',
  'editor',
  'author',
  'contributor',
  'subscriber',
  'customer',
  'shop_manager',
] as const;
const ORDERBY = ['id', 'include', 'name', 'registered_date'] as const;

/** `GET /wc/v3/customers`: WP_User_Query; role customer by default; unknown params (modified_after) ignored. */
function listCustomers(ctx: WooCtx) {
  const p = new ParamReader(ctx.query);
  const page = p.int('page', 1, 1);
  const perPage = p.int('per_page', 10, 1, 100);
  const orderby = p.oneOf('orderby', ORDERBY, 'name');
  const order = p.oneOf('order', ['asc', 'desc'] as const, 'asc');
  const role = p.oneOf('role', ROLES, 'customer');
  const email = p.email('email');
  const needle = foldForSearch(p.string('search') ?? '');
  const include = p.ids('include');
  const exclude = p.ids('exclude');
  p.done();
  ctx.authorize();

  const dir = order === 'asc' ? 1 : -1;
  const sortKey = (c: CustomerRecord): string | number =>
    orderby === 'name'
      ? c.username.toLowerCase()
      : orderby === 'registered_date'
        ? c.created
        : orderby === 'include'
          ? (include?.indexOf(c.id) ?? c.id)
          : c.id;
  const rows = [...ctx.store.customers.values()]
    .filter(
      (c) =>
        (role === 'all' || c.role === role) &&
        (!email || c.email.toLowerCase() === email.toLowerCase()) &&
        (!include || include.includes(c.id)) &&
        (!exclude || !exclude.includes(c.id)) &&
        (!needle ||
          [c.username, c.email, `${c.first_name} ${c.last_name}`].some((v) => foldForSearch(v).includes(needle))),
    )
    .sort((a, b) => {
      const [x, y] = [sortKey(a), sortKey(b)];
      return x === y ? (a.id - b.id) * dir : (x < y ? -1 : 1) * dir;
    });
  let [total, totalPages] = [rows.length, Math.ceil(rows.length / perPage)];
  const slice = rows.slice((page - 1) * perPage, page * perPage);
  if (page > totalPages && total > 0) [total, totalPages] = [0, 0];
  return {
    body: slice.map((c) => renderCustomer(c, ctx.render())),
    headers: paginationHeaders({
      home: ctx.home,
      route: 'wc/v3/customers',
      query: ctx.query,
      page,
      total,
      totalPages,
      defaults: [],
      arrayParams: ['include', 'exclude'],
    }),
  };
}

const customerOr404 = (ctx: WooCtx): CustomerRecord => {
  const c = ctx.store.customers.get(Number(ctx.match[1]));
  if (!c) throw ERR.customerNotFound();
  return c;
};

function updateCustomer(ctx: WooCtx) {
  ctx.authorize();
  const c = customerOr404(ctx);
  const body = ctx.body;
  if (typeof body.username === 'string' && body.username !== c.username) throw ERR.usernameReadonly();
  validateAddressEmail(body, 'billing');
  if ('email' in body && !isEmail(String(body.email))) throw ERR.invalidParams({ email: INVALID_EMAIL });
  const patch: Partial<CustomerRecord> = {};
  for (const k of ['email', 'first_name', 'last_name'] as const)
    if (typeof body[k] === 'string') patch[k] = body[k] as string;
  if ('billing' in body) patch.billing = mergeAddress(c.billing, body.billing);
  if ('shipping' in body) patch.shipping = mergeAddress(c.shipping, body.shipping);
  if ('meta_data' in body) patch.meta_data = mergeMeta(ctx.store, c.meta_data, body.meta_data, 'userMeta');
  return { body: renderCustomer(ctx.store.updateCustomer(c.id, patch), ctx.render()) };
}

export function customerRoutes(): RouteDef[] {
  return [
    {
      path: /^\/wc\/v3\/customers\/?$/,
      allow: ALLOW_COLLECTION,
      methods: {
        GET: { perm: 'list', handle: listCustomers },
        POST: {
          perm: 'create',
          handle(ctx) {
            const body = ctx.body;
            if (typeof body.email !== 'string' || !isEmail(body.email))
              throw ERR.invalidParams({ email: INVALID_EMAIL });
            validateAddressEmail(body, 'billing');
            ctx.authorize();
            if ([...ctx.store.customers.values()].some((c) => c.email === body.email)) throw ERR.customerEmailExists();
            const now = ctx.store.nowGmt();
            const record: CustomerRecord = {
              id: ctx.store.next('user'),
              email: body.email,
              first_name: String(body.first_name ?? ''),
              last_name: String(body.last_name ?? ''),
              role: 'customer',
              username: typeof body.username === 'string' ? body.username : body.email.split('@')[0]!,
              billing: mergeAddress({ ...EMPTY_ADDRESS, email: '' }, body.billing),
              shipping: mergeAddress(EMPTY_ADDRESS, body.shipping),
              is_paying_customer: false,
              meta_data: mergeMeta(ctx.store, [], body.meta_data, 'userMeta'),
              created: now,
              modified: now,
            };
            ctx.store.putCustomer(record, 'created');
            return {
              status: 201,
              body: renderCustomer(record, ctx.render()),
              headers: { Location: `${ctx.home}/wp-json/wc/v3/customers/${record.id}` },
            };
          },
        },
      },
    },
    {
      path: /^\/wc\/v3\/customers\/(\d+)\/?$/,
      allow: ALLOW_ITEM,
      methods: {
        GET: {
          perm: 'view',
          handle: (ctx) => {
            ctx.authorize();
            return { body: renderCustomer(customerOr404(ctx), ctx.render()) };
          },
        },
        POST: { perm: 'edit', handle: updateCustomer },
        PUT: { perm: 'edit', handle: updateCustomer },
        PATCH: { perm: 'edit', handle: updateCustomer },
        DELETE: {
          perm: 'delete',
          handle(ctx) {
            const force = new ParamReader(ctx.query).bool('force', false);
            ctx.authorize();
            const c = customerOr404(ctx);
            if (!force) throw ERR.customerTrash();
            const body = renderCustomer(c, ctx.render());
            ctx.store.deleteCustomer(c.id);
            return { body };
          },
        },
      },
    },
  ];
}
