export { dsrMigrations } from './dsr.migrations.js';
export { dsrModule, createDsr, redisContaining, type DsrConfig, type DsrCore, type DsrParts } from './dsr.module.js';
export { registerDsrCommands, type DsrCliDeps } from './dsr.cli.js';
export { registerReportCommands, type ReportDeps } from './report.cli.js';
export { DsrStore } from './dsr-store.js';
export { WooRestConnector } from './connectors/woocommerce-rest.js';
export { requestSteps } from './request-steps.js';
export { deadlineFlag, OPEN_STATUSES } from './dsr-rules.js';
