/** Public surface of the WooCommerce test double (tests, benchmarks, the README's demo store). */
export { createWooDouble, DEFAULT_KEY, type WooDouble, type WooDoubleOptions } from './woo-double.js';
export type { ApiKey } from './woo-double-auth.js';
export { WooStore, type StoreChange, type WooEvent, type WooResource } from './woo-store.js';
export type {
  Address,
  BookingRecord,
  CustomerRecord,
  LineItem,
  Meta,
  NoteRecord,
  OrderRecord,
  RefundRecord,
} from './woo-records.js';
export { WebhookSender, signWebhookBody, type DeliveryLog, type WebhookTarget } from './webhook-sender.js';
export { FaultInjector, type Fault } from './woo-double-faults.js';
export { setOrderStatus, type Product } from './woo-order-writes.js';
export {
  addBooking,
  addBookingOrder,
  addCustomer,
  DEFAULT_PRODUCTS,
  prng,
  seedDemoStore,
  seedHeavyCustomer,
  syntheticPerson,
  type SeedOptions,
} from './woo-double-data.js';
export { wpJsonEncode } from './woo-format.js';
export { pluginDouble, type PluginDouble } from './plugin-double.js';
