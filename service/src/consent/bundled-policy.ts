import fs from 'node:fs';
import { findBundledPolicy, loadPolicy } from '../../../shared/src/policy/index.js';
import type { Logger } from '../platform/log/logger.js';
import { createConsent, type ConsentCore } from './consent.module.js';

/**
 * A development start (NODE_ENV=development) with no policy version published publishes the bundled one
 * (`shared/policy/policy.json`: its `version.label`, the file's bytes as the text, effective on its
 * `effectiveDate` or today), so a demo's consents are not refused. Production never does this: there the
 * operator publishes the text people were shown with `privacy-bridge policy publish`.
 */
export async function publishBundledPolicyForDevelopment(core: ConsentCore, log: Logger): Promise<string | null> {
  const file = findBundledPolicy();
  const policy = loadPolicy(file);
  const { policies, projector } = createConsent({
    db: core.db,
    ledger: core.ledger,
    clock: core.clock,
    linkSecret: core.linkSecret,
    policy,
  });
  await projector.fresh();
  if ((await policies.list()).length > 0) return null;
  const effective =
    typeof policy.version.effectiveDate === 'string'
      ? policy.version.effectiveDate
      : core.clock.now().toISOString().slice(0, 10);
  const { version } = await policies.publish({
    text: fs.readFileSync(file),
    version: policy.version.label,
    effective,
    material: false,
    languages: ['sq', 'en'],
  });
  log.warn(
    { version: version.version, effective: version.effective },
    'development: no policy version was published, so the bundled one was (production needs `privacy-bridge policy publish`)',
  );
  return version.version;
}
