export { AdminTokens, ROLES, type Operator, type Role } from './admin-tokens.js';
export { AdminLoginLinks, LINK_MINUTES } from './admin-login-links.js';
export { AdminSessions, SESSION_LIMITS, type Session } from './admin-sessions.js';
export { adminMigrations } from './admin.migrations.js';
export { registerAdminCommands } from './admin.cli.js';
export { consoleModule, type ConsoleContext } from './console.module.js';
export { registerQueueCommands, type QueueCliDeps } from './queue.cli.js';
