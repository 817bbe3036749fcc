export * from './policy-schema.js';
export * from './load-policy.js';
export { addIsoPeriod, parseIsoPeriod, IsoPeriod, type PeriodParts } from './iso-period.js';
export { findFieldEntry, normalizeFieldPath, RESOURCES, type Resource } from './field-path.js';
export { GDPR_BASES, isArticle9, isConsentBasis, type GdprBasis } from './gdpr.js';
