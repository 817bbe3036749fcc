/**
 * WooCommerce's resources as its REST API (`wc/v3`, `wc-bookings/v1`) sends them, as far as we read them:
 * the fields named here are the ones the sync and the DSR engine look at; every other field is kept as it
 * came (the index signatures), because the sync classifies and the erasure plans whatever the shop holds.
 */

/** A `meta_data` entry of an order or of one of its line items. */
export type WooMeta = { key: string; value: unknown };

export type WooOrder = {
  id: number;
  status: string;
  customer_id?: number;
  date_created_gmt?: string | null;
  date_modified_gmt?: string | null;
  date_paid_gmt?: string | null;
  billing?: { email?: string; [k: string]: unknown };
  shipping?: Record<string, unknown>;
  payment_method?: string;
  transaction_id?: string;
  meta_data?: WooMeta[];
  line_items?: { id?: number; name?: string; meta_data?: WooMeta[] }[];
  notes?: { id: number }[];
  [k: string]: unknown;
};

export type WooCustomer = { id: number; email?: string; date_modified_gmt?: string | null; [k: string]: unknown };

/** A booking from `wc-bookings/v1/bookings` (Unix timestamps). */
export type WooBooking = {
  id: number;
  start?: number;
  end?: number;
  status?: string;
  resource_id?: number;
  order_id?: number;
  customer_id?: number;
};
