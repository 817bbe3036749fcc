export { dsrMigrations } from './dsr.migrations.js';
export { dsrModule, createDsr, redisContaining, type DsrParts } from './dsr.module.js';
export { registerDsrCommands } from './dsr.cli.js';
export { registerReportCommands } from './report.cli.js';
export { DsrStore } from './dsr-store.js';
export { deadlineFlag, OPEN_STATUSES } from './dsr-rules.js';
