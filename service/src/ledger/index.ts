// The ledger's front door. It loads no database driver: stores are made by open-store.ts.
export { Ledger, ERASED, type Fact, type TimelineEntry, type Erased } from './ledger.service.js';
export { RETAINED, HOLD_RELEASED, type Retention, type RetainCandidate } from './holds.js';
export { MasterKeyring, type MasterKey } from './keyring.js';
export {
  subjectRef,
  keyedFingerprint,
  normaliseEmail,
  isSubjectRef,
  storedSubjectRef,
  type SubjectRef,
} from './subject-ref.js';
export {
  ChainVerifier,
  GENESIS,
  type ChainHead,
  type LedgerEntry,
  type VerifyResult,
  type ChainBreak,
} from './chain.js';
export { ledgerMigrations } from './ledger.migrations.js';
export type { LedgerStore, StoredDataKey } from './ledger-store.js';
export { canonicalJson, JsonText, type JsonObject, type JsonValue } from './canonical-json.js';
export { ledgerModule, LAST_VERIFY_KEY, VERIFY_EVERY_MS, type LedgerModuleContext } from './ledger.module.js';
export { registerLedgerCommands } from './ledger.cli.js';
