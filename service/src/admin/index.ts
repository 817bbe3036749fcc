export { AdminTokens, type Operator } from './admin-tokens.js';
export { adminMigrations } from './admin.migrations.js';
