export { consentMigrations } from './consent.migrations.js';
export {
  consentModule,
  createConsent,
  consentPurposes,
  type ConsentCore,
  type ConsentParts,
} from './consent.module.js';
export { registerConsentCommands } from './consent.cli.js';
export { publishBundledPolicyForDevelopment } from './bundled-policy.js';
