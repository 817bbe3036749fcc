import { adminMigrations, AdminTokens } from './operators/index.js';
import { consentMigrations } from './consent/index.js';
import type { Config } from './config.js';
import { resolveSecrets } from './dev-keys.js';
import { Ledger, ledgerMigrations, MasterKeyring } from './ledger/index.js';
import { createLedgerStore } from './ledger/open-store.js';
import { systemClock, type Clock } from './platform/clock.js';
import { ensureDataDir, openDatabase, type Database } from './platform/db/database.js';
import { migrate, type Migration } from './platform/db/migrate.js';
import type { Logger } from './platform/log/logger.js';
import { syncMigrations } from './sync/index.js';
import { dsrMigrations } from './dsr/index.js';
import { deliveryMigrations } from './delivery/index.js';
import { alertsMigrations } from './alerts/index.js';

/** Every capability's migrations, in one list: start and `db migrate` apply them, /readyz checks them. */
export const MIGRATIONS: readonly Migration[] = [
  ...ledgerMigrations,
  ...adminMigrations,
  ...syncMigrations,
  ...consentMigrations,
  ...dsrMigrations,
  ...deliveryMigrations,
  ...alertsMigrations,
];

export type Core = {
  db: Database;
  ledger: Ledger;
  keyring: MasterKeyring;
  adminTokens: AdminTokens;
  clock: Clock;
  linkSecret: Buffer;
  pepper: Buffer;
  close(): Promise<void>;
};

/** The database and the ledger: what the CLI's ledger commands need, without Redis or HTTP. */
export async function openCore(config: Config, log: Logger, clock: Clock = systemClock): Promise<Core> {
  ensureDataDir(config.dataDir);
  const secrets = resolveSecrets(config, log);
  const db = openDatabase(config.databaseUrl, { sync: config.sqliteSync });
  try {
    const applied = await migrate(db, MIGRATIONS);
    if (applied.length > 0) log.info({ applied }, 'migrations applied');
  } catch (err) {
    await db.close();
    throw err;
  }
  const keyring = new MasterKeyring(secrets.masterKeys);
  const ledger = new Ledger({ store: createLedgerStore(db), keyring, pepper: secrets.pepper, clock });
  return {
    db,
    ledger,
    keyring,
    adminTokens: new AdminTokens(db, () => clock.now()),
    clock,
    linkSecret: secrets.linkSecret,
    pepper: secrets.pepper,
    close: () => db.close(),
  };
}
