/**
 * The one error catalogue. Codes are stable: clients, the plugin and operators match on them.
 * Messages are public and never carry personal data; details carry ids and field names only.
 */
export const ERRORS = {
  REQUEST_INVALID: { status: 400, message: 'The request does not match the contract.' },
  BODY_MALFORMED: { status: 400, message: 'The request body is not valid JSON.' },
  PATH_MALFORMED: { status: 400, message: 'The request path is not valid (a malformed percent-encoding).' },
  BODY_ENCODING_UNSUPPORTED: {
    status: 415,
    message: 'The request body must not be compressed (Content-Encoding other than identity).',
  },
  BODY_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; try again after the time in Retry-After.' },
  NOT_FOUND: { status: 404, message: 'No such route.' },
  UNAUTHENTICATED: { status: 401, message: 'Authentication is required.' },
  WEBHOOK_SIGNATURE_INVALID: { status: 401, message: 'The webhook signature did not verify.' },
  SIGNATURE_MISSING: { status: 401, message: 'The message is not signed.' },
  SIGNATURE_INVALID: { status: 401, message: 'The message signature did not verify.' },
  SIGNATURE_EXPIRED: { status: 401, message: 'The message timestamp is outside the accepted window.' },
  MESSAGE_REPLAYED: { status: 401, message: 'This message id was used already.' },
  ADMIN_TOKEN_INVALID: { status: 401, message: 'A valid admin token is required.' },
  ADMIN_SESSION_REQUIRED: { status: 401, message: 'Sign in at /admin/login first (or your session ended).' },
  ADMIN_CSRF_INVALID: {
    status: 403,
    message: 'The form is stale or was not sent from this site: reload the page and try again.',
  },
  ADMIN_LINK_UNKNOWN: { status: 401, message: 'This sign-in link is not valid.' },
  ADMIN_LINK_USED: { status: 401, message: 'This sign-in link was used already: each link works once.' },
  ADMIN_LINK_EXPIRED: { status: 401, message: 'This sign-in link has expired.' },
  ADMIN_LINK_TOKEN_NOT_LIVE: {
    status: 401,
    message: 'The admin token behind this sign-in link was revoked or expired.',
  },
  ADMIN_LINK_NO_LIVE_TOKEN: {
    status: 409,
    message: 'The operator has no live admin token with that role: create one with admin token create first.',
  },
  ADMIN_ROLE_FORBIDDEN: { status: 403, message: "A viewer may read but not act: an operator's token is needed." },
  ADMIN_JOB_NOT_FOUND: {
    status: 404,
    message: 'No such job in this queue: it was removed or cleaned meanwhile (reload the board).',
  },
  ADMIN_JOB_STATE_CONFLICT: {
    status: 409,
    message:
      'The job is not in a state this action applies to (retry: failed, promote: delayed, remove: not running); reload the board.',
  },
  CONSENT_SUBJECT_MISSING: { status: 422, message: 'A consent needs an email, a WordPress user id or a visitor id.' },
  CONSENT_POLICY_VERSION_UNKNOWN: { status: 422, message: 'No policy version with this label has been published.' },
  CONSENT_PURPOSE_UNKNOWN: { status: 422, message: 'The policy has no consent purpose with this id.' },
  CONSENT_PURPOSE_NOT_CONSENTABLE: {
    status: 422,
    message: 'Necessary purposes do not rest on consent and cannot be granted or denied.',
  },
  CONSENT_PURPOSE_REPEATED: { status: 422, message: 'A consent names the same purpose twice.' },
  CONSENT_TIME_IN_FUTURE: { status: 422, message: 'A consent cannot be dated in the future.' },
  CONSENT_RECEIPT_NOT_FOUND: { status: 404, message: 'No such consent receipt, or the link is not valid.' },
  CONSENT_SUBJECT_ERASED: { status: 410, message: "This person's consent records were erased." },
  UNSUBSCRIBE_TOKEN_INVALID: { status: 404, message: 'This unsubscribe link is not valid.' },
  POLICY_VERSION_CONFLICT: {
    status: 409,
    message: 'A policy version with this label was published with another text.',
  },
  POLICY_VERSION_NONE: { status: 404, message: 'No policy version is in effect yet.' },
  POLICY_VERSION_INVALID: { status: 400, message: 'The policy version is not valid (label, date or file).' },
  DSR_REQUEST_NOT_FOUND: { status: 404, message: 'No such data request.' },
  DSR_TRANSITION_INVALID: { status: 409, message: 'The data request cannot move to that state from its current one.' },
  DSR_NOTHING_TO_RETRY: {
    status: 409,
    message:
      'The data request has nothing to retry: it is running, has not started, was refused, or its flow finished.',
  },
  DSR_ALREADY_EXTENDED: {
    status: 409,
    message: 'The deadline of this data request was extended already; it can be extended once.',
  },
  DSR_EXTENSION_TOO_LONG: { status: 422, message: 'The extension is longer than the configured maximum.' },
  DSR_CORRECTIONS_MISSING: { status: 422, message: 'A rectification request needs the corrected fields.' },
  DSR_EXPORT_NOT_FOUND: { status: 404, message: 'No such export, or the link is not valid or has expired.' },
  DSR_RECEIPT_NOT_FOUND: { status: 404, message: 'No such receipt, or the link is not valid.' },
  DSR_CURSOR_INVALID: {
    status: 400,
    message: 'The paging cursor is not valid for this address; start again from the first page.',
  },
  DSR_CONNECTOR_UNAVAILABLE: {
    status: 503,
    message: 'No WooCommerce store or plugin is configured to carry out data requests.',
  },
  STORAGE_UNAVAILABLE: {
    status: 503,
    message: 'The database files cannot be used safely (not writable, truncated or replaced); nothing was changed.',
  },
  SERVICE_NOT_READY: { status: 503, message: 'The service is not ready.' },
  LEDGER_CHAIN_BROKEN: { status: 500, message: 'Ledger verification failed.' },
  LEDGER_KEY_UNAVAILABLE: {
    status: 500,
    message: 'A ledger data key could not be unwrapped with the configured master keys.',
  },
  LEDGER_ENTRY_INVALID: { status: 500, message: 'A ledger entry was rejected before it was written.' },
  CONFIG_INVALID: { status: 500, message: 'The configuration is invalid.' },
  WOO_AUTH_FAILED: {
    status: 502,
    message: 'WooCommerce refused the API key (check the consumer key, secret and permissions).',
  },
  WOO_NOT_FOUND: { status: 404, message: 'WooCommerce has no such resource.' },
  WOO_PARAM_REJECTED: { status: 502, message: 'WooCommerce rejected a request parameter.' },
  WOO_UNAVAILABLE: { status: 503, message: 'WooCommerce answered with an error; try again later.' },
  WOO_UNREACHABLE: { status: 503, message: 'WooCommerce could not be reached.' },
  WOO_INSECURE_URL: {
    status: 500,
    message:
      'Refusing plain http to a WooCommerce host that is not loopback (set WOOCOMMERCE_ALLOW_INSECURE_HTTP=true to allow).',
  },
  WOO_NOT_CONFIGURED: { status: 503, message: 'No WooCommerce store is configured.' },
  REDIS_UNAVAILABLE: { status: 503, message: 'Redis is not reachable.' },
  WEBHOOK_NOT_KEPT: {
    status: 503,
    message: 'Neither the queue nor the database can keep the delivery now; send it again later.',
  },
  INTERNAL: { status: 500, message: 'Something went wrong on our side.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly details?: Record<string, unknown>,
    options?: ErrorOptions,
  ) {
    super(ERRORS[code].message, options);
    this.name = 'AppError';
    this.status = ERRORS[code].status;
  }
}

/**
 * An error as it crosses from a worker thread: an AppError as its code and details (safe by
 * construction), any other error as its name and message. `errorOf` makes it an error again.
 */
export type ErrorReport = { code: ErrorCode; details?: Record<string, unknown> } | { name: string; message: string };

export function reportOf(err: unknown): ErrorReport {
  if (err instanceof AppError) return { code: err.code, details: err.details };
  return { name: (err as Error)?.name ?? 'Error', message: String((err as Error)?.message ?? err) };
}

export function errorOf(report: ErrorReport): Error {
  return 'code' in report
    ? new AppError(report.code, report.details)
    : Object.assign(new Error(report.message), { name: report.name });
}
