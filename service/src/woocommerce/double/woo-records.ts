import type { GmtString } from './woo-format.js';

/**
 * What the double stores. Records keep the WooCommerce field names and values (money as the
 * strings WooCommerce returns) but timestamps only once, in UTC; everything derived (local dates,
 * `number`, `payment_url`, `_links`, `refunds[]`…) is computed by woo-render.ts when a response
 * or a webhook body is built, exactly as WooCommerce builds it at request/delivery time.
 * Sub-objects (addresses, line items) are replaced, never mutated, so generated stores can share them.
 */
export type Address = Readonly<{
  first_name: string;
  last_name: string;
  company: string;
  address_1: string;
  address_2: string;
  city: string;
  state: string;
  postcode: string;
  country: string;
  email?: string;
  phone: string;
}>;

export type Meta = Readonly<{ id: number; key: string; value: unknown }>;

export type LineItem = Readonly<{
  id: number;
  name: string;
  product_id: number;
  variation_id: number;
  quantity: number;
  tax_class: string;
  subtotal: string;
  subtotal_tax: string;
  total: string;
  total_tax: string;
  taxes: readonly unknown[];
  meta_data: readonly Meta[];
  sku: string;
  price: number;
  image: Readonly<{ id: string | number; src: string }>;
  parent_name: string | null;
}>;

export const ORDER_STATUSES = [
  'pending',
  'processing',
  'on-hold',
  'completed',
  'cancelled',
  'refunded',
  'failed',
  'checkout-draft',
] as const;

export type OrderRecord = {
  id: number;
  parent_id: number;
  status: string;
  currency: string;
  version: string;
  prices_include_tax: boolean;
  discount_total: string;
  discount_tax: string;
  shipping_total: string;
  shipping_tax: string;
  cart_tax: string;
  total: string;
  total_tax: string;
  customer_id: number;
  order_key: string;
  billing: Address;
  shipping: Address;
  payment_method: string;
  payment_method_title: string;
  transaction_id: string;
  customer_ip_address: string;
  customer_user_agent: string;
  created_via: string;
  customer_note: string;
  cart_hash: string;
  meta_data: readonly Meta[];
  line_items: readonly LineItem[];
  tax_lines: readonly unknown[];
  shipping_lines: readonly unknown[];
  fee_lines: readonly unknown[];
  coupon_lines: readonly unknown[];
  created: GmtString;
  modified: GmtString;
  completed: GmtString | null;
  paid: GmtString | null;
  /** Status before trashing (`_wp_trash_meta_status`), restored on untrash. */
  trashedFrom?: string;
};

export type CustomerRecord = {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  role: string;
  username: string;
  billing: Address;
  shipping: Address;
  is_paying_customer: boolean;
  meta_data: readonly Meta[];
  created: GmtString;
  modified: GmtString | null;
};

export type NoteRecord = {
  id: number;
  orderId: number;
  author: string;
  created: GmtString;
  note: string;
  customer_note: boolean;
};

export type RefundRecord = {
  id: number;
  orderId: number;
  created: GmtString;
  amount: string;
  reason: string;
  refunded_by: number;
  refunded_payment: boolean;
  meta_data: readonly Meta[];
  line_items: readonly LineItem[];
};

/** WooCommerce Bookings (`wc-bookings/v1`): start/end/date_* are Unix timestamps (protocol-facts §C1). */
export type BookingRecord = {
  id: number;
  all_day: boolean;
  cost: string;
  customer_id: number;
  date_created: number;
  date_modified: number;
  start: number;
  end: number;
  google_calendar_event_id: string;
  order_id: number;
  order_item_id: number;
  parent_id: number;
  person_counts: readonly number[];
  product_id: number;
  resource_id: number;
  status: string;
  local_timezone: string;
};

export const BOOKING_STATUSES = [
  'unpaid',
  'pending-confirmation',
  'confirmed',
  'paid',
  'complete',
  'in-cart',
  'cancelled',
  'was-in-cart',
  'trash',
] as const;

export const EMPTY_ADDRESS: Address = Object.freeze({
  first_name: '',
  last_name: '',
  company: '',
  address_1: '',
  address_2: '',
  city: '',
  state: '',
  postcode: '',
  country: '',
  phone: '',
});
