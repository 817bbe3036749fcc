import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config, MasterKey } from './config.js';
import type { Logger } from './platform/log/logger.js';

export type Secrets = { masterKeys: readonly MasterKey[]; pepper: Buffer; linkSecret: Buffer };

const FILE = 'dev-keys.json';

/**
 * The configured secrets, or — outside production only — development keys generated once and kept
 * in DATA_DIR/dev-keys.json (mode 0600), with a loud warning: anyone with that folder can read the ledger.
 */
export function resolveSecrets(config: Config, log: Logger): Secrets {
  if (config.masterKeys && config.subjectPepper && config.linkSecret)
    return { masterKeys: config.masterKeys, pepper: config.subjectPepper, linkSecret: config.linkSecret };
  const file = path.join(config.dataDir, FILE);
  let stored: { masterKeyId: string; masterKey: string; pepper: string; linkSecret?: string };
  if (fs.existsSync(file)) {
    stored = JSON.parse(fs.readFileSync(file, 'utf8'));
  } else {
    fs.mkdirSync(config.dataDir, { recursive: true });
    stored = {
      masterKeyId: 'dev-1',
      masterKey: randomBytes(32).toString('base64'),
      pepper: randomBytes(32).toString('base64'),
      linkSecret: randomBytes(32).toString('base64'),
    };
    fs.writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600, flag: 'wx' });
  }
  if (!stored.linkSecret) {
    // A dev-keys file from before link signing existed: add the secret, keep the other keys.
    stored = { ...stored, linkSecret: randomBytes(32).toString('base64') };
    fs.writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  }
  log.warn(
    {
      file,
      missing: [
        !config.masterKeys && 'LEDGER_MASTER_KEYS',
        !config.subjectPepper && 'SUBJECT_PEPPER',
        !config.linkSecret && 'LINK_SECRET',
      ].filter(Boolean),
    },
    '!!! USING LOCAL DEVELOPMENT KEYS — production must set LEDGER_MASTER_KEYS, SUBJECT_PEPPER and LINK_SECRET (NODE_ENV=production enforces it) !!!',
  );
  return {
    masterKeys: config.masterKeys ?? [{ id: stored.masterKeyId, key: Buffer.from(stored.masterKey, 'base64') }],
    pepper: config.subjectPepper ?? Buffer.from(stored.pepper, 'base64'),
    linkSecret: config.linkSecret ?? Buffer.from(stored.linkSecret!, 'base64'),
  };
}
