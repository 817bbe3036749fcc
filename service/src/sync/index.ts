export { syncModule, SyncService, SyncState, WebhookSecrets } from './sync.module.js';
export { syncMigrations } from './sync.migrations.js';
export { openWooStore, type WooStoreHandle } from './woo-store.js';
export { registerWooCommands, type WooCliCore, type WooCliDeps } from './woo.cli.js';
export type { SyncConfig, SyncSettings, WooCliConfig, WooSettings } from './settings.js';
export { RECONCILE_CURSOR } from './jobs/reconcile.job.js';
export { appointmentFromBooking, appointmentsFromOrder } from './bookings.js';
export { flatten } from './flatten.js';
export { webhookHealth, WEBHOOK_STATES, type WebhookHealth, type WebhookState } from './webhook-health.js';
