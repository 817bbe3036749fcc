/**
 * WordPress/WooCommerce REST error bodies, word for word as captured in
 * test/fixtures/woocommerce (codes are WooCommerce's constants; messages are its English strings).
 */
export type WpErrorBody = { code: string; message: string; data: Record<string, unknown> };

export class WooRestError extends Error {
  constructor(
    readonly status: number,
    readonly body: WpErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
    this.name = 'WooRestError';
  }
}

const error = (status: number, code: string, message: string, extra: Record<string, unknown> = {}) =>
  new WooRestError(status, { code, message, data: { status, ...extra } });

export const ERR = {
  noRoute: () => error(404, 'rest_no_route', 'No route was found matching the URL and request method.'),
  cannotList: () => error(401, 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.'),
  cannotView: () => error(401, 'woocommerce_rest_cannot_view', 'Sorry, you cannot view this resource.'),
  cannotCreate: () => error(401, 'woocommerce_rest_cannot_create', 'Sorry, you are not allowed to create resources.'),
  cannotEdit: () => error(401, 'woocommerce_rest_cannot_edit', 'Sorry, you are not allowed to edit this resource.'),
  cannotDelete: () =>
    error(401, 'woocommerce_rest_cannot_delete', 'Sorry, you are not allowed to delete this resource.'),
  cannotBatch: () =>
    error(401, 'woocommerce_rest_cannot_batch', 'Sorry, you are not allowed to batch manipulate this resource.'),
  auth: (message: string) => error(401, 'woocommerce_rest_authentication_error', message),
  orderNotFound: () => error(404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.'),
  customerNotFound: () => error(404, 'woocommerce_rest_invalid_id', 'Invalid resource ID.'),
  orderIdInvalid: () => error(404, 'woocommerce_rest_order_invalid_id', 'Invalid order ID.'),
  noteNotFound: () => error(404, 'woocommerce_rest_invalid_id', 'Invalid resource ID.'),
  refundNotFound: () => error(404, 'woocommerce_rest_shop_order_refund_invalid_id', 'Invalid ID.'),
  /** UNCONFIRMED: no Bookings fixture; mirrors WooCommerce's CRUD controller message. */
  bookingNotFound: () => error(404, 'woocommerce_rest_wc_booking_invalid_id', 'Invalid ID.'),
  customerTrash: () => error(501, 'woocommerce_rest_trash_not_supported', 'Customers do not support trashing.'),
  /** Notes and refunds need force=true too (message UNCONFIRMED: no fixture). */
  trashNotSupported: (what: string) =>
    error(501, 'woocommerce_rest_trash_not_supported', `${what} do not support trashing.`),
  usernameReadonly: () => error(400, 'woocommerce_rest_customer_invalid_argument', "Username isn't editable."),
  customerEmailExists: () =>
    error(
      400,
      'registration-error-email-exists',
      'An account is already registered with your email address. <a href="#" class="showlogin">Please log in.</a>',
    ),
  invalidProduct: () => error(400, 'woocommerce_rest_invalid_product_id', 'Product ID provided is not valid.'),
  alreadyTrashed: () => error(410, 'woocommerce_rest_already_trashed', 'The order has already been deleted.'),
  refundTooLarge: () => error(500, 'woocommerce_rest_cannot_create_order_refund', 'Invalid refund amount.'),
  batchTooLarge: (limit: number) =>
    error(
      413,
      'woocommerce_rest_request_entity_too_large',
      `Unable to accept more than ${limit} items for this request.`,
    ),
  /** `rest_invalid_param` with `params` (message per param) and `details` (code per param), as captured. */
  invalidParams: (problems: Record<string, { code: string; message: string }>) => {
    const names = Object.keys(problems);
    return error(400, 'rest_invalid_param', `Invalid parameter(s): ${names.join(', ')}`, {
      params: Object.fromEntries(names.map((n) => [n, problems[n]!.message])),
      details: Object.fromEntries(
        names.map((n) => [n, { code: problems[n]!.code, message: problems[n]!.message, data: null }]),
      ),
    });
  },
} as const;

/** `rest_not_in_enum` message: "x is not one of a, b, and c." (WordPress's wp_sprintf list). */
export function notInEnum(param: string, allowed: readonly string[]) {
  const list =
    allowed.length > 1 ? `${allowed.slice(0, -1).join(', ')}, and ${allowed[allowed.length - 1]}` : allowed[0];
  return { code: 'rest_not_in_enum', message: `${param} is not one of ${list}.` };
}

export const INVALID_DATE = { code: 'rest_invalid_date', message: 'Invalid date.' };
export const INVALID_EMAIL = { code: 'rest_invalid_email', message: 'Invalid email address.' };
export const outOfBounds = (param: string, min: number, max: number) => ({
  code: 'rest_out_of_bounds',
  message: `${param} must be between ${min} (inclusive) and ${max} (inclusive)`,
});
