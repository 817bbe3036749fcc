import fc from 'fast-check';
import { CANARY } from './proof.js';

/**
 * What each route takes, for the hostile-input and attack suites. Every route the app serves must
 * have an entry (the suites fail naming any route without one): a route added anywhere joins here
 * with its auth and, when it takes them, a near-valid sample body and near-valid path parameters.
 * The generators mutate those; the generic hostile strings, bodies, queries and headers do the rest.
 */
export type Auth = 'none' | 'signed' | 'admin' | 'signed-or-admin' | 'link' | 'webhook' | 'session';
export type RouteInput = {
  auth: Auth;
  /** A valid-looking body, mutated field by field by the generator. */
  sample?: Record<string, unknown>;
  /** Near-valid values per path parameter (the generator also sends hostile ones). */
  params?: Record<string, fc.Arbitrary<string>>;
  /** Why this route writes to the ledger even when it refuses (the hostile suite then allows it). */
  ledgersRefusals?: string;
};

const uuid = fc.uuid();
const hex32 = fc.stringMatching(/^[0-9a-f]{32}$/);
const token = fc
  .tuple(fc.stringMatching(/^[A-Za-z0-9_-]{22}$/), fc.stringMatching(/^[A-Za-z0-9_-]{22}$/))
  .map(([a, b]) => `${a}.${b}`);
const loginLink = fc.stringMatching(/^[A-Za-z0-9_-]{43}$/).map((s) => `pbll_${s}`);
const queue = fc.constantFrom('sync', 'consent', 'delivery', 'dsr', 'ledger');
const jobId = fc.oneof(fc.stringMatching(/^[a-z]{2,8}-[0-9]{1,6}$/), fc.nat().map(String));
const consent = {
  subject: { email: CANARY.email, visitorId: 'v'.repeat(20) },
  source: 'banner',
  decisions: [{ purpose: 'marketing', decision: 'granted' }],
  policyVersion: 'icbt-pp-1',
  gpc: false,
  locale: 'sq',
  at: '2026-11-20T10:00:00.000Z',
};
const dsr = {
  kind: 'erasure',
  email: CANARY.email,
  identity: { verified: true, method: 'wordpress-email-confirmation' },
};

export const ROUTE_INPUTS: Record<string, RouteInput> = {
  'GET /': { auth: 'none' },
  'GET /readme': { auth: 'none' },
  'GET /healthz': { auth: 'none' },
  'GET /readyz': { auth: 'none' },
  'GET /metrics': { auth: 'admin' },
  'GET /v1/ping': { auth: 'signed' },
  'GET /v1/ledger/status': { auth: 'signed' },
  'GET /v1/admin/queues': { auth: 'signed' },
  'GET /v1/site-health': { auth: 'signed' },
  'GET /v1/admin/requests': { auth: 'signed' },
  'POST /v1/account/consents': { auth: 'signed', sample: { email: CANARY.email } },
  'POST /v1/account/requests': { auth: 'signed', sample: { email: CANARY.email } },
  'POST /v1/account/erasure-preview': { auth: 'signed', sample: { email: CANARY.email } },
  'GET /v1/policy/current': { auth: 'none' },
  'GET /v1/policy/versions': { auth: 'none' },
  'GET /v1/policy/reconsent': { auth: 'admin' },
  'POST /v1/consents': { auth: 'signed', sample: consent },
  'GET /v1/consents/receipts/:id': { auth: 'link', params: { id: hex32 } },
  'POST /v1/unsubscribe-links': { auth: 'signed', sample: { email: CANARY.email } },
  'GET /v1/unsubscribe/:token': { auth: 'link', params: { token } },
  'POST /v1/unsubscribe/:token': { auth: 'link', params: { token } },
  'POST /v1/suppression/check': { auth: 'signed', sample: { email: CANARY.email } },
  'POST /v1/admin/consents/search': { auth: 'signed', sample: { email: CANARY.email } },
  'GET /v1/subjects/consents': { auth: 'admin' },
  'POST /v1/subjects/consents/withdrawals': { auth: 'admin', sample: { email: CANARY.email, purposes: ['marketing'] } },
  'POST /v1/requests': { auth: 'signed-or-admin', sample: dsr },
  'GET /v1/requests/:id': { auth: 'admin', params: { id: uuid } },
  'POST /v1/requests/:id/verify': { auth: 'admin', params: { id: uuid } },
  'POST /v1/requests/:id/extend': {
    auth: 'admin',
    params: { id: uuid },
    sample: { months: 2, reason: 'complex request' },
  },
  'POST /v1/requests/:id/refuse': { auth: 'admin', params: { id: uuid }, sample: { reason: 'manifestly unfounded' } },
  'GET /v1/requests/:id/receipts/:pass': { auth: 'link', params: { id: uuid, pass: fc.nat({ max: 5 }).map(String) } },
  'GET /v1/exports/:id': { auth: 'link', params: { id: uuid } },
  'POST /v1/disclosures': {
    auth: 'admin',
    sample: {
      recipient: 'Policia e Shtetit',
      legalBasis: 'court order 12/2026',
      categories: ['contact'],
      subjects: [CANARY.email],
    },
  },
  'POST /v1/privacy-tools/export': { auth: 'signed', sample: { email: CANARY.email, cursor: null } },
  'POST /v1/privacy-tools/erase': { auth: 'signed', sample: { email: CANARY.email, cursor: null } },
  'GET /admin/login': { auth: 'none' },
  'POST /admin/login': {
    auth: 'none',
    sample: { token: `pbat_${'x'.repeat(43)}` },
    ledgersRefusals: 'a failed sign-in is ledgered (issue 18); the failed-authentication limit bounds how often',
  },
  'GET /admin/login/:token': { auth: 'link', params: { token: loginLink } },
  'POST /admin/login/:token': {
    auth: 'link',
    params: { token: loginLink },
    ledgersRefusals:
      'a sign-in link that does not work is a failed sign-in, ledgered; the failed-authentication limit bounds how often',
  },
  'POST /admin/logout': { auth: 'session', sample: { _csrf: 'x'.repeat(32) } },
  'GET /admin': { auth: 'session' },
  'POST /admin/queues/:queue/retry-failed': { auth: 'session', params: { queue }, sample: { _csrf: 'x'.repeat(32) } },
  'GET /admin/queues': { auth: 'session' },
  'GET /admin/requests/:id': { auth: 'session', params: { id: fc.uuid() } },
  'POST /v1/plugin/heartbeat': { auth: 'signed', sample: { outbox: { pending: 3, refused: 0, oldestAgeSeconds: 12 } } },
  'GET /admin/queues/:queue': { auth: 'session', params: { queue } },
  'POST /admin/queues/:queue/pause': { auth: 'session', params: { queue }, sample: { _csrf: 'x'.repeat(32) } },
  'POST /admin/queues/:queue/resume': { auth: 'session', params: { queue }, sample: { _csrf: 'x'.repeat(32) } },
  'POST /admin/queues/:queue/clean': {
    auth: 'session',
    params: { queue },
    sample: { _csrf: 'x'.repeat(32), state: 'completed', olderThanHours: '24' },
  },
  'POST /admin/queues/:queue/jobs/:id/retry': {
    auth: 'session',
    params: { queue, id: jobId },
    sample: { _csrf: 'x'.repeat(32) },
  },
  'POST /admin/queues/:queue/jobs/:id/promote': {
    auth: 'session',
    params: { queue, id: jobId },
    sample: { _csrf: 'x'.repeat(32) },
  },
  'POST /admin/queues/:queue/jobs/:id/remove': {
    auth: 'session',
    params: { queue, id: jobId },
    sample: { _csrf: 'x'.repeat(32) },
  },
  'POST /webhooks/woocommerce': {
    auth: 'webhook',
    sample: {
      id: 4242,
      billing: { email: CANARY.email, phone: CANARY.phone, first_name: 'Kanarina' },
      date_modified_gmt: '2026-11-20T10:00:00',
    },
  },
};
