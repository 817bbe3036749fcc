export { WooClient, PER_PAGE, type WooConnection, type Page, type Namespace } from './client/woo-client.js';
export type { WooBooking, WooCustomer, WooMeta, WooOrder } from './wire.js';
export { DeliveryRef, isKnownTopic, TOPICS, type Topic } from './webhook-topics.js';
