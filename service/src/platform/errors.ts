/**
 * The one error catalogue. Codes are stable: clients, the plugin and operators match on them.
 * Messages are public and never carry personal data; details carry ids and field names only.
 */
export const ERRORS = {
  REQUEST_INVALID: { status: 400, message: 'The request does not match the contract.' },
  BODY_MALFORMED: { status: 400, message: 'The request body is not valid JSON.' },
  BODY_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  NOT_FOUND: { status: 404, message: 'No such route.' },
  UNAUTHENTICATED: { status: 401, message: 'Authentication is required.' },
  WEBHOOK_SIGNATURE_INVALID: { status: 401, message: 'The webhook signature did not verify.' },
  SIGNATURE_MISSING: { status: 401, message: 'The message is not signed.' },
  SIGNATURE_INVALID: { status: 401, message: 'The message signature did not verify.' },
  SIGNATURE_EXPIRED: { status: 401, message: 'The message timestamp is outside the accepted window.' },
  MESSAGE_REPLAYED: { status: 401, message: 'This message id was used already.' },
  ADMIN_TOKEN_INVALID: { status: 401, message: 'A valid admin token is required.' },
  SERVICE_NOT_READY: { status: 503, message: 'The service is not ready.' },
  LEDGER_CHAIN_BROKEN: { status: 500, message: 'Ledger verification failed.' },
  LEDGER_KEY_UNAVAILABLE: { status: 500, message: 'A ledger data key could not be unwrapped with the configured master keys.' },
  LEDGER_ENTRY_INVALID: { status: 500, message: 'A ledger entry was rejected before it was written.' },
  CONFIG_INVALID: { status: 500, message: 'The configuration is invalid.' },
  REDIS_UNAVAILABLE: { status: 503, message: 'Redis is not reachable.' },
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
