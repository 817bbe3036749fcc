export {
  alertsModule,
  firingAlerts,
  EVALUATE_EVERY_MS,
  type AlertsContext,
  type FiringAlert,
} from './alerts.module.js';
export { alertsMigrations } from './alerts.migrations.js';
export { registerAlertCommands } from './alerts.cli.js';
export { AlertEngine, type AlertTarget } from './alert-engine.js';
export { IncidentStore, type Incident, type SendState } from './incident-store.js';
export { ALERTS, type AlertName } from './alert-rules.js';
